package core

import "github.com/tandem-ops/tandem/core/stats"

// InteractionTest is the joint Wald test that every interaction term of
// one slot pair is 0: whether the two slots interact at all. Unlike a
// single term, which is a contrast against each slot's first component,
// it does not depend on which components are listed first, so it is
// what the best predicted combination selects interactions by.
type InteractionTest struct {
	Slots [2]string `json:"slots"`
	// Chi2 is the Wald statistic β'V⁻¹β of the pair's terms (V their HC0
	// covariance, from the model of the main effects and that pair), on
	// DF degrees of freedom: (components − 1) × (components − 1).
	Chi2 float64 `json:"chi2"`
	DF   int     `json:"df"`
	P    float64 `json:"p"`
	// Significant is P under α over the pairs tested (Bonferroni): the
	// best predicted combination uses every term of such a pair.
	Significant bool `json:"significant"`
}

// jointWald is the Wald statistic β'V⁻¹β of the n coefficients of beta
// from col on, V their block of cov: an invertible recoding of those
// columns cancels out of it. ok is false when the block is singular (a
// term without variance, as when the arms behind it convert none or all
// of their units).
func jointWald(beta, cov []float64, col, n int) (chi2 float64, ok bool) {
	p := len(beta)
	block := make([]float64, n*n)
	for r := range n {
		copy(block[r*n:(r+1)*n], cov[(col+r)*p+col:(col+r)*p+col+n])
	}
	inv, ok := stats.Invert(block, n)
	if !ok {
		return 0, false
	}
	b := beta[col : col+n]
	chi2 = dot(b, mulVec(inv, b, n))
	return max(chi2, 0), finite(chi2)
}

// pairCells are every interaction term of pairs: each component of one
// slot but the first with each of the other's but the first.
func pairCells(factors []Factor, pairs []slotPair) []cellTerm {
	var out []cellTerm
	for _, pr := range pairs {
		for l := 1; l < len(factors[pr.j].Levels); l++ {
			for m := 1; m < len(factors[pr.k].Levels); m++ {
				out = append(out, cellTerm{pr.j, pr.k, l, m})
			}
		}
	}
	return out
}
