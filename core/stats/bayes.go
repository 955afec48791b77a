package stats

import "math"

// Beta is a Beta(A, B) posterior for a conversion rate.
type Beta struct{ A, B float64 }

// Posterior is the Beta posterior of a proportion under a uniform prior:
// Beta(1 + successes, 1 + failures). The caller checks Successes ≤ N.
func Posterior(p Proportion) Beta {
	return Beta{1 + float64(p.Successes), 1 + float64(p.N-p.Successes)}
}

// Mean is A/(A+B).
func (d Beta) Mean() float64 { return d.A / (d.A + d.B) }

// Variance is AB/((A+B)²(A+B+1)).
func (d Beta) Variance() float64 {
	s := d.A + d.B
	return d.A * d.B / (s * s * (s + 1))
}

// thirdMoment is the third central moment, skewness × sd³.
func (d Beta) thirdMoment() float64 {
	s := d.A + d.B
	skew := 2 * (d.B - d.A) * math.Sqrt(s+1) / ((s + 2) * math.Sqrt(d.A*d.B))
	v := d.Variance()
	return skew * v * math.Sqrt(v)
}

// large reports whether a Beta is close enough to normal for the moment
// approximation in ChanceToBeat: both parameters at least largeBeta.
// TestChanceToBeat_NormalPathAgrees bounds the error at this size.
func (d Beta) large() bool { return d.A >= largeBeta && d.B >= largeBeta }

// largeBeta is where ChanceToBeat stops integrating: from about 100
// conversions and 100 non-conversions in both arms the skew-corrected
// normal is within 0.001 of the closed form, at a hundredth of the cost.
const largeBeta = 100

// Bayes is the Bayesian view of a treatment against the control.
type Bayes struct {
	// ChanceToBeat is P(treatment rate > control rate).
	ChanceToBeat float64 `json:"chance_to_beat"`
	// Risk is the expected loss of shipping the treatment, E[max(0,
	// control − treatment)], relative to the control's expected rate.
	Risk float64 `json:"risk"`
	// RiskControl is the expected loss of keeping the control, on the same
	// scale.
	RiskControl float64 `json:"risk_control"`
}

// ChanceToBeat compares the Beta posteriors of treatment and control. At
// small counts it integrates numerically (see quadrature); once both are
// large it uses a normal approximation of the difference with an Edgeworth
// correction for skew, which is as exact to the printed digit.
func ChanceToBeat(control, treatment Beta) Bayes {
	mc := control.Mean()
	if control.large() && treatment.large() {
		mu := treatment.Mean() - mc
		sd := math.Sqrt(treatment.Variance() + control.Variance())
		gamma := (treatment.thirdMoment() - control.thirdMoment()) / (sd * sd * sd)
		z := -mu / sd
		// P(D > 0) = 1 − F(0), F(x) ≈ Φ(z) − φ(z)·γ/6·(z² − 1).
		chance := 1 - NormalCDF(z) + NormalPDF(z)*gamma/6*(z*z-1)
		loss := normalLoss(mu, sd)
		return Bayes{
			ChanceToBeat: min(max(chance, 0), 1),
			Risk:         loss / mc,
			RiskControl:  (loss + mu) / mc, // E[max(0, D)] = E[max(0, −D)] + E[D]
		}
	}
	c, t := newBetaGrid(control), newBetaGrid(treatment)
	return Bayes{
		ChanceToBeat: t.simpson(c.CDF),
		Risk:         c.simpson(t.shortfall) / mc,
		RiskControl:  t.simpson(c.shortfall) / mc,
	}
}

// normalLoss is E[max(0, −X)] for X ~ N(mu, sd²).
func normalLoss(mu, sd float64) float64 {
	if sd == 0 {
		return max(0, -mu)
	}
	return sd*NormalPDF(mu/sd) - mu*NormalCDF(-mu/sd)
}

// ProbabilityBest is, for each arm, the probability that its rate is the
// highest under the Beta posteriors, by numerical integration:
// P(i best) = ∫ fᵢ(x) Πⱼ≠ᵢ Fⱼ(x) dx. It is deterministic and accurate to
// about 10⁻⁴, so it can be printed to a tenth of a percent.
func ProbabilityBest(arms []Beta) []float64 {
	out := make([]float64, len(arms))
	switch len(arms) {
	case 0:
		return out
	case 1:
		out[0] = 1
		return out
	}
	grids := make([]*betaGrid, len(arms))
	for i, d := range arms {
		grids[i] = newBetaGrid(d)
	}
	sum := 0.0
	for i, gi := range grids {
		out[i] = gi.simpson(func(x float64) float64 {
			p := 1.0
			for j, gj := range grids {
				if j != i {
					p *= gj.CDF(x)
				}
			}
			return p
		})
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum // remove the quadrature's last 10⁻⁴
	}
	return out
}
