package stats

import "math"

// RatioSample summarizes a ratio metric, Σx / Σy over units, such as
// revenue per converter (x a unit's revenue, y whether it converted): the
// unit count, both per-unit samples and the sum of their products, which
// is all the delta method needs.
type RatioSample struct {
	X, Y  Sample
	SumXY float64
}

// Ratio is Σx / Σy, 0 while Σy is 0.
func (r RatioSample) Ratio() float64 {
	if r.Y.Sum == 0 {
		return 0
	}
	return r.X.Sum / r.Y.Sum
}

// Variance is the delta-method variance per unit of the ratio of means,
// so that its standard error is √(Variance/N): with sample moments (n − 1)
//
//	Var ≈ σx²/μy² − 2·μx·σxy/μy³ + μx²·σy²/μy⁴
//
// (Deng, Knoblich & Lu 2018, "Applying the Delta Method in Metric
// Analytics", KDD, section 2; gbstats' RatioStatistic.variance). It is 0
// while μy is 0 or below two units.
func (r RatioSample) Variance() float64 {
	n := float64(r.X.N)
	if r.X.N < 2 || r.Y.N != r.X.N || r.Y.Sum == 0 {
		return 0
	}
	mx, my := r.X.Mean(), r.Y.Mean()
	cov := (r.SumXY - r.X.Sum*r.Y.Sum/n) / (n - 1)
	v := r.X.Variance()/(my*my) - 2*mx*cov/(my*my*my) + mx*mx*r.Y.Variance()/(my*my*my*my)
	return max(v, 0) // a first-order approximation; rounding can take it below 0
}

// SE is the ratio's standard error.
func (r RatioSample) SE() float64 {
	if r.X.N == 0 {
		return 0
	}
	return math.Sqrt(r.Variance() / float64(r.X.N))
}
