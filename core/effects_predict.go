package core

import (
	"fmt"
	"math"
	"slices"

	"github.com/tandem-ops/tandem/core/stats"
)

// maxCombinations bounds the search for the best predicted combination
// under interactions. Past it the prediction keeps to the main effects,
// which are maximised slot by slot whatever the number of combinations.
const maxCombinations = 100_000

// InteractionTerm names one two-way interaction term: a component of
// each of two slots, in slot order.
type InteractionTerm struct {
	Slots      [2]string `json:"slots"`
	Components [2]string `json:"components"`
}

// Prediction is the combination the fitted model predicts converts best:
// the main effects plus the interaction terms in UsesInteractions,
// maximised over every combination of components. The order the slots
// and their components are listed in changes it only between
// combinations that tie.
type Prediction struct {
	Combination
	// RateCI is the predicted rate's interval at Confidence, 1 − α over
	// the Combinations searched (Bonferroni): it holds whichever
	// combination the search picks, so picking the highest does not
	// void it. It is the model's: three-way and higher interactions, and
	// the interactions left out, are taken as absent, and the terms used
	// as given, though the same data chose them.
	RateCI       stats.Interval `json:"rate_ci"`
	Confidence   float64        `json:"confidence"`
	Combinations int            `json:"combinations"`
	// UsesInteractions are the interaction terms added to the main
	// effects, refitted together with them: every term of each estimable
	// slot pair whose joint test is significant (Effects.InteractionTests),
	// so that the model is the same whichever component is each slot's
	// reference. The other pairs are not used, so that noise does not
	// pick the combination. Empty: main effects only.
	UsesInteractions []InteractionTerm `json:"uses_interactions"`
}

// cellTerm is an interaction term by index: level l of slot j with level
// m of slot k, j < k, neither level a reference.
type cellTerm struct{ j, k, l, m int }

// predictionModel is a fitted linear probability model: the dummy-coded
// main effects, then one column per interaction term.
type predictionModel struct {
	factors   []Factor
	terms     []cellTerm
	beta, cov []float64
}

// predictBest sets the best predicted combination: the main-effects fit
// refitted with every term of pairs (the slot pairs whose interaction is
// significant as a whole), searched over every combination, unless there
// are more than limit of them.
func (e *Effects) predictBest(main predictionModel, arms []ArmCounts, pairs []slotPair, alpha float64, limit int) {
	m, n := main, combinationCount(main.factors)
	switch {
	case len(pairs) == 0:
	case n > limit:
		e.Notes = append(e.Notes, fmt.Sprintf("%d combinations are more than the %d searched under interactions: the best predicted combination is each slot's best by main effect", n, limit))
	default:
		fit, ok := main.withTerms(arms, pairCells(main.factors, pairs))
		if !ok {
			e.Notes = append(e.Notes, "the interacting slot pairs cannot be fitted together: the best predicted combination is each slot's best by main effect")
			break
		}
		m = fit
	}
	levels := m.best()
	rate := m.rate(levels)
	row := m.row(levels)
	se := math.Sqrt(max(dot(row, mulVec(m.cov, row, len(row))), 0))
	z := -stats.NormalQuantile(alpha / float64(n) / 2)
	p := &Prediction{
		Combination:      Combination{Components: componentsOf(m.factors, levels), Rate: clampRate(rate)},
		RateCI:           stats.Interval{Low: 0, High: 1},
		Confidence:       1 - alpha/float64(n),
		Combinations:     n,
		UsesInteractions: m.termNames(),
	}
	if low, high := rate-z*se, rate+z*se; finite(low, high) {
		p.RateCI = stats.Interval{Low: clampRate(low), High: clampRate(high)}
	}
	for _, a := range arms {
		if slices.Equal(a.Levels, levels) {
			p.Arm = a.Key
		}
	}
	e.BestPredicted = p
}

// combinationCount is the number of combinations of factors' components,
// saturating at the largest int.
func combinationCount(factors []Factor) int {
	n := 1
	for _, f := range factors {
		if l := len(f.Levels); l > 0 && n > math.MaxInt/l {
			return math.MaxInt
		}
		n *= len(f.Levels)
	}
	return n
}

// withTerms refits m's main effects with terms' columns; ok is false when
// the arms with units cannot separate them.
func (m predictionModel) withTerms(arms []ArmCounts, terms []cellTerm) (predictionModel, bool) {
	fit := predictionModel{factors: m.factors, terms: terms}
	rows := make([][]float64, len(arms))
	for i, a := range arms {
		rows[i] = fit.row(a.Levels)
	}
	var ok bool
	fit.beta, fit.cov, ok = fitHC0(rows, arms)
	return fit, ok
}

// row is the model's regressors at levels.
func (m predictionModel) row(levels []int) []float64 {
	row := dummyRow(m.factors, levels)
	for _, t := range m.terms {
		row = append(row, indicator(levels[t.j] == t.l && levels[t.k] == t.m))
	}
	return row
}

// rate is the model's predicted rate at levels, unclamped: row(levels)·β
// without building the row.
func (m predictionModel) rate(levels []int) float64 {
	r, col := m.beta[0], 1
	for j, f := range m.factors {
		if levels[j] > 0 {
			r += m.beta[col+levels[j]-1]
		}
		col += len(f.Levels) - 1
	}
	for i, t := range m.terms {
		if levels[t.j] == t.l && levels[t.k] == t.m {
			r += m.beta[col+i]
		}
	}
	return r
}

// best is the levels of the combination with the highest predicted rate,
// the first in slot and level order among ties. Without interactions
// each slot's best component is the best of its slot; with them, every
// combination is tried.
func (m predictionModel) best() []int {
	levels := make([]int, len(m.factors))
	if len(m.terms) == 0 {
		col := 1
		for j, f := range m.factors {
			bestEffect := 0.0
			for l := 1; l < len(f.Levels); l++ {
				if e := m.beta[col]; e > bestEffect {
					levels[j], bestEffect = l, e
				}
				col++
			}
		}
		return levels
	}
	at := make([]int, len(m.factors))
	bestRate := math.Inf(-1)
	for {
		if r := m.rate(at); r > bestRate {
			bestRate = r
			copy(levels, at)
		}
		if !nextCombination(at, m.factors) {
			return levels
		}
	}
}

// nextCombination steps at to the next combination of factors' levels,
// the last slot fastest; false once every combination has been visited.
func nextCombination(at []int, factors []Factor) bool {
	for j := len(at) - 1; j >= 0; j-- {
		if at[j]++; at[j] < len(factors[j].Levels) {
			return true
		}
		at[j] = 0
	}
	return false
}

// termNames names m's interaction terms by slot and component.
func (m predictionModel) termNames() []InteractionTerm {
	out := make([]InteractionTerm, len(m.terms))
	for i, t := range m.terms {
		fj, fk := m.factors[t.j], m.factors[t.k]
		out[i] = InteractionTerm{Slots: [2]string{fj.Slot, fk.Slot}, Components: [2]string{fj.Levels[t.l], fk.Levels[t.m]}}
	}
	return out
}

func clampRate(r float64) float64 { return min(max(r, 0), 1) }
