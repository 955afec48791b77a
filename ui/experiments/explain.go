package experiments

import (
	"fmt"
	"strings"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/experiments/format"
)

// explain says in plain words what one arm's numbers mean, which rule
// decided it and why, for people who do not read p-values.
func explain(a core.Analysis, arm core.ArmStats) string {
	var b strings.Builder
	name := arm.Variant.Key
	if arm.Rate != nil {
		fmt.Fprintf(&b, "Variant %s converted %s of %d units (95%% interval %s).\n",
			name, format.ShortRate(arm), arm.Totals.Exposures, format.RateCI(arm))
	}
	for _, n := range arm.Notes {
		fmt.Fprintf(&b, "%s: %s.\n", name, n)
	}
	b.WriteString(ruleInWords(a) + "\n")
	if arm.Variant.Control {
		b.WriteString("It is the control: every other variant is compared with it.\n")
	} else {
		if l := arm.Lift; l != nil {
			kind := "a"
			if l.AlwaysValid {
				kind = "an always-valid"
			}
			fmt.Fprintf(&b, "Against the control, %s's lift in %s is %+.1f%%, with %s %s interval of %+.1f%% to %+.1f%%; p = %s.\n",
				name, core.PrimaryMetric(a.Metrics), 100*l.Estimate, kind, format.Level(a), 100*l.CI.Low, 100*l.CI.High, format.P(arm))
		}
		b.WriteString(verdictInWords(a, arm) + "\n")
		if arm.Bayes != nil {
			fmt.Fprintf(&b, "Chance %s beats the control: %s; if you ship it and it is worse, the expected loss is %s of the rate.",
				name, format.Beat(arm), format.Risk(arm))
			if a.Policy.Rule != core.RuleBayesian {
				b.WriteString(" (Shown for context: these decide only under the Bayesian rule.)")
			}
			b.WriteString("\n")
		}
	}
	for _, r := range arm.Metrics {
		b.WriteString(metricInWords(a, arm, r) + "\n")
	}
	if arm.ProbBest != nil {
		fmt.Fprintf(&b, "Probability it is the best of the %d arms: %s.\n", len(a.Arms), format.Prob(arm.ProbBest))
	}
	b.WriteString("\n")
	b.WriteString(statusReason(a))
	return b.String()
}

// ruleInWords says which rule decides and what that means for looking.
func ruleInWords(a core.Analysis) string {
	p := a.Policy
	m := max(a.Plan.Comparisons, 1)
	split := ""
	if m > 1 {
		split = fmt.Sprintf(", split over %d treatments", m)
	}
	switch p.Rule {
	case core.RuleFixed:
		return fmt.Sprintf("Rule: fixed horizon. Each comparison is read once, when it and the control have the planned units; "+
			"p-values are Holm-adjusted (α %g%s).", p.Alpha, split)
	case core.RuleBayesian:
		return fmt.Sprintf("Rule: Bayesian. An arm wins when its chance to beat the control is at least %.0f%% and the expected loss "+
			"of shipping it is under %g%% of the rate.", 100*(1-p.Alpha), 100*p.RiskThreshold)
	}
	return fmt.Sprintf("Rule: sequential. Intervals and p-values stay valid however often you look, so a winner here is not "+
		"an artefact of peeking (α %g%s, Bonferroni).", p.Alpha, split)
}

// verdictInWords says why a treatment has its verdict.
func verdictInWords(a core.Analysis, arm core.ArmStats) string {
	mde := fmt.Sprintf("±%g%%", 100*a.Policy.MDE)
	switch arm.Verdict {
	case core.VerdictWins:
		return fmt.Sprintf("Verdict: %s wins: under the %s rule it is better than the control, not by chance.", arm.Variant.Key, a.Policy.Rule)
	case core.VerdictLoses:
		return fmt.Sprintf("Verdict: %s loses: under the %s rule it is worse than the control, not by chance.", arm.Variant.Key, a.Policy.Rule)
	case core.VerdictEquivalent:
		return fmt.Sprintf("Verdict: no difference that matters: the whole interval lies within %s, the smallest lift worth acting on.", mde)
	case core.VerdictPending:
		if a.Status == core.StatusCollecting || a.Status == core.StatusNeedsData && a.Policy.Rule != core.RuleFixed {
			return "Verdict: not read yet (see below)."
		}
		return "Verdict: not read yet: a fixed-horizon test is read once, at the plan. " + waitInWords(a)
	case core.VerdictInvalid:
		return "Verdict: none; its data cannot be right."
	case core.VerdictBlocked:
		return fmt.Sprintf("Verdict: blocked: %s beats the control on the %s under the %s rule, but a guardrail moved significantly the wrong way, so it is not a winner.", arm.Variant.Key, core.PrimaryMetric(a.Metrics), a.Policy.Rule)
	}
	if arm.Lift == nil {
		return "Verdict: inconclusive; there is no lift to read yet."
	}
	return fmt.Sprintf("Verdict: inconclusive: the interval still allows no change and changes beyond %s. %s", mde, waitInWords(a))
}

// waitInWords is how much longer the plan says to collect.
func waitInWords(a core.Analysis) string {
	n, d := a.Plan.NeededPerArm, a.Plan.DaysLeft
	switch {
	case n == nil:
		return "No plan until the control converts."
	case d != nil && *d > 0:
		return fmt.Sprintf("The plan needs %s units per arm: %s more at the current traffic.", format.Units(*n), format.Days(*d))
	}
	return fmt.Sprintf("The plan of %s units per arm is reached.", format.Units(*n))
}

// statusReason says why the experiment has its status.
func statusReason(a core.Analysis) string {
	days := a.Runtime.Hours() / 24
	switch a.Status {
	case core.StatusDeclared:
		return fmt.Sprintf("Decided: %s was declared the winner.", a.Experiment.Winner)
	case core.StatusVoid:
		return fmt.Sprintf("Void: %s was declared the winner, but %s showed up since, so the counts are not the experiment that was planned. "+
			"The declaration stays on record and counts as no evidence: briefs no longer see it, nor does the win rate. Fix the data to restore it.",
			a.Experiment.Winner, a.VoidedBy())
	case core.StatusDataError:
		return "Data error: " + strings.Join(a.Problems, "; ") + ". No numbers are compared until the data is fixed."
	case core.StatusSRM:
		return fmt.Sprintf("Sample-ratio mismatch: traffic does not split as the weights say (p = %.2g < 0.001). "+
			"Something in assignment or logging is broken, so no winner is shown until it is fixed.", a.SRMP)
	case core.StatusCollecting:
		return fmt.Sprintf("Collecting: it has run %.1f days; no arm is read before the minimum runtime, so weekday and weekend traffic both count.", days)
	case core.StatusWinner:
		msg := "Winner: " + strings.Join(a.Winners, ", ") + " beat the control under the " + string(a.Policy.Rule) + " rule."
		if len(a.Winners) == 0 {
			msg = "The control wins: every treatment is worse under the " + string(a.Policy.Rule) + " rule."
		}
		if len(a.Losers) > 0 && len(a.Winners) > 0 {
			msg += " Losing: " + strings.Join(a.Losers, ", ") + "."
		}
		return msg
	case core.StatusGuardrail:
		return "Guardrail: " + strings.Join(a.Blocked, ", ") + " beat the control on the conversion rate, but a guardrail metric moved significantly the wrong way; no winner is named."
	case core.StatusNoDifference:
		return fmt.Sprintf("No difference: every treatment's interval lies within ±%g%% of the control.", 100*a.Policy.MDE)
	case core.StatusInconclusive:
		msg := "Inconclusive: no treatment is proven better, and not every interval rules out a lift of " + fmt.Sprintf("%g%%", 100*a.Policy.MDE) + "."
		if len(a.Losers) > 0 {
			msg += " Losing: " + strings.Join(a.Losers, ", ") + "."
		}
		return msg + " " + waitInWords(a)
	}
	msg := "Needs more data: every arm needs its minimum of units"
	if a.Policy.Rule == core.RuleFixed {
		msg += ", and fixed-horizon tests are read only at the plan"
	}
	return msg + ". " + waitInWords(a)
}

// metricInWords says what one guardrail or secondary metric shows for arm.
func metricInWords(a core.Analysis, arm core.ArmStats, r core.MetricResult) string {
	s := fmt.Sprintf("%s (%s): %s", capitalize(r.Kind.String()), r.Role, format.MetricValue(r))
	if arm.Variant.Control || r.Diff == nil {
		return s + "."
	}
	kind := "a"
	if a.Policy.Rule == core.RuleSequential {
		kind = "an always-valid"
	}
	s += fmt.Sprintf("; %+.2f against the control, %s %s interval of %+.2f to %+.2f, p = %s", r.Diff.Diff, kind, format.Level(a), r.Diff.CI.Low, r.Diff.CI.High, format.MetricP(r))
	switch {
	case r.Moved == core.MovedDown && r.Role == core.MetricGuardrail:
		return s + ": significantly worse, which blocks a win."
	case r.Moved != "":
		return s + ": a significant change."
	}
	return s + ": not a significant change."
}

// capitalize upper-cases the first letter of an ASCII phrase.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
