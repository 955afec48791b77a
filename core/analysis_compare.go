package core

import (
	"math"

	"github.com/tandem-ops/tandem/core/stats"
)

// compareArms sets each treatment's lift, revenue difference and Bayesian
// view against the control (arms[0]). With m treatments every interval is
// at level 1 − α/m: the sequential rule splits α by Bonferroni, because an
// always-valid interval must hold for every arm at every look and Holm's
// step-down ordering changes from look to look; the fixed rule reports
// Holm-adjusted p-values, which decide, beside Bonferroni intervals.
func compareArms(arms []ArmStats, primary MetricKind, d DecisionPolicy, s *slab) {
	m := len(arms) - 1
	if m == 0 {
		return
	}
	alpha := d.Alpha / float64(m)
	seq := stats.NewSequential(alpha, d.Tuning)
	control := arms[0]
	c := control.Totals
	base := stats.Proportion{Successes: c.Converters, N: c.Exposures}
	fixed := make([]float64, 0, m)
	withLift := make([]int, 0, m)
	for i := 1; i < len(arms); i++ {
		arm := &arms[i]
		t := arm.Totals
		if arm.Verdict == VerdictInvalid {
			continue
		}
		if c.Exposures == 0 || t.Exposures == 0 {
			arm.Notes = append(arm.Notes, "no comparison until both it and the control have units")
			continue
		}
		p := stats.Proportion{Successes: t.Converters, N: t.Exposures}
		if b := stats.ChanceToBeat(stats.Posterior(base), stats.Posterior(p)); finite(b.ChanceToBeat, b.Risk, b.RiskControl) {
			arm.Bayes = s.bayesian(b)
		}
		arm.Revenue = revenueLift(c, t, d.Rule, seq, alpha)
		cmp, why := comparePrimary(c, t, primary, alpha)
		if why != "" {
			arm.Notes = append(arm.Notes, why)
			continue
		}
		l := Lift{Estimate: cmp.rel, Absolute: cmp.abs, FixedP: cmp.fixedP, Confidence: 1 - alpha}
		if d.Rule == RuleSequential {
			n := float64(c.Exposures + t.Exposures)
			l.CI = seq.Interval(cmp.rel, cmp.se, n)
			l.P = min(1, float64(m)*seq.P(cmp.rel, cmp.se, n))
			l.AlwaysValid = true
		} else {
			l.CI = cmp.fixedCI
			fixed = append(fixed, cmp.fixedP)
			withLift = append(withLift, i)
		}
		arm.Lift = s.lift(l)
	}
	// Holm over the arms that have a test; an arm without one cannot be
	// significant, so leaving it out does not favour the others.
	for k, p := range stats.Holm(fixed) {
		arms[withLift[k]].Lift.P = p
	}
}

// primaryComparison is a treatment against the control on the primary
// metric: the relative lift with its delta-method standard error, the
// absolute difference, and the fixed-horizon p-value and interval at
// the split α.
type primaryComparison struct {
	rel, se, abs, fixedP float64
	fixedCI              stats.Interval
}

// comparePrimary compares on the primary metric: conversion rates by the
// pooled z-test with a normal interval, revenue per unit by Welch's t as
// gbstats does. A comparison that cannot be made returns why, in words.
func comparePrimary(c, t VariantTotals, primary MetricKind, alpha float64) (primaryComparison, string) {
	if primary == MetricRevenue {
		cs := stats.Sample{N: c.Exposures, Sum: c.Revenue, SumSq: c.RevenueSq}
		ts := stats.Sample{N: t.Exposures, Sum: t.Revenue, SumSq: t.RevenueSq}
		m, ok := stats.CompareMeans(cs, ts)
		switch {
		case c.Revenue == 0:
			return primaryComparison{}, "no lift while the control has no revenue"
		case !ok || !finite(m.RelLift, m.RelLiftSE, m.P):
			return primaryComparison{}, "no interval until both arms have two units and revenue that varies"
		}
		return primaryComparison{rel: m.RelLift, se: m.RelLiftSE, abs: m.AbsLift, fixedP: m.P, fixedCI: m.Interval(1 - alpha)}, ""
	}
	cmp := stats.CompareProportions(stats.Proportion{Successes: c.Converters, N: c.Exposures}, stats.Proportion{Successes: t.Converters, N: t.Exposures}, 0.95)
	switch {
	case c.Converters == 0:
		return primaryComparison{}, "no lift while the control has no conversions"
	case cmp.RelLiftSE == 0 || !finite(cmp.RelLift, cmp.RelLiftSE, cmp.P):
		return primaryComparison{}, "no interval until both arms have converting and non-converting units"
	}
	h := stats.NormalQuantile(1-alpha/2) * cmp.RelLiftSE
	return primaryComparison{rel: cmp.RelLift, se: cmp.RelLiftSE, abs: cmp.AbsLift, fixedP: cmp.P, fixedCI: stats.Interval{Low: cmp.RelLift - h, High: cmp.RelLift + h}}, ""
}

// revenueLift is the difference in revenue per unit: an always-valid
// interval under the sequential rule, Welch's otherwise; nil below two
// units an arm or without variance.
func revenueLift(c, t VariantTotals, rule DecisionRule, seq stats.Sequential, alpha float64) *MeanLift {
	if c.Revenue == 0 && t.Revenue == 0 {
		return nil
	}
	cs := stats.Sample{N: c.Exposures, Sum: c.Revenue, SumSq: c.RevenueSq}
	ts := stats.Sample{N: t.Exposures, Sum: t.Revenue, SumSq: t.RevenueSq}
	if cs.N < 2 || ts.N < 2 {
		return nil
	}
	se := math.Sqrt(cs.Variance()/float64(cs.N) + ts.Variance()/float64(ts.N))
	diff := ts.Mean() - cs.Mean()
	if se == 0 || !finite(se, diff) {
		return nil
	}
	var r MeanLift
	if rule == RuleSequential {
		n := float64(cs.N + ts.N)
		r = MeanLift{Diff: diff, CI: seq.Interval(diff, se, n), P: seq.P(diff, se, n)}
	} else {
		w := stats.Welch(cs, ts, 1-alpha)
		r = MeanLift{Diff: w.Diff, CI: w.DiffCI, P: w.P}
	}
	if !finite(r.CI.Low, r.CI.High, r.P) {
		return nil
	}
	return &r
}

// probabilityBest sets each arm's probability of having the highest rate,
// over the arms that have units; an arm without units has none.
func probabilityBest(arms []ArmStats, s *slab) {
	idx := make([]int, 0, len(arms))
	post := make([]stats.Beta, 0, len(arms))
	for i, a := range arms {
		if a.Rate != nil {
			idx = append(idx, i)
			post = append(post, stats.Posterior(stats.Proportion{Successes: a.Totals.Converters, N: a.Totals.Exposures}))
		}
	}
	switch {
	case len(post) < 2 || len(post) > MaxArmsForProbabilityBest:
		return
	case len(arms) == 2 && len(post) == 2 && arms[1].Bayes != nil:
		// With two arms, best is beating the other: reuse that integral.
		c := arms[1].Bayes.ChanceToBeat
		arms[0].ProbBest, arms[1].ProbBest = s.float(1-c), s.float(c)
		return
	}
	for k, p := range stats.ProbabilityBest(post) {
		arms[idx[k]].ProbBest = s.float(p)
	}
}

// sampleRatioP tests whether exposures split as the weights say.
func sampleRatioP(arms []ArmStats) float64 {
	exposures := make([]uint64, len(arms))
	weights := make([]float64, len(arms))
	for i, a := range arms {
		exposures[i], weights[i] = a.Totals.Exposures, a.Variant.Weight
	}
	_, p := stats.SampleRatio(exposures, weights)
	return p
}
