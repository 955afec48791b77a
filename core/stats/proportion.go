package stats

import "math"

// Interval is a two-sided confidence interval.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Contains reports whether x lies in the interval.
func (i Interval) Contains(x float64) bool { return i.Low <= x && x <= i.High }

// zFor returns the two-sided critical value for confidence level, e.g.
// 1.959964 for 0.95.
func zFor(confidence float64) float64 {
	if confidence == 0.95 {
		return z95 // the common case, without an Erfinv per call
	}
	return NormalQuantile(1 - (1-confidence)/2)
}

// z95 is Φ⁻¹(0.975).
const z95 = 1.959963984540054

// Wilson is the Wilson score interval for a proportion of successes out of
// n trials, which stays inside [0, 1] and behaves at small counts.
func Wilson(successes, n uint64, confidence float64) Interval {
	if n == 0 {
		return Interval{0, 1}
	}
	z := zFor(confidence)
	p := float64(successes) / float64(n)
	nf := float64(n)
	denom := 1 + z*z/nf
	centre := (p + z*z/(2*nf)) / denom
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / denom
	ci := Interval{max(centre-half, 0), min(centre+half, 1)}
	// At the edges the bound is exact; rounding would leave it a hair off.
	if successes == 0 {
		ci.Low = 0
	}
	if successes == n {
		ci.High = 1
	}
	return ci
}

// Proportion is one arm's conversions out of exposed units.
type Proportion struct {
	Successes uint64
	N         uint64
}

// Rate is the observed proportion, 0 when n is 0.
func (p Proportion) Rate() float64 {
	if p.N == 0 {
		return 0
	}
	return float64(p.Successes) / float64(p.N)
}

func (p Proportion) variance() float64 {
	if p.N == 0 {
		return 0
	}
	r := p.Rate()
	return r * (1 - r) / float64(p.N)
}

// Comparison is a treatment arm against the control.
type Comparison struct {
	// AbsLift is the difference in rates (treatment − control).
	AbsLift   float64  `json:"abs_lift"`
	AbsLiftCI Interval `json:"abs_lift_ci"`
	// RelLift is the treatment's rate over the control's, minus 1.
	RelLift   float64  `json:"rel_lift"`
	RelLiftCI Interval `json:"rel_lift_ci"`
	// RelLiftSE is the delta-method standard error of RelLift.
	RelLiftSE float64 `json:"rel_lift_se"`
	Z         float64 `json:"z"`
	// P is the two-sided p-value of the pooled two-proportion z-test.
	P float64 `json:"p"`
}

// CompareProportions compares treatment with control: the absolute lift
// with its unpooled Wald interval, the relative lift with a delta-method
// interval, and the pooled two-proportion z-test.
func CompareProportions(control, treatment Proportion, confidence float64) Comparison {
	z := zFor(confidence)
	p0, p1 := control.Rate(), treatment.Rate()
	c := Comparison{AbsLift: p1 - p0, P: 1}
	seAbs := math.Sqrt(control.variance() + treatment.variance())
	c.AbsLiftCI = Interval{c.AbsLift - z*seAbs, c.AbsLift + z*seAbs}
	if control.N > 0 && treatment.N > 0 {
		pooled := float64(control.Successes+treatment.Successes) / float64(control.N+treatment.N)
		se := math.Sqrt(pooled * (1 - pooled) * (1/float64(control.N) + 1/float64(treatment.N)))
		if se > 0 {
			c.Z = c.AbsLift / se
			c.P = 2 * NormalCDF(-math.Abs(c.Z))
		}
	}
	if p0 > 0 {
		ratio := p1 / p0
		c.RelLift = ratio - 1
		// Var(p1/p0) ≈ (p1/p0)² (Var p1/p1² + Var p0/p0²); with p1 = 0 the
		// first term is Var p1/p0² instead.
		v := control.variance()/(p0*p0)*ratio*ratio + treatment.variance()/(p0*p0)
		c.RelLiftSE = math.Sqrt(v)
		c.RelLiftCI = Interval{c.RelLift - z*c.RelLiftSE, c.RelLift + z*c.RelLiftSE}
	}
	return c
}
