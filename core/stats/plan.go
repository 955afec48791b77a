package stats

import (
	"math"
	"slices"
)

// Holm adjusts p-values for testing several variants against one control,
// by Holm's step-down method; the result is in the input's order.
func Holm(p []float64) []float64 {
	m := len(p)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	out := make([]float64, m)
	running := 0.0
	for rank, i := range order {
		adj := min(float64(m-rank)*p[i], 1)
		running = max(running, adj) // adjusted p-values never decrease
		out[i] = running
	}
	return out
}

// SRMThreshold is the p-value below which a sample-ratio mismatch is flagged.
const SRMThreshold = 0.001

// SampleRatio tests whether exposures split as the configured weights say,
// by a chi-square goodness-of-fit test; it returns the statistic and p.
func SampleRatio(exposures []uint64, weights []float64) (chi2, p float64) {
	var total, wsum float64
	for i, n := range exposures {
		total += float64(n)
		wsum += weights[i]
	}
	if total == 0 || wsum == 0 || len(exposures) < 2 {
		return 0, 1
	}
	for i, n := range exposures {
		expected := total * weights[i] / wsum
		if expected > 0 {
			d := float64(n) - expected
			chi2 += d * d / expected
		}
	}
	return chi2, ChiSquareSF(chi2, float64(len(exposures)-1))
}

// SampleSize is the units needed per arm to detect a change from rate base
// to rate target with a two-sided test at level alpha and the given power
// (the formula of R's power.prop.test).
func SampleSize(base, target, alpha, power float64) float64 {
	d := math.Abs(target - base)
	if d == 0 {
		return math.Inf(1)
	}
	za := NormalQuantile(1 - alpha/2)
	zb := NormalQuantile(power)
	pbar := (base + target) / 2
	num := za*math.Sqrt(2*pbar*(1-pbar)) + zb*math.Sqrt(base*(1-base)+target*(1-target))
	return num * num / (d * d)
}
