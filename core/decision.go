package core

import (
	"fmt"
	"time"
)

// DecisionRule is how an experiment's arms are decided.
type DecisionRule string

// The rules. Sequential is the default: its intervals and p-values stay
// valid however often the panel is read. Fixed reads fixed-horizon tests
// only once the planned sample is in. Bayesian decides by expected loss.
const (
	RuleSequential DecisionRule = "sequential"
	RuleFixed      DecisionRule = "fixed"
	RuleBayesian   DecisionRule = "bayesian"
)

// DecisionPolicy is what turns statistics into a verdict: the rule and its
// settings. A workspace has one default (DefaultDecisionPolicy), passed in
// through Guards.
type DecisionPolicy struct {
	Rule DecisionRule `json:"rule"`
	// Alpha is the false-winner rate allowed over the whole experiment,
	// split over the treatment arms (Bonferroni for sequential, Holm for
	// fixed).
	Alpha float64 `json:"alpha"`
	// MDE is the smallest relative lift worth acting on: "no difference"
	// is said only when the interval lies within ±MDE, and the plan is the
	// sample that detects it.
	MDE float64 `json:"mde"`
	// Power is the chance the plan detects a true MDE-sized lift.
	Power float64 `json:"power"`
	// Tuning is the sequential rule's N*, the units of a treatment and the
	// control together where its intervals are tightest.
	Tuning float64 `json:"tuning"`
	// RiskThreshold is the Bayesian rule's largest acceptable expected
	// loss, relative to the control's rate.
	RiskThreshold float64 `json:"risk_threshold"`
}

// DefaultDecisionPolicy is the workspace default: sequential at α = 0.05
// for a 10 % lift at 80 % power, gbstats' tuning of 5,000, and GrowthBook's
// default risk threshold of 0.25 % for the Bayesian rule.
func DefaultDecisionPolicy() DecisionPolicy {
	return DecisionPolicy{Rule: RuleSequential, Alpha: 0.05, MDE: 0.10, Power: 0.8, Tuning: 5000, RiskThreshold: 0.0025}
}

// Validate returns an error naming every setting out of range.
func (d DecisionPolicy) Validate() error {
	f := &fieldErrors{record: "decision policy"}
	d.check(f, "")
	return f.err()
}

// check adds d's problems to f, each field named after prefix.
func (d DecisionPolicy) check(f *fieldErrors, prefix string) {
	switch d.Rule {
	case RuleSequential, RuleFixed, RuleBayesian:
	default:
		f.add(prefix+"rule", "is %q; use sequential, fixed or bayesian", d.Rule)
	}
	if !(d.Alpha > 0 && d.Alpha < 1) {
		f.add(prefix+"alpha", "is %g; use a level between 0 and 1, such as 0.05", d.Alpha)
	}
	if !(d.MDE > 0 && d.MDE < 10) {
		f.add(prefix+"mde", "is %g; use a relative lift such as 0.10 for 10 %%", d.MDE)
	}
	if !(d.Power > d.Alpha && d.Power < 1) {
		f.add(prefix+"power", "is %g; use a power between alpha and 1, such as 0.8", d.Power)
	}
	if !(d.Tuning >= 1 && d.Tuning < 1e12) {
		f.add(prefix+"tuning", "is %g; use the total units where intervals should be tightest, such as 5000", d.Tuning)
	}
	if !(d.RiskThreshold > 0 && d.RiskThreshold < 1) {
		f.add(prefix+"risk_threshold", "is %g; use a relative expected loss such as 0.0025", d.RiskThreshold)
	}
}

// String names the rule with its settings, as the panel shows it.
func (d DecisionPolicy) String() string {
	switch d.Rule {
	case RuleFixed:
		return fmt.Sprintf("fixed horizon, α %g (Holm), MDE %g%%, power %g%%", d.Alpha, 100*d.MDE, 100*d.Power)
	case RuleBayesian:
		return fmt.Sprintf("Bayesian, risk < %g%%", 100*d.RiskThreshold)
	}
	return fmt.Sprintf("sequential (always valid), α %g, MDE %g%%", d.Alpha, 100*d.MDE)
}

// Guards keep a verdict from appearing before the data can carry it.
type Guards struct {
	// MinUnitsPerArm is the fewest exposed units every arm needs.
	MinUnitsPerArm uint64 `json:"min_units_per_arm"`
	// MinRuntime is the least time an experiment runs, so weekday and
	// weekend traffic both count.
	MinRuntime time.Duration `json:"min_runtime_ns"`
	// Policy is the rule that decides once the guards pass.
	Policy DecisionPolicy `json:"policy"`
}

// Guard bounds: a year of runtime, a billion units.
const (
	maxMinRuntime     = 365 * 24 * time.Hour
	maxMinUnitsPerArm = 1_000_000_000
)

// Validate returns an error naming every guard out of range.
func (g Guards) Validate() error {
	f := &fieldErrors{record: "guards"}
	g.check(f)
	return f.err()
}

// check adds g's problems to f, as fields of an experiment's guards.
func (g Guards) check(f *fieldErrors) {
	if g.MinRuntime < 0 || g.MinRuntime > maxMinRuntime {
		f.add("guards.min_runtime", "is %s; use a duration from 0 to 365 days", g.MinRuntime)
	}
	if g.MinUnitsPerArm > maxMinUnitsPerArm {
		f.add("guards.min_units_per_arm", "is %d; use at most %d", g.MinUnitsPerArm, maxMinUnitsPerArm)
	}
	g.Policy.check(f, "guards.policy.")
}

// DefaultGuards are the guards tandem uses unless a workspace sets others.
func DefaultGuards() Guards {
	return Guards{MinUnitsPerArm: 1000, MinRuntime: 7 * 24 * time.Hour, Policy: DefaultDecisionPolicy()}
}
