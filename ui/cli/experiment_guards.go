package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/tandem-ops/tandem/core"
)

// guardFlags are `experiment add`'s settings of the experiment's own
// guards and decision rule; any one set gives the experiment guards of
// its own, the rest from the workspace default.
type guardFlags struct {
	rule                          string
	alpha, mde, power, tuning, rk float64
	minUnits                      uint64
	minDays                       float64
}

func (g *guardFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&g.rule, "rule", "", "decision rule: sequential, fixed or bayesian (default: the workspace's)")
	fl.Float64Var(&g.alpha, "alpha", 0, "false-winner rate over the experiment, such as 0.05")
	fl.Float64Var(&g.mde, "mde", 0, "smallest relative lift worth acting on, such as 0.1")
	fl.Float64Var(&g.power, "power", 0, "chance the plan detects an MDE-sized lift, such as 0.8")
	fl.Float64Var(&g.tuning, "tuning", 0, "sequential tuning: units where intervals are tightest, such as 5000")
	fl.Float64Var(&g.rk, "risk", 0, "bayesian rule's largest expected loss, such as 0.0025")
	fl.Uint64Var(&g.minUnits, "min-units", 0, "fewest units every arm needs before a verdict")
	fl.Float64Var(&g.minDays, "min-days", 0, "fewest days the experiment runs before a verdict")
}

// guards returns the experiment's own guards, nil when no flag sets one.
// Validation is the experiment's (core.Experiment.Validate).
func (g *guardFlags) guards(cmd *cobra.Command, def core.Guards) *core.Guards {
	fl, set := cmd.Flags(), false
	changed := func(name string) bool {
		c := fl.Changed(name)
		set = set || c
		return c
	}
	out := def
	if changed("rule") {
		out.Policy.Rule = core.DecisionRule(g.rule)
	}
	if changed("alpha") {
		out.Policy.Alpha = g.alpha
	}
	if changed("mde") {
		out.Policy.MDE = g.mde
	}
	if changed("power") {
		out.Policy.Power = g.power
	}
	if changed("tuning") {
		out.Policy.Tuning = g.tuning
	}
	if changed("risk") {
		out.Policy.RiskThreshold = g.rk
	}
	if changed("min-units") {
		out.MinUnitsPerArm = g.minUnits
	}
	if changed("min-days") {
		out.MinRuntime = time.Duration(g.minDays * float64(24*time.Hour))
	}
	if !set {
		return nil
	}
	return &out
}

// parseStart reads --start: a date (midnight UTC) or an RFC 3339 time.
func parseStart(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, usageErrorf("--start: use a date such as 2026-11-01 or a time such as 2026-11-01T10:00:00Z")
	}
	return t, nil
}

// guardSource names the rule and whether it is the experiment's own.
func guardSource(a core.Analysis) string {
	if a.Experiment.Guards != nil {
		return a.Policy.String() + " (this experiment's)"
	}
	return a.Policy.String() + " (workspace default)"
}

// startOf says when the experiment started and why then.
func startOf(a core.Analysis) string {
	switch {
	case !a.Experiment.Started.IsZero():
		return a.Start.Format(time.DateOnly) + " (set)"
	case a.Start.IsZero():
		return "at its first event"
	}
	return fmt.Sprintf("%s (its earliest event)", a.Start.Format(time.DateOnly))
}
