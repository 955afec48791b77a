package stats

import (
	"math"
	"math/rand/v2"
)

// ChanceToBeat is the normal approximation on the relative lift: the
// probability the treatment beats the control, and the expected loss (in
// relative lift) of shipping the treatment if it is in fact worse.
func ChanceToBeat(c Comparison) (chance, risk float64) {
	mu, s := c.RelLift, c.RelLiftSE
	if s == 0 {
		switch {
		case mu > 0:
			return 1, 0
		case mu < 0:
			return 0, -mu
		}
		return 0.5, 0
	}
	chance = NormalCDF(mu / s)
	// E[max(0, −X)] for X ~ N(mu, s²).
	risk = s*NormalPDF(mu/s) - mu*NormalCDF(-mu/s)
	return chance, risk
}

// DefaultDraws is how many posterior draws ProbabilityBest takes.
const DefaultDraws = 4000

// ProbabilityBest estimates, for each arm, the probability that its true
// rate is the highest, by Monte Carlo over Beta(1+successes, 1+failures)
// posteriors. The seed is fixed by the caller so the same data always shows
// the same numbers.
func ProbabilityBest(arms []Proportion, draws int, seed uint64) []float64 {
	out := make([]float64, len(arms))
	if len(arms) == 0 || draws <= 0 {
		return out
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	wins := make([]int, len(arms))
	for range draws {
		best, bestV := 0, -1.0
		for i, a := range arms {
			v := betaSample(rng, 1+float64(a.Successes), 1+float64(a.N-a.Successes))
			if v > bestV {
				best, bestV = i, v
			}
		}
		wins[best]++
	}
	for i, w := range wins {
		out[i] = float64(w) / float64(draws)
	}
	return out
}

// betaSample draws from Beta(a, b) as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b).
func betaSample(rng *rand.Rand, a, b float64) float64 {
	x := gammaSample(rng, a)
	return x / (x + gammaSample(rng, b))
}

// gammaSample draws from Gamma(shape, 1) for shape ≥ 1 by Marsaglia and
// Tsang (2000), "A simple method for generating gamma variables".
func gammaSample(rng *rand.Rand, shape float64) float64 {
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}
