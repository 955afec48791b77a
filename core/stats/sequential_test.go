package stats

import (
	"math"
	"testing"
)

// Reference values for the asymptotic confidence sequence from the
// formulas of gbstats (growthbook/growthbook, packages/stats, functions
// sequential_rho, sequential_interval_halfwidth and sequential_p_value;
// Waudby-Smith et al. 2023 eq. 9, 155 and 161), evaluated independently of
// this package with awk in double precision:
//
//	ρ(α = .05, N* = 5000)           = 0.03984006677
//	half-width, SE .01, n 10,000    = 0.03061477219
//	half-width, SE .01, n 5,000     = 0.0303520899
//	half-width, SE .01, n 200,000   = 0.03433940547
//	p, estimate .03, SE .01, n 10,000 = 0.05957889248
//	ρ(α = .025, N* = 5000)          = 0.04359664976; factor at n 189,000 = 3.647110682
func TestSequential_GBStatsFormulas(t *testing.T) {
	s := Sequential{Alpha: 0.05, Tuning: DefaultTuning}
	near(t, "rho", s.Rho(), 0.03984006677, 1e-11)
	for _, tt := range []struct{ n, hw float64 }{{10000, 0.03061477219}, {5000, 0.0303520899}, {200000, 0.03433940547}} {
		ci := s.Interval(0.02, 0.01, tt.n)
		near(t, "half-width", (ci.High-ci.Low)/2, tt.hw, 1e-10)
		near(t, "centre", (ci.High+ci.Low)/2, 0.02, 1e-15)
	}
	near(t, "p", s.P(0.03, 0.01, 10000), 0.05957889248, 1e-10)
	b := Sequential{Alpha: 0.025, Tuning: DefaultTuning}
	near(t, "rho α/2", b.Rho(), 0.04359664976, 1e-11)
	near(t, "factor α/2", b.Factor(189000), 3.647110682, 1e-8)
}

// Property: the always-valid p-value is below α exactly when the interval
// excludes 0, and both are wider than the fixed-horizon 1.96·SE at every n.
func TestSequential_PMatchesInterval(t *testing.T) {
	s := Sequential{Alpha: 0.05, Tuning: DefaultTuning}
	for _, n := range []float64{2, 100, 5000, 1e5, 1e7} {
		if f := s.Factor(n); f <= z95 {
			t.Errorf("factor at n %v = %v, not wider than fixed-horizon", n, f)
		}
		for _, est := range []float64{-0.05, -0.031, 0, 0.0299, 0.0301, 0.2} {
			ci, p := s.Interval(est, 0.01, n), s.P(est, 0.01, n)
			if excl := ci.Low > 0 || ci.High < 0; excl != (p < s.Alpha) {
				t.Errorf("n %v est %v: interval %+v but p %v", n, est, ci, p)
			}
		}
	}
	if p := s.P(5, 1e-6, 1e6); p != 0 && !(p > 0 && p < 1e-300) {
		t.Errorf("overwhelming evidence gives p %v", p)
	}
}

// Property: SampleSize is the least n where delta/SE − Factor(2n) reaches
// z_power, and a sequential plan needs more units than a fixed one.
func TestSequential_SampleSize(t *testing.T) {
	s := Sequential{Alpha: 0.05, Tuning: DefaultTuning}
	// Relative lift of a 10 % rate by 10 %: v = (p1(1−p1) + (p1/p0)² p0(1−p0))/p0².
	p0, p1 := 0.10, 0.11
	v := (p1*(1-p1) + (p1/p0)*(p1/p0)*p0*(1-p0)) / (p0 * p0)
	n := s.SampleSize(v, 0.10, 0.8)
	power := func(n float64) float64 { return NormalCDF(0.10*math.Sqrt(n/v) - s.Factor(2*n)) }
	if power(n) < 0.8 || power(n-1) >= 0.8 {
		t.Errorf("n %v: power %v, at n−1 %v", n, power(n), power(n-1))
	}
	fixed := v * math.Pow(z95+NormalQuantile(0.8), 2) / 0.01
	if n <= fixed {
		t.Errorf("sequential plan %v not above fixed %v", n, fixed)
	}
	if !math.IsInf(s.SampleSize(v, 0, 0.8), 1) {
		t.Error("a zero difference needs infinitely many units")
	}
}
