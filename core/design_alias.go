package core

import (
	"math"

	"github.com/tandem-ops/tandem/core/stats"
)

// aliasTolerance is how large an alias coefficient may be and still count
// as none: contrasts are normalised, so real aliasing is far larger.
const aliasTolerance = 1e-9

// interactionEstimable reports whether runs separate the j×k interaction
// cleanly: the model of every main effect and that interaction is of full
// rank, and no other two-way interaction would bias its estimate (its rows
// of the alias matrix (X₁'X₁)⁻¹X₁'X₂, X₂ the other pairs' contrast
// products, are zero). In a fraction an interaction that is merely
// estimable beside the main effects can still carry another pair's (in
// 12 arms of 4×3×3, body×cta carries headline×cta); such a pair is
// confounded.
func interactionEstimable(factors []Factor, runs [][]int, j, k int) bool {
	main := params(factors)
	own := (len(factors[j].Levels) - 1) * (len(factors[k].Levels) - 1)
	p := main + own
	if p > len(runs) {
		return false
	}
	var x1, x2 []float64
	xtx := make([]float64, p*p)
	var others int
	for _, run := range runs {
		x1 = pairContrasts(factors, run, j, k, mainRow(factors, run, x1))
		for a := range p {
			for b := range p {
				xtx[a*p+b] += x1[a] * x1[b]
			}
		}
	}
	inv, ok := stats.Invert(xtx, p)
	if !ok {
		return false
	}
	// X₁'X₂, one column per other pair's contrast product.
	var cross []float64 // p rows × others columns, built column by column
	for a := range factors {
		for b := a + 1; b < len(factors); b++ {
			if a == j && b == k {
				continue
			}
			n := (len(factors[a].Levels) - 1) * (len(factors[b].Levels) - 1)
			cols := make([]float64, p*n)
			for _, run := range runs {
				x1 = pairContrasts(factors, run, j, k, mainRow(factors, run, x1))
				x2 = pairContrasts(factors, run, a, b, x2[:0])
				for r := range p {
					for c := range n {
						cols[r*n+c] += x1[r] * x2[c]
					}
				}
			}
			for c := range n {
				for r := range p {
					cross = append(cross, cols[r*n+c])
				}
			}
			others += n
		}
	}
	// The interaction's rows of the alias matrix.
	for r := main; r < p; r++ {
		for c := range others {
			alias := 0.0
			for s := range p {
				alias += inv[r*p+s] * cross[c*p+s]
			}
			if math.Abs(alias) > aliasTolerance {
				return false
			}
		}
	}
	return true
}

// pairContrasts appends to row the products of the j and k factors'
// contrasts at run.
func pairContrasts(factors []Factor, run []int, j, k int, row []float64) []float64 {
	for a := 1; a < len(factors[j].Levels); a++ {
		for b := 1; b < len(factors[k].Levels); b++ {
			row = append(row, helmert(run[j], a, len(factors[j].Levels))*helmert(run[k], b, len(factors[k].Levels)))
		}
	}
	return row
}
