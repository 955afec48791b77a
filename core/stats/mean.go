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
