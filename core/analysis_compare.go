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
func compareArms(arms []ArmStats, d DecisionPolicy, s *slab) {
	m := len(arms) - 1
	if m == 0 {
		return
	}
	alpha := d.Alpha / float64(m)
	seq := stats.NewSequential(alpha, d.Tuning)
	z := stats.NormalQuantile(1 - alpha/2)
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
		cmp := stats.CompareProportions(base, p, 0.95)
		switch {
		case c.Converters == 0:
			arm.Notes = append(arm.Notes, "no lift while the control has no conversions")
			continue
		case cmp.RelLiftSE == 0 || !finite(cmp.RelLift, cmp.RelLiftSE, cmp.P):
			arm.Notes = append(arm.Notes, "no interval until both arms have converting and non-converting units")
			continue
		}
		l := Lift{Estimate: cmp.RelLift, Absolute: cmp.AbsLift, FixedP: cmp.P, Confidence: 1 - alpha}
		if d.Rule == RuleSequential {
			n := float64(c.Exposures + t.Exposures)
			l.CI = seq.Interval(cmp.RelLift, cmp.RelLiftSE, n)
			l.P = min(1, float64(m)*seq.P(cmp.RelLift, cmp.RelLiftSE, n))
			l.AlwaysValid = true
		} else {
			l.CI = stats.Interval{Low: cmp.RelLift - z*cmp.RelLiftSE, High: cmp.RelLift + z*cmp.RelLiftSE}
			fixed = append(fixed, cmp.P)
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
