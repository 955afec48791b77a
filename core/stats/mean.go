package stats

import "math"

// Sample summarizes a metric per unit by its count, sum and sum of squares,
// which is all ingest keeps.
type Sample struct {
	N     uint64
	Sum   float64
	SumSq float64
}

// Mean is the sample mean, 0 when empty.
func (s Sample) Mean() float64 {
	if s.N == 0 {
		return 0
	}
	return s.Sum / float64(s.N)
}

// Variance is the unbiased sample variance, 0 below two observations.
func (s Sample) Variance() float64 {
	if s.N < 2 {
		return 0
	}
	n := float64(s.N)
	v := (s.SumSq - s.Sum*s.Sum/n) / (n - 1)
	return max(v, 0) // rounding can take a constant sample just below 0
}

// WelchResult is Welch's unequal-variance t-test of treatment − control.
type WelchResult struct {
	Diff   float64  `json:"diff"`
	DiffCI Interval `json:"diff_ci"`
	T      float64  `json:"t"`
	DF     float64  `json:"df"`
	P      float64  `json:"p"`
}

// Welch compares the means of two samples without assuming equal variances.
func Welch(control, treatment Sample, confidence float64) WelchResult {
	r := WelchResult{Diff: treatment.Mean() - control.Mean(), P: 1}
	if control.N < 2 || treatment.N < 2 {
		return r
	}
	v0, v1 := control.Variance()/float64(control.N), treatment.Variance()/float64(treatment.N)
	se := math.Sqrt(v0 + v1)
	if se == 0 {
		return r
	}
	r.T = r.Diff / se
	r.DF = (v0 + v1) * (v0 + v1) / (v0*v0/float64(control.N-1) + v1*v1/float64(treatment.N-1))
	r.P = 2 * StudentTCDF(-math.Abs(r.T), r.DF)
	q := studentTQuantile(1-(1-confidence)/2, r.DF)
	r.DiffCI = Interval{r.Diff - q*se, r.Diff + q*se}
	return r
}

// studentTQuantile inverts StudentTCDF by bisection (60 halvings of
// [-1000, 1000] leave an error below 1e-15). Past 10⁵ degrees of freedom the
// normal quantile is as exact.
func studentTQuantile(p, df float64) float64 {
	if df > 1e5 {
		return NormalQuantile(p)
	}
	lo, hi := -1e3, 1e3
	for range 60 {
		mid := (lo + hi) / 2
		if StudentTCDF(mid, df) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// MeanComparison is a treatment's per-unit mean against the control's,
// relative: the lift treatment/control − 1, its delta-method standard
// error, and Welch's degrees of freedom for a fixed-horizon reading.
type MeanComparison struct {
	AbsLift   float64
	RelLift   float64
	RelLiftSE float64
	DF        float64
	// P is the two-sided fixed-horizon p-value of the relative lift
	// against 0, from Student's t with DF degrees of freedom.
	P float64
}

// CompareMeans compares per-unit means as gbstats' TwoSidedTTest does with
// a relative difference: Var(lift) ≈ Var_t/(n_t μ_c²) + μ_t² Var_c/(n_c μ_c⁴)
// and Welch–Satterthwaite degrees of freedom. It returns ok false below two
// units an arm, with a control mean of 0, or without variance.
func CompareMeans(control, treatment Sample) (MeanComparison, bool) {
	if control.N < 2 || treatment.N < 2 {
		return MeanComparison{}, false
	}
	mc, mt := control.Mean(), treatment.Mean()
	if mc == 0 {
		return MeanComparison{}, false
	}
	vc, vt := control.Variance()/float64(control.N), treatment.Variance()/float64(treatment.N)
	se := math.Sqrt(vt/(mc*mc) + mt*mt*vc/(mc*mc*mc*mc))
	if se == 0 || math.IsNaN(se) || math.IsInf(se, 0) {
		return MeanComparison{}, false
	}
	c := MeanComparison{AbsLift: mt - mc, RelLift: mt/mc - 1, RelLiftSE: se}
	c.DF = (vc + vt) * (vc + vt) / (vc*vc/float64(control.N-1) + vt*vt/float64(treatment.N-1))
	c.P = 2 * StudentTCDF(-math.Abs(c.RelLift/se), c.DF)
	return c, true
}

// Interval is the fixed-horizon interval of the relative lift at the
// confidence level, from Student's t.
func (c MeanComparison) Interval(confidence float64) Interval {
	h := studentTQuantile(1-(1-confidence)/2, c.DF) * c.RelLiftSE
	return Interval{c.RelLift - h, c.RelLift + h}
}
