package stats

import (
	"math"
	"testing"
)

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.6g, want %.6g ± %g", name, got, want, tol)
	}
}

// Reference values from standard tables (e.g. NIST/SEMATECH e-Handbook of
// Statistical Methods, §1.3.6.7): z 0.975 = 1.959964; t(10) two-sided 5 % =
// 2.228139; chi-square(1) at 3.841459 and 10.827566 leaves 5 % and 0.1 %
// (R: qchisq(c(0.95, 0.999), 1); the other chi-square points are
// qchisq(p, df) for the tail and df named).
func TestDistributions(t *testing.T) {
	near(t, "Φ⁻¹(0.975)", NormalQuantile(0.975), 1.959964, 1e-6)
	near(t, "Φ(1.959964)", NormalCDF(1.959964), 0.975, 1e-7)
	near(t, "t(10) upper tail at 2.228139", 1-StudentTCDF(2.228139, 10), 0.025, 1e-6)
	near(t, "t(1) is Cauchy", StudentTCDF(1, 1), 0.75, 1e-9)
	near(t, "χ²(1) at 3.841459", ChiSquareSF(3.841459, 1), 0.05, 1e-6)
	near(t, "χ²(1) at 10.827566", ChiSquareSF(10.827566, 1), 0.001, 1e-7)
	near(t, "χ²(3) at 7.814728", ChiSquareSF(7.814728, 3), 0.05, 1e-6)
	near(t, "χ²(10) at 23.209251", ChiSquareSF(23.209251, 10), 0.01, 1e-6)
	// The degrees of freedom of a slot pair's joint interaction test.
	near(t, "χ²(2) at 9.210340", ChiSquareSF(9.210340, 2), 0.01, 1e-7)
	near(t, "χ²(4) at 9.487729", ChiSquareSF(9.487729, 4), 0.05, 1e-6)
	near(t, "χ²(4) at 18.466827", ChiSquareSF(18.466827, 4), 0.001, 1e-7)
	near(t, "χ²(6) at 12.591587", ChiSquareSF(12.591587, 6), 0.05, 1e-6)
}

// Newcombe (1998), "Two-sided confidence intervals for the single
// proportion", Statistics in Medicine 17:857–872, Table II, method 3
// (Wilson score without continuity correction).
func TestWilson_Newcombe1998(t *testing.T) {
	tests := []struct {
		x, n      uint64
		low, high float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
	}
	for _, tt := range tests {
		ci := Wilson(tt.x, tt.n, 0.95)
		near(t, "low", ci.Low, tt.low, 5e-5)
		near(t, "high", ci.High, tt.high, 5e-5)
	}
}

// R: prop.test(c(120, 100), c(1000, 1000), correct = FALSE) gives
// X-squared = 2.0429, p-value = 0.1529; z² equals the chi-square.
func TestCompareProportions_PropTest(t *testing.T) {
	c := CompareProportions(Proportion{100, 1000}, Proportion{120, 1000}, 0.95)
	near(t, "z²", c.Z*c.Z, 2.0429, 1e-4)
	near(t, "p", c.P, 0.1529, 1e-4)
	near(t, "abs lift", c.AbsLift, 0.02, 1e-12)
	near(t, "rel lift", c.RelLift, 0.2, 1e-12)
	// Unpooled Wald interval: 0.02 ± 1.96·sqrt(.1·.9/1000 + .12·.88/1000).
	near(t, "abs low", c.AbsLiftCI.Low, 0.02-1.959964*math.Sqrt(0.09/1000+0.1056/1000), 1e-9)
	if !c.RelLiftCI.Contains(c.RelLift) || !c.AbsLiftCI.Contains(c.AbsLift) {
		t.Error("interval does not contain its estimate")
	}
}

// Welch's t-test, worked example on Wikipedia's "Welch's t-test" page
// (sample A1 vs A2): t = −2.46, ν ≈ 25.0, p = 0.021. Here A2 is the
// treatment, so the sign flips.
func TestWelch_Example(t *testing.T) {
	a1 := []float64{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4}
	a2 := []float64{27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4}
	r := Welch(sample(a1), sample(a2), 0.95)
	near(t, "t", r.T, 2.46, 0.005)
	near(t, "df", r.DF, 24.99, 0.01)
	near(t, "p", r.P, 0.021, 0.0005)
	if !r.DiffCI.Contains(r.Diff) || r.DiffCI.Low <= 0 {
		t.Errorf("CI %+v for a significant positive difference %v", r.DiffCI, r.Diff)
	}
}

func sample(xs []float64) Sample {
	var s Sample
	for _, x := range xs {
		s.N++
		s.Sum += x
		s.SumSq += x * x
	}
	return s
}

// Holm (1979); e.g. p = (0.01, 0.04, 0.03, 0.005) adjusts to
// (0.03, 0.06, 0.06, 0.02), as R's p.adjust(method = "holm").
func TestHolm(t *testing.T) {
	got := Holm([]float64{0.01, 0.04, 0.03, 0.005})
	want := []float64{0.03, 0.06, 0.06, 0.02}
	for i := range want {
		near(t, "holm", got[i], want[i], 1e-12)
	}
	if got := Holm([]float64{0.9, 0.8}); got[0] != 1 || got[1] != 1 {
		t.Errorf("holm caps at 1: %v", got)
	}
}

// A 50/50 split observed as 50,000 vs 51,000 gives χ² = 9.90 (df 1),
// p ≈ 0.00165: suspicious but under the 0.001 flag; 50,000 vs 51,500 is
// flagged.
func TestSampleRatio(t *testing.T) {
	chi2, p := SampleRatio([]uint64{50000, 51000}, []float64{1, 1})
	near(t, "χ²", chi2, 9.90099, 1e-4)
	near(t, "p", p, 0.001652, 1e-5)
	if _, p := SampleRatio([]uint64{50000, 51500}, []float64{1, 1}); p >= SRMThreshold {
		t.Errorf("mismatch not flagged: p = %v", p)
	}
	if _, p := SampleRatio([]uint64{2000, 1000}, []float64{2, 1}); p < 0.99 {
		t.Errorf("a split matching 2:1 weights flagged: p = %v", p)
	}
}

// R's documentation example: power.prop.test(p1 = .50, p2 = .75, power =
// .90) gives n = 76.7 per group; power.prop.test(p1 = .2, p2 = .25, power =
// .8) gives n = 1093.7.
func TestSampleSize_PowerPropTest(t *testing.T) {
	near(t, "n(.50→.75, 90 %)", SampleSize(0.5, 0.75, 0.05, 0.9), 76.7, 0.05)
	near(t, "n(.20→.25, 80 %)", SampleSize(0.2, 0.25, 0.05, 0.8), 1093.7, 0.1)
}

// Property: every interval contains its estimate, over a grid of counts.
func TestIntervals_ContainEstimates(t *testing.T) {
	for _, n := range []uint64{1, 7, 50, 1000, 100000} {
		for _, x := range []uint64{0, 1, n / 3, n / 2, n} {
			if x > n {
				continue
			}
			p := float64(x) / float64(n)
			if ci := Wilson(x, n, 0.95); !ci.Contains(p) || ci.Low < 0 || ci.High > 1 {
				t.Errorf("Wilson(%d, %d) = %+v misses %v", x, n, ci, p)
			}
			c := CompareProportions(Proportion{n / 2, n}, Proportion{x, n}, 0.95)
			if !c.AbsLiftCI.Contains(c.AbsLift) {
				t.Errorf("abs CI %+v misses %v", c.AbsLiftCI, c.AbsLift)
			}
		}
	}
}

// gbstats' tests (gbstats/tests/frequentist/test_tests.py):
// TwoSidedTTest of SampleMeanStatistic(sum=1396.87, sum_squares=52377.9767,
// n=3407) against (2422.7, 134698.29, 3461), relative, gives 0.70732
// [−0.03526, 1.44989], sd 0.37879, p 0.06191; SequentialTwoSidedTTest with
// the control at n=3000 and tuning 1000 gives 0.50336 [−0.55844, 1.56516].
func TestCompareMeans_Gbstats(t *testing.T) {
	c, ok := CompareMeans(Sample{N: 3407, Sum: 1396.87, SumSq: 52377.9767}, Sample{N: 3461, Sum: 2422.7, SumSq: 134698.29})
	if !ok {
		t.Fatal("no comparison")
	}
	near(t, "lift", c.RelLift, 0.70732, 5e-6)
	near(t, "sd", c.RelLiftSE, 0.37879, 5e-6)
	near(t, "p", c.P, 0.06191, 5e-6)
	ci := c.Interval(0.95)
	near(t, "low", ci.Low, -0.03526, 5e-6)
	near(t, "high", ci.High, 1.44989, 5e-6)

	s, ok := CompareMeans(Sample{N: 3000, Sum: 1396.87, SumSq: 52377.9767}, Sample{N: 3461, Sum: 2422.7, SumSq: 134698.29})
	if !ok {
		t.Fatal("no sequential comparison")
	}
	seq := NewSequential(0.05, 1000).Interval(s.RelLift, s.RelLiftSE, 3000+3461)
	near(t, "seq lift", s.RelLift, 0.50336, 5e-6)
	near(t, "seq sd", s.RelLiftSE, 0.33341, 5e-6)
	near(t, "seq low", seq.Low, -0.55844, 5e-6)
	near(t, "seq high", seq.High, 1.56516, 5e-6)
}

func TestCompareMeans_Degenerate(t *testing.T) {
	for name, pair := range map[string][2]Sample{
		"one unit":        {{N: 1, Sum: 5, SumSq: 25}, {N: 10, Sum: 5, SumSq: 5}},
		"no control mean": {{N: 10}, {N: 10, Sum: 5, SumSq: 5}},
		"no variance":     {{N: 10, Sum: 10, SumSq: 10}, {N: 10, Sum: 10, SumSq: 10}},
	} {
		if _, ok := CompareMeans(pair[0], pair[1]); ok {
			t.Errorf("%s: compared", name)
		}
	}
}
