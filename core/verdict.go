package core

import (
	"math"
	"slices"
	"time"

	"github.com/tandem-ops/tandem/core/stats"
)

// samplePlan is the sample per arm that detects the MDE on the primary
// metric with the rule's power at α/m, and when the smallest arm gets
// there. Sequential plans use gbstats' sequential power (the confidence
// sequence is wider than a fixed interval); fixed and Bayesian plans of a
// rate use R's power.prop.test formula, of revenue the normal
// approximation with the delta-method variance. All split α over the m
// comparisons.
func samplePlan(arms []ArmStats, primary MetricKind, runtime time.Duration, d DecisionPolicy) SamplePlan {
	p := SamplePlan{Comparisons: len(arms) - 1}
	if p.Comparisons == 0 {
		return p
	}
	n, ok := neededPerArm(arms[0], primary, p.Comparisons, d)
	if !ok {
		return p
	}
	p.NeededPerArm = &n
	smallest := float64(math.MaxUint64)
	for _, a := range arms {
		smallest = min(smallest, float64(a.Totals.Exposures))
	}
	left := n - smallest
	p.Reached = left <= 0
	switch {
	case p.Reached:
		p.DaysLeft = ptr(0)
	case runtime > 0 && smallest > 0:
		p.DaysLeft = ptr(left / (smallest / runtime.Hours() * 24))
	}
	return p
}

// neededPerArm is the units each arm needs to detect the MDE over the
// control with the rule's power, α split over the comparisons.
func neededPerArm(control ArmStats, primary MetricKind, comparisons int, d DecisionPolicy) (float64, bool) {
	alpha := d.Alpha / float64(comparisons)
	v, ok := liftVariance(control, primary, d.MDE)
	if !ok {
		return 0, false
	}
	var n float64
	switch {
	case d.Rule == RuleSequential:
		n = stats.NewSequential(alpha, d.Tuning).SampleSize(v, d.MDE, d.Power)
	case primary == MetricRevenue:
		z := stats.NormalQuantile(1-alpha/2) + stats.NormalQuantile(d.Power)
		n = math.Ceil(z * z * v / (d.MDE * d.MDE))
	default:
		p0 := *control.Rate
		n = math.Ceil(stats.SampleSize(p0, min(p0*(1+d.MDE), 1), alpha, d.Power))
	}
	return n, finite(n)
}

// liftVariance is the variance of the relative lift per unit in each arm
// under the alternative (the treatment MDE above the control), by the
// delta method: for a rate from the control's rate, for revenue from the
// control's mean and variance, taken as the treatment's too. ok is false
// while the control has no rate strictly between 0 and 1, or no revenue.
func liftVariance(control ArmStats, primary MetricKind, mde float64) (v float64, ok bool) {
	if primary == MetricRevenue {
		c := control.Totals
		s := stats.Sample{N: c.Exposures, Sum: c.Revenue, SumSq: c.RevenueSq}
		mean := s.Mean()
		if s.N < 2 || mean <= 0 || s.Variance() == 0 {
			return 0, false
		}
		r := 1 + mde
		return s.Variance() * (1 + r*r) / (mean * mean), true
	}
	if control.Rate == nil || *control.Rate <= 0 || *control.Rate >= 1 {
		return 0, false
	}
	p0 := *control.Rate
	p1 := min(p0*(1+mde), 1)
	r := p1 / p0
	return (p1*(1-p1) + r*r*p0*(1-p0)) / (p0 * p0), true
}

// decide sets each treatment's verdict, the winners and losers, the
// leader and the status; a treatment that wins on the primary metric
// while a guardrail moves significantly the wrong way is blocked, not a
// winner. The guards come in order: bad data and a sample-ratio mismatch
// show no verdict; then the runtime and units every arm needs (the
// control included, so a control still collecting is never declared).
// Only then does the rule read each arm; under the fixed rule, an arm only
// once it and the control have the planned sample. A declared winner
// stands as the status and the leader, with the arms read as the rule
// reads them now, unless bad data or a mismatch showed up: then the
// declaration is void, evidence of nothing until the data is fixed.
func decide(a *Analysis, g Guards) {
	primary := PrimaryMetric(a.Metrics)
	a.Leader = leaderBy(a.Arms, primary)
	held := heldBy(a, g)
	if w := a.Experiment.Winner; w != "" {
		a.Status, a.Leader = StatusDeclared, w
		switch held {
		case StatusDataError, StatusSRM:
			a.Status = StatusVoid
		case "":
			readArms(a, g, primary)
		}
		return
	}
	if held != "" {
		a.Status = held
		return
	}
	a.Status, a.Leader = statusOf(a, readArms(a, g, primary))
}

// heldBy is the status a guard holds the experiment at before any arm is
// read, "" when every guard has passed.
func heldBy(a *Analysis, g Guards) ExperimentStatus {
	smallest := uint64(math.MaxUint64)
	for _, arm := range a.Arms {
		smallest = min(smallest, arm.Totals.Exposures)
	}
	switch {
	case len(a.Problems) > 0:
		return StatusDataError
	case a.SRMP < stats.SRMThreshold:
		return StatusSRM
	case a.Runtime < g.MinRuntime:
		return StatusCollecting
	case smallest < g.MinUnitsPerArm:
		return StatusNeedsData
	}
	return ""
}

// armCounts is how the treatments' verdicts came out, and the best
// winning one.
type armCounts struct {
	best                *ArmStats
	equivalent, pending int
}

// readArms reads each treatment under the rule, naming the winners,
// losers and blocked ones.
func readArms(a *Analysis, g Guards, primary MetricKind) armCounts {
	var c armCounts
	for i := 1; i < len(a.Arms); i++ {
		arm := &a.Arms[i]
		arm.Verdict = verdict(*arm, a.Arms[0], a.Plan, g.Policy)
		if g.Policy.Rule == RuleBayesian && primary != MetricConversion {
			arm.Verdict = VerdictInconclusive
			arm.Notes = append(arm.Notes, "the Bayesian rule reads conversion rates, and the primary metric is "+primary.String()+"; set the experiment's rule to sequential or fixed")
		}
		if blocks := blockedBy(*arm); arm.Verdict == VerdictWins && len(blocks) > 0 {
			arm.Verdict = VerdictBlocked
			arm.Notes = append(arm.Notes, blocks...)
			a.Blocked = append(a.Blocked, arm.Variant.Key)
		}
		switch arm.Verdict {
		case VerdictWins:
			a.Winners = append(a.Winners, arm.Variant.Key)
			if c.best == nil || arm.Lift.Estimate > c.best.Lift.Estimate {
				c.best = arm
			}
		case VerdictLoses:
			a.Losers = append(a.Losers, arm.Variant.Key)
		case VerdictEquivalent:
			c.equivalent++
		case VerdictPending:
			c.pending++
		}
	}
	return c
}

// statusOf is the status and leader the arms' verdicts make.
func statusOf(a *Analysis, c armCounts) (ExperimentStatus, string) {
	m := len(a.Arms) - 1
	switch {
	case c.best != nil:
		return StatusWinner, c.best.Variant.Key
	case len(a.Blocked) > 0:
		return StatusGuardrail, a.Leader // a winner on the primary metric, held back
	case m > 0 && len(a.Losers) == m:
		return StatusWinner, a.Arms[0].Variant.Key // the control beats every treatment
	case m > 0 && c.equivalent == m:
		return StatusNoDifference, a.Leader
	case c.pending > 0 && len(a.Losers) == 0:
		return StatusNeedsData, a.Leader // fixed-horizon arms short of the plan
	}
	return StatusInconclusive, a.Leader
}

// verdict reads one treatment under the rule. "Equivalent" needs the whole
// interval inside ±MDE, so "no difference" is never said while a lift of
// the MDE is still plausible.
func verdict(arm, control ArmStats, p SamplePlan, d DecisionPolicy) Verdict {
	l := arm.Lift
	switch {
	case d.Rule == RuleFixed && !armReached(arm, control, p):
		return VerdictPending // a fixed-horizon test is read once, at the plan
	case l == nil:
		return VerdictInconclusive
	}
	switch d.Rule {
	case RuleBayesian:
		b := arm.Bayes
		switch {
		case b.ChanceToBeat >= 1-d.Alpha && b.Risk < d.RiskThreshold:
			return VerdictWins
		case b.ChanceToBeat <= d.Alpha && b.RiskControl < d.RiskThreshold:
			return VerdictLoses
		}
	case RuleFixed:
		if l.P < d.Alpha {
			return winsOrLoses(l.Estimate)
		}
	default:
		if l.CI.Low > 0 || l.CI.High < 0 {
			return winsOrLoses(l.Estimate)
		}
	}
	if l.CI.Low >= -d.MDE && l.CI.High <= d.MDE {
		return VerdictEquivalent
	}
	return VerdictInconclusive
}

func winsOrLoses(lift float64) Verdict {
	if lift > 0 {
		return VerdictWins
	}
	return VerdictLoses
}

// leaderBy is the arm with the best value of the primary metric so far: a
// treatment only once it does better than the control, and nobody before
// any conversion (or revenue).
func leaderBy(arms []ArmStats, primary MetricKind) string {
	value := func(a ArmStats) float64 {
		v := a.Rate
		if primary == MetricRevenue {
			v = a.RevenuePerUnit
		}
		if v == nil {
			return -1
		}
		return *v
	}
	if len(arms) == 0 || slices.IndexFunc(arms, func(a ArmStats) bool { return value(a) > 0 }) < 0 {
		return ""
	}
	best := 0
	for i := 1; i < len(arms); i++ {
		if value(arms[i]) > value(arms[best]) {
			best = i
		}
	}
	return arms[best].Variant.Key
}

// armReached is whether a treatment and the control both have the planned
// units, so that the fixed rule may read their comparison.
func armReached(arm, control ArmStats, p SamplePlan) bool {
	if p.NeededPerArm == nil {
		return false
	}
	n := uint64(*p.NeededPerArm)
	return arm.Totals.Exposures >= n && control.Totals.Exposures >= n
}
