package core

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tandem-ops/tandem/core/stats"
)

// MinExposuresForContext is how many exposures every arm needs before an
// experiment's result is shown as performance context. Fewer, and the
// numbers are noise that would mislead a brief.
const MinExposuresForContext = 100

// Evidence is how far a result holds: what a badge, a brief's performance
// context, the studio's grounding and the retro may claim from it.
type Evidence string

// The kinds of evidence, strongest first. Only declared and significant
// results are claims; a provisional one is a lead that may vanish (shown
// as "~+10 %", "leading, not yet significant").
const (
	// EvidenceDeclared: a person declared the variant the winner, which
	// needs the experiment past its guards.
	EvidenceDeclared Evidence = "declared"
	// EvidenceSignificant: the experiment's own rule, under its guards,
	// says the variant wins (or loses) against the control.
	EvidenceSignificant Evidence = "significant"
	// EvidenceProvisional: the variant leads on rate so far, nothing more.
	EvidenceProvisional Evidence = "provisional"
)

// Holds reports whether a result is a claim: declared or significant.
func (e Evidence) Holds() bool { return e == EvidenceDeclared || e == EvidenceSignificant }

// rank orders evidence, strongest first.
func (e Evidence) rank() int {
	switch e {
	case EvidenceDeclared:
		return 0
	case EvidenceSignificant:
		return 1
	}
	return 2
}

// Result is what one experiment says so far: one variant against the
// control, and how far that holds.
type Result struct {
	Experiment string  `json:"experiment"`
	Name       string  `json:"name"`
	Audience   string  `json:"audience,omitempty"`
	Channel    string  `json:"channel,omitempty"`
	Variant    string  `json:"variant"`
	Copy       string  `json:"copy,omitempty"`
	Rate       float64 `json:"rate"`
	// Lift is the variant's value of the primary metric (the rate, or
	// revenue per unit) relative to the control's (0.25 is +25 %).
	Lift      float64 `json:"lift"`
	Exposures uint64  `json:"exposures"`
	// Evidence says whether the result is declared, significant under the
	// experiment's rule, or only provisional.
	Evidence Evidence `json:"evidence"`
	// Rule is the decision rule the experiment was read under.
	Rule DecisionRule `json:"rule"`
	// Control is true when the variant is the control: declared the
	// winner, the treatments did not beat it.
	Control bool `json:"control,omitempty"`
}

// Holds reports whether a data error or a sample-ratio mismatch leaves
// nothing to learn from a: its counts, whatever they say, are not the
// experiment that was planned. Such an experiment is never evidence, not
// even a declared winner (a mismatch may show up after the declaration).
func (a Analysis) Holds() bool {
	return len(a.Problems) == 0 && a.SRMP >= stats.SRMThreshold
}

// VoidedBy says what broke an experiment's data: "a sample-ratio
// mismatch (p = 2.1e-09)", or its first data problem; "" while it holds.
func (a Analysis) VoidedBy() string {
	switch {
	case len(a.Problems) > 0:
		return "a data error: " + a.Problems[0]
	case a.SRMP < stats.SRMThreshold:
		return fmt.Sprintf("a sample-ratio mismatch (p = %.2g)", a.SRMP)
	}
	return ""
}

// ExperimentResult returns what a says as evidence: its declared winner;
// else the best winning treatment under its rule; else its best treatment
// by rate, provisional unless the rule says it loses. It returns false
// when a does not hold (data error, SRM), has no control, or an arm has
// too few exposures to say anything.
func ExperimentResult(a Analysis) (Result, bool) {
	if !a.Holds() || len(a.Arms) < 2 {
		return Result{}, false
	}
	primary := PrimaryMetric(a.Metrics)
	control := a.Arms[0]
	if base := primaryValue(control, primary); control.Variant.Key == "" || control.Rate == nil || base == nil || *base == 0 {
		return Result{}, false
	}
	var exposures uint64
	for _, arm := range a.Arms {
		if arm.Totals.Exposures < MinExposuresForContext || arm.Rate == nil {
			return Result{}, false
		}
		exposures += arm.Totals.Exposures
	}
	pick := 1
	for i := 2; i < len(a.Arms); i++ {
		if better(a.Arms[i], a.Arms[pick], primary) {
			pick = i
		}
	}
	evidence := EvidenceProvisional
	if v := a.Arms[pick].Verdict; v == VerdictWins || v == VerdictLoses {
		evidence = EvidenceSignificant
	}
	if w := a.Experiment.Winner; w != "" {
		pick = slices.IndexFunc(a.Arms, func(arm ArmStats) bool { return arm.Variant.Key == w })
		if pick < 0 {
			return Result{}, false
		}
		evidence = EvidenceDeclared
	}
	arm, e := a.Arms[pick], a.Experiment
	return Result{Experiment: e.Key, Name: e.Name, Audience: e.Audience, Channel: e.Channel,
		Variant: arm.Variant.Key, Copy: arm.Variant.Copy, Rate: *arm.Rate, Lift: *primaryValue(arm, primary) / *primaryValue(control, primary) - 1,
		Exposures: exposures, Evidence: evidence, Rule: a.Policy.Rule, Control: arm.Variant.Control}, true
}

// better reports whether treatment x makes a better result than y: a
// winner before any other verdict, then the higher value of the primary
// metric.
func better(x, y ArmStats, primary MetricKind) bool {
	if xw, yw := x.Verdict == VerdictWins, y.Verdict == VerdictWins; xw != yw {
		return xw
	}
	return *primaryValue(x, primary) > *primaryValue(y, primary)
}

// primaryValue is an arm's value of the primary metric: its conversion
// rate, or its revenue per unit; nil while it has no units.
func primaryValue(arm ArmStats, primary MetricKind) *float64 {
	if primary == MetricRevenue {
		return arm.RevenuePerUnit
	}
	return arm.Rate
}

// PerformanceContext returns the results that bear on brief b, most
// relevant first: same audience and channel, then same channel, then same
// audience; within each, declared winners, then significant results, then
// provisional ones, each by lift.
func PerformanceContext(b Brief, results []Result) []Result {
	score := func(r Result) int {
		s := 0
		if b.Channel != "" && strings.EqualFold(r.Channel, b.Channel) {
			s += 2
		}
		if b.Audience != "" && strings.EqualFold(r.Audience, b.Audience) {
			s++
		}
		return s
	}
	var out []Result
	for _, r := range results {
		if score(r) > 0 {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(x, y Result) int {
		if d := score(y) - score(x); d != 0 {
			return d
		}
		if d := x.Evidence.rank() - y.Evidence.rank(); d != 0 {
			return d
		}
		switch {
		case x.Lift > y.Lift:
			return -1
		case x.Lift < y.Lift:
			return 1
		}
		return 0
	})
	return out
}

// Standing says in words how far r holds, as a card and a prompt say it:
// never "won" for a result its rule has not established.
func (r Result) Standing() string {
	switch {
	case r.Evidence == EvidenceDeclared && r.Control:
		return "the control, declared winner over every treatment"
	case r.Evidence == EvidenceDeclared:
		return "declared winner"
	case r.Evidence == EvidenceSignificant && r.Lift > 0:
		return "winning, significant under the " + string(r.Rule) + " rule, not yet declared"
	case r.Evidence == EvidenceSignificant:
		return "losing to the control, significant under the " + string(r.Rule) + " rule"
	}
	return "leading, not yet significant"
}
