package core

import (
	"fmt"
	"math"

	"github.com/tandem-ops/tandem/core/stats"
)

// Interaction is the two-way interaction of two components of different
// slots: how much more (or less) the arms holding both convert than the
// two main effects add up to, against each slot's first component.
type Interaction struct {
	InteractionTerm
	// Effect is in conversion rate (0.05 is 5 points), with its interval.
	Effect      float64        `json:"effect"`
	CI          stats.Interval `json:"effect_ci"`
	P           float64        `json:"p"`
	Significant bool           `json:"significant"`
}

// interactionsNote says how an interaction is estimated in a fraction.
const interactionsNote = "in a fraction, the two-way interactions shown are those no other two-way interaction biases; three-way and higher interactions are assumed absent"

// estimateInteractions estimates the two-way interaction of every slot
// pair the arms' design separates cleanly (see interactionEstimable), each from its
// own model (the main effects and that pair's interaction, dummy-coded
// like them) with HC0 errors: each term with alpha split over all the
// terms, and the pair as a whole by a joint Wald test with alpha split
// over the pairs. Pairs the design confounds are named, not estimated.
// It returns the pairs the joint test calls.
func (e *Effects) estimateInteractions(factors []Factor, arms []ArmCounts, alpha float64) []slotPair {
	e.Interactions, e.InteractionTests, e.Confounded = []Interaction{}, []InteractionTest{}, []string{}
	runs := make([][]int, len(arms))
	full := 1
	for i, a := range arms {
		runs[i] = a.Levels
	}
	for _, f := range factors {
		full *= len(f.Levels)
	}
	var pairs []slotPair
	terms := 0
	for j := range factors {
		for k := j + 1; k < len(factors); k++ {
			// A full factorial separates every pair; a fraction is checked.
			if len(arms) < full && !interactionEstimable(factors, runs, j, k) {
				e.Confounded = append(e.Confounded, factors[j].Slot+"×"+factors[k].Slot)
				continue
			}
			// A slot of one component interacts with nothing.
			if n := (len(factors[j].Levels) - 1) * (len(factors[k].Levels) - 1); n > 0 {
				pairs = append(pairs, slotPair{j, k})
				terms += n
			}
		}
	}
	if terms == 0 {
		return nil
	}
	if len(arms) < full {
		e.Notes = append(e.Notes, interactionsNote)
	}
	e.InteractionConfidence = 1 - alpha/float64(terms)
	e.InteractionTestConfidence = 1 - alpha/float64(len(pairs))
	z := stats.NormalQuantile(1 - alpha/float64(terms)/2)
	var called []slotPair
	for _, pr := range pairs {
		fj, fk := factors[pr.j], factors[pr.k]
		rows := make([][]float64, len(arms))
		for i, a := range arms {
			rows[i] = interactionColumns(dummyRow(factors, a.Levels), factors, a.Levels, pr)
		}
		beta, cov, ok := fitHC0(rows, arms)
		if !ok {
			e.Notes = append(e.Notes, fmt.Sprintf("the %s×%s interaction needs units in more arms", fj.Slot, fk.Slot))
			continue
		}
		p, col := len(beta), params(factors)
		for l := 1; l < len(fj.Levels); l++ {
			for m := 1; m < len(fk.Levels); m++ {
				x, se := beta[col], math.Sqrt(max(cov[col*p+col], 0))
				in := Interaction{InteractionTerm: InteractionTerm{Slots: [2]string{fj.Slot, fk.Slot}, Components: [2]string{fj.Levels[l], fk.Levels[m]}}, Effect: x, P: 1}
				if se > 0 && finite(x, se) {
					in.CI = stats.Interval{Low: x - z*se, High: x + z*se}
					in.P = min(1, 2*stats.NormalCDF(-math.Abs(x/se)))
					in.Significant = in.CI.Low > 0 || in.CI.High < 0
				}
				e.Interactions = append(e.Interactions, in)
				col++
			}
		}
		df := (len(fj.Levels) - 1) * (len(fk.Levels) - 1)
		chi2, ok := jointWald(beta, cov, params(factors), df)
		if !ok {
			e.Notes = append(e.Notes, fmt.Sprintf("the %s×%s interaction cannot be tested as a whole: some of its terms have no variance yet (arms converting none or all of their units); the best predicted combination reads it as additive", fj.Slot, fk.Slot))
			continue
		}
		test := InteractionTest{Slots: [2]string{fj.Slot, fk.Slot}, Chi2: chi2, DF: df, P: stats.ChiSquareSF(chi2, float64(df))}
		test.Significant = test.P < alpha/float64(len(pairs))
		if test.Significant {
			called = append(called, pr)
		}
		e.InteractionTests = append(e.InteractionTests, test)
	}
	return called
}

// slotPair is two slots by index.
type slotPair struct{ j, k int }

// interactionColumns appends to row the dummy products of pair's
// components at levels.
func interactionColumns(row []float64, factors []Factor, levels []int, pr slotPair) []float64 {
	for l := 1; l < len(factors[pr.j].Levels); l++ {
		for m := 1; m < len(factors[pr.k].Levels); m++ {
			row = append(row, indicator(levels[pr.j] == l && levels[pr.k] == m))
		}
	}
	return row
}
