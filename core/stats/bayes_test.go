package stats

import (
	"math"
	"testing"
)

// millerChance is the exact P(X_B > X_A) for Beta posteriors with integer
// parameters, by Evan Miller's closed form ("Formulas for Bayesian A/B
// Testing", 2015): Σ_{i=0}^{α_B−1} B(α_A+i, β_A+β_B) / ((β_B+i) B(1+i, β_B)
// B(α_A, β_A)). It is the reference for the numerical integration, by an
// independent method.
func millerChance(a, b Beta) float64 {
	s := 0.0
	for i := 0.0; i < b.A; i++ {
		s += math.Exp(lbeta(a.A+i, a.B+b.B) - math.Log(b.B+i) - lbeta(1+i, b.B) - lbeta(a.A, a.B))
	}
	return s
}

func post(s, n uint64) Beta { return Posterior(Proportion{s, n}) }

// Ensure that chance to beat matches the closed form from zero counts up,
// including a control with no conversions (where a normal approximation
// on the lift says 50 %) and one unit per arm.
func TestChanceToBeat_MillerClosedForm(t *testing.T) {
	tests := []struct {
		name          string
		control, trt  Beta
		want          float64 // closed form, also exact where given
		integratedTol float64
	}{
		{"no units", post(0, 0), post(0, 0), 0.5, 1e-9},
		{"one unit each, control converted", post(1, 1), post(0, 1), 1.0 / 6, 1e-9},
		{"one unit each, treatment converted", post(0, 1), post(1, 1), 5.0 / 6, 1e-9},
		{"zero conversions both", post(0, 1000), post(0, 1000), 0.5, 5e-5},
		{"zero in the control, three in the treatment", post(0, 1000), post(3, 1000), millerChance(post(0, 1000), post(3, 1000)), 5e-5},
		{"small counts", post(5, 20), post(9, 22), millerChance(post(5, 20), post(9, 22)), 5e-5},
		{"moderate", post(141, 5348), post(234, 5522), millerChance(post(141, 5348), post(234, 5522)), 5e-5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			near(t, "closed form", millerChance(tt.control, tt.trt), tt.want, 1e-9)
			near(t, "chance to beat", ChanceToBeat(tt.control, tt.trt).ChanceToBeat, tt.want, tt.integratedTol)
		})
	}
	// E[max(0, C − T)] for C ~ Beta(2,1), T ~ Beta(1,2) is 11/30 by direct
	// integration of ∫∫_{x>y} (x−y)·2x·2(1−y); over E[C] = 2/3 that is 0.55.
	// E[max(0, T − C)] = E[T − C] + 11/30 = 1/30, relative 0.05.
	b := ChanceToBeat(post(1, 1), post(0, 1))
	near(t, "risk", b.Risk, 0.55, 1e-6)
	near(t, "risk of the control", b.RiskControl, 0.05, 1e-6)
}

// Ensure that past largeBeta the skew-corrected normal agrees with the
// integral to 0.001, so the switch does not move a printed digit.
func TestChanceToBeat_NormalPathAgrees(t *testing.T) {
	for _, c := range [][4]uint64{{99, 1000, 120, 1000}, {99, 5000, 135, 5000}, {99, 200, 110, 210}, {200, 2000, 230, 2000}, {200, 10000, 260, 10000}, {400, 10000, 450, 10000}, {2000, 200000, 2100, 200000}, {5000, 10000, 4990, 10000}} {
		control, trt := post(c[0], c[1]), post(c[2], c[3])
		if !control.large() || !trt.large() {
			t.Fatalf("%v is not on the normal path", c)
		}
		near(t, "normal vs closed form", ChanceToBeat(control, trt).ChanceToBeat, millerChance(control, trt), 1e-3)
		cg, tg := newBetaGrid(control), newBetaGrid(trt)
		near(t, "risk vs integral", ChanceToBeat(control, trt).Risk, cg.simpson(tg.shortfall)/control.Mean(), 1e-4)
	}
}

// Property: E[max(0, T−C)] − E[max(0, C−T)] = E[T] − E[C].
func TestChanceToBeat_RiskIdentity(t *testing.T) {
	for _, c := range [][4]uint64{{0, 10, 3, 10}, {0, 1000, 0, 1000}, {50, 700, 40, 800}, {300, 10000, 340, 10000}} {
		control, trt := post(c[0], c[1]), post(c[2], c[3])
		b := ChanceToBeat(control, trt)
		near(t, "identity", (b.RiskControl-b.Risk)*control.Mean(), trt.Mean()-control.Mean(), 1e-6)
	}
}

// Ensure that probability best agrees with chance to beat for two arms,
// sums to 1, favours the best arm, and is exact at 1 unit per arm.
func TestProbabilityBest(t *testing.T) {
	two := ProbabilityBest([]Beta{post(1, 1), post(0, 1)})
	near(t, "1 unit per arm", two[1], 1.0/6, 1e-9)
	arms := []Beta{post(30, 1000), post(35, 1000), post(50, 1000), post(0, 10)}
	p := ProbabilityBest(arms)
	sum := 0.0
	for _, x := range p {
		sum += x
	}
	near(t, "sum", sum, 1, 1e-12)
	if p[2] < p[0] || p[2] < p[1] {
		t.Errorf("the best arm is not most likely best: %v", p)
	}
	near(t, "two arms = chance to beat", ProbabilityBest(arms[:2])[1], millerChance(arms[0], arms[1]), 5e-5)
	// Three identical arms are each best a third of the time.
	for _, x := range ProbabilityBest([]Beta{post(10, 100), post(10, 100), post(10, 100)}) {
		near(t, "identical", x, 1.0/3, 1e-5)
	}
}

func BenchmarkProbabilityBest10Arms(b *testing.B) {
	arms := make([]Beta, 10)
	for i := range arms {
		arms[i] = post(uint64(300+10*i), 10000)
	}
	b.ReportAllocs()
	for b.Loop() {
		ProbabilityBest(arms)
	}
}
