package experiments

import (
	"fmt"
	"strings"

	"github.com/tandem-ops/tandem/core"
)

// explain says in plain words what one arm's numbers mean and why the
// experiment has its status, for people who do not read p-values.
func explain(a core.Analysis, arm core.ArmStats, g core.Guards) string {
	var b strings.Builder
	name := arm.Variant.Key
	fmt.Fprintf(&b, "Variant %s converted %.2f%% of %d units (95%% interval %.2f%% to %.2f%%).\n",
		name, 100*arm.Rate, arm.Totals.Exposures, 100*arm.RateCI.Low, 100*arm.RateCI.High)
	if arm.Variant.Control {
		b.WriteString("It is the control: every other variant is compared with it.\n")
	} else if a.Arms[0].Rate > 0 {
		l := arm.Lift
		fmt.Fprintf(&b, "Against the control's %.2f%%, that is %+.1f%% (interval %+.1f%% to %+.1f%%).\n",
			100*a.Arms[0].Rate, 100*l.RelLift, 100*l.RelLiftCI.Low, 100*l.RelLiftCI.High)
		fmt.Fprintf(&b, "If the variants were truly the same, a gap this big would appear %s (p = %.3f, Holm-adjusted over %d comparisons).\n",
			howOften(arm.PHolm), arm.PHolm, len(a.Arms)-1)
		fmt.Fprintf(&b, "Chance %s beats the control: %.0f%%. If you ship it and it is worse, the expected loss is %.2f%% of the rate.\n",
			name, 100*arm.ChanceToBeat, 100*arm.Risk)
	} else {
		b.WriteString("The control has no conversions yet, so no lift can be computed.\n")
	}
	if arm.ProbBest > 0 {
		fmt.Fprintf(&b, "Probability it is the best of all %d arms: %.0f%%.\n", len(a.Arms), 100*arm.ProbBest)
	}
	b.WriteString("\n")
	b.WriteString(statusReason(a, g))
	return b.String()
}

func howOften(p float64) string {
	switch {
	case p < 0.001:
		return "less than once in 1,000 experiments"
	case p < 0.01:
		return fmt.Sprintf("about %.0f times in 1,000 experiments", p*1000)
	default:
		return fmt.Sprintf("about %.0f times in 100 experiments", p*100)
	}
}

// statusReason says why the experiment has its status.
func statusReason(a core.Analysis, g core.Guards) string {
	days := a.Runtime.Hours() / 24
	switch a.Status {
	case core.StatusDeclared:
		return fmt.Sprintf("Decided: %s was declared the winner.", a.Experiment.Winner)
	case core.StatusSRM:
		return fmt.Sprintf("Sample-ratio mismatch: traffic does not split as the weights say (p = %.2g < 0.001). "+
			"Something in assignment or logging is broken, so no winner is shown until it is fixed.", a.SRMP)
	case core.StatusCollecting:
		return fmt.Sprintf("Collecting: it has run %.1f of the %.0f days required, so weekday and weekend traffic both count.", days, g.MinRuntime.Hours()/24)
	case core.StatusWinner:
		return fmt.Sprintf("Winner: %s is significantly different from the others after the Holm correction, with enough units and runtime.", a.Leader)
	case core.StatusNoDifference:
		return fmt.Sprintf("No difference: each arm has the %.0f units needed to detect a %.0f%% lift, and none was found.", a.NeededPerArm, 100*g.MDE)
	}
	msg := fmt.Sprintf("Needs more data: every arm needs at least %d units", g.MinUnitsPerArm)
	if a.NeededPerArm > 0 {
		msg += fmt.Sprintf(", and %.0f to detect a %.0f%% lift", a.NeededPerArm, 100*g.MDE)
	}
	if a.DaysLeft > 0 {
		msg += fmt.Sprintf(": about %.1f more days at the current traffic", a.DaysLeft)
	}
	return msg + "."
}
