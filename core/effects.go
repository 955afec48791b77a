package core

import (
	"fmt"
	"math"
	"slices"

	"github.com/tandem-ops/tandem/core/stats"
)

// ArmCounts are one arm of a factorial test: the level of each slot it
// holds, and its exposed and converting units.
type ArmCounts struct {
	Key        string
	Levels     []int
	Units      uint64
	Converters uint64
}

// ComponentEffect is one component's main effect on the conversion rate:
// against its slot's reference component (the first listed), the others
// held fixed.
type ComponentEffect struct {
	Slot      string `json:"slot"`
	Component string `json:"component"`
	// Reference marks the slot's first component, which the others are
	// measured against; its effect is 0 by definition.
	Reference bool `json:"reference"`
	// Effect is the difference in conversion rate (0.02 is 2 points), with
	// its interval; Lift is Effect over the rate of the arms that hold the
	// reference component.
	Effect      float64        `json:"effect"`
	CI          stats.Interval `json:"effect_ci"`
	Lift        float64        `json:"lift"`
	P           float64        `json:"p"`
	Significant bool           `json:"significant"`
}

// Combination is one component per slot, with its rate.
type Combination struct {
	Components map[string]string `json:"components"`
	Rate       float64           `json:"rate"`
	// Arm is the arm that holds the combination; "" when the design did
	// not test it (a fraction predicts it from the model).
	Arm string `json:"arm"`
}

// Effects is what a factorial test says about its components.
type Effects struct {
	// Model says how the effects were estimated, in words.
	Model string `json:"model"`
	// Confidence is the level of every interval: 1 − α over the number of
	// effects (Bonferroni).
	Confidence float64           `json:"confidence"`
	Components []ComponentEffect `json:"components"`
	// Interactions are the two-way interactions of the slot pairs the
	// design separates from the main effects (every pair in a full
	// factorial), at InteractionConfidence: 1 − α over their number.
	Interactions          []Interaction `json:"interactions"`
	InteractionConfidence float64       `json:"interaction_confidence"`
	// InteractionTests test each of those pairs as a whole, at
	// InteractionTestConfidence: 1 − α over their number.
	InteractionTests          []InteractionTest `json:"interaction_tests"`
	InteractionTestConfidence float64           `json:"interaction_test_confidence"`
	// Confounded names the slot pairs ("headline×cta") whose interaction
	// the design cannot tell from the main effects: read those as additive.
	Confounded    []string     `json:"interactions_confounded"`
	BestObserved  *Combination `json:"best_observed"`
	BestPredicted *Prediction  `json:"best_predicted"`
	Notes         []string     `json:"notes,omitempty"`
}

// effectsModel names the method, as `x` and `--effects` say it.
const effectsModel = "linear probability model of conversion on the components (main effects, dummy-coded against each slot's first component; " +
	"each two-way interaction from the main effects plus that pair's products), fitted to arm totals with heteroskedasticity-robust (HC0) errors; " +
	"each estimable pair is also tested as a whole (joint Wald χ², Bonferroni over the pairs); " +
	"the best predicted combination maximises the main effects plus every term of each pair that test calls, refitted together; " +
	"fixed horizon: read it once the planned sample is in, not while watching"

// EstimateEffects fits the main effects of factors' components to the arms
// (a design's runs with their counts), estimates the two-way interactions
// the design separates, and finds the best observed arm and the best
// predicted combination. alpha is split over the effects.
func EstimateEffects(factors []Factor, arms []ArmCounts, alpha float64) (Effects, error) {
	out := Effects{Model: effectsModel, Components: []ComponentEffect{}, Interactions: []Interaction{}, InteractionTests: []InteractionTest{}, Confounded: []string{}}
	p := params(factors)
	var units uint64
	var best *ArmCounts
	for i := range arms {
		a := &arms[i]
		if a.Converters > a.Units {
			return out, fmt.Errorf("arm %s: %d converting units of %d exposed; check the exposure logging", a.Key, a.Converters, a.Units)
		}
		units += a.Units
		if a.Units > 0 && (best == nil || rate(*a) > rate(*best)) {
			best = a
		}
	}
	if best == nil {
		out.Notes = append(out.Notes, "no units yet")
		return out, nil
	}
	out.BestObserved = &Combination{Components: componentsOf(factors, best.Levels), Rate: rate(*best), Arm: best.Key}
	rows := make([][]float64, len(arms))
	for i, a := range arms {
		rows[i] = dummyRow(factors, a.Levels)
	}
	beta, cov, ok := fitHC0(rows, arms)
	if !ok {
		out.Notes = append(out.Notes, "the arms with units cannot separate every component yet; wait until every arm has units")
		return out, nil
	}
	effects := p - 1
	out.Confidence = 1 - alpha/float64(effects)
	z := stats.NormalQuantile(1 - alpha/float64(effects)/2)
	col := 1
	for j, f := range factors {
		refRate := slotRate(arms, j, 0)
		out.Components = append(out.Components, ComponentEffect{Slot: f.Slot, Component: f.Levels[0], Reference: true, P: 1})
		for l := 1; l < len(f.Levels); l++ {
			e, se := beta[col], math.Sqrt(max(cov[col*p+col], 0))
			ce := ComponentEffect{Slot: f.Slot, Component: f.Levels[l], Effect: e, P: 1}
			if se > 0 && finite(e, se) {
				ce.CI = stats.Interval{Low: e - z*se, High: e + z*se}
				ce.P = min(1, 2*stats.NormalCDF(-math.Abs(e/se)))
				ce.Significant = ce.CI.Low > 0 || ce.CI.High < 0
			}
			if refRate > 0 {
				ce.Lift = e / refRate
			}
			out.Components = append(out.Components, ce)
			col++
		}
	}
	pairs := out.estimateInteractions(factors, arms, alpha)
	out.predictBest(predictionModel{factors: factors, beta: beta, cov: cov}, arms, pairs, alpha, maxCombinations)
	return out, nil
}

// fitHC0 fits a linear probability model to arms, rows[i] being arm i's
// regressors, weighted by units, and returns the coefficients and their
// HC0 covariance; ok is false when the arms with units cannot separate
// the columns.
func fitHC0(rows [][]float64, arms []ArmCounts) (beta, cov []float64, ok bool) {
	p := len(rows[0])
	// X'WX and X'Wy over arms, W the units.
	xtx, xty := make([]float64, p*p), make([]float64, p)
	for i, a := range arms {
		n := float64(a.Units)
		for r := range p {
			xty[r] += n * rows[i][r] * rate(a)
			for c := range p {
				xtx[r*p+c] += n * rows[i][r] * rows[i][c]
			}
		}
	}
	bread, ok := stats.Invert(xtx, p)
	if !ok {
		return nil, nil, false
	}
	beta = mulVec(bread, xty, p)
	// HC0 meat from arm totals: a unit's squared residual is (1−μ)² when it
	// converted and μ² when not, so an arm adds n((p̂−μ)² + p̂(1−p̂)) x x'.
	meat := make([]float64, p*p)
	for i, a := range arms {
		mu := dot(rows[i], beta)
		ph := rate(a)
		w := float64(a.Units) * ((ph-mu)*(ph-mu) + ph*(1-ph))
		for r := range p {
			for c := range p {
				meat[r*p+c] += w * rows[i][r] * rows[i][c]
			}
		}
	}
	return beta, mulMat(mulMat(bread, meat, p), bread, p), true
}

func rate(a ArmCounts) float64 {
	if a.Units == 0 {
		return 0
	}
	return float64(a.Converters) / float64(a.Units)
}

// slotRate is the pooled rate of the arms holding level l of slot j.
func slotRate(arms []ArmCounts, j, l int) float64 {
	var n, c uint64
	for _, a := range arms {
		if a.Levels[j] == l {
			n, c = n+a.Units, c+a.Converters
		}
	}
	if n == 0 {
		return 0
	}
	return float64(c) / float64(n)
}

// dummyRow is 1, then for each slot an indicator of each component but
// the first.
func dummyRow(factors []Factor, levels []int) []float64 {
	row := []float64{1}
	for j, f := range factors {
		for l := 1; l < len(f.Levels); l++ {
			row = append(row, indicator(levels[j] == l))
		}
	}
	return row
}

func indicator(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func componentsOf(factors []Factor, levels []int) map[string]string {
	m := make(map[string]string, len(factors))
	for j, f := range factors {
		m[f.Slot] = f.Levels[levels[j]]
	}
	return m
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func mulVec(m, v []float64, p int) []float64 {
	out := make([]float64, p)
	for r := range p {
		out[r] = dot(m[r*p:(r+1)*p], v)
	}
	return out
}

func mulMat(a, b []float64, p int) []float64 {
	out := make([]float64, p*p)
	for r := range p {
		for k := range p {
			if a[r*p+k] == 0 {
				continue
			}
			for c := range p {
				out[r*p+c] += a[r*p+k] * b[k*p+c]
			}
		}
	}
	return out
}

// FactorialEffects reads a factorial experiment's effects from its totals:
// each variant is the run of the components it holds. ok is false for an
// experiment that is not factorial.
func FactorialEffects(e Experiment, totals map[string]VariantTotals, alpha float64) (Effects, bool, error) {
	if len(e.Factors) == 0 {
		return Effects{}, false, nil
	}
	arms := make([]ArmCounts, 0, len(e.Variants))
	for _, v := range e.Variants {
		levels := make([]int, len(e.Factors))
		for j, f := range e.Factors {
			levels[j] = slices.Index(f.Levels, v.Components[f.Slot])
			if levels[j] < 0 {
				return Effects{}, true, fmt.Errorf("variant %s holds no component of slot %s", v.Key, f.Slot)
			}
		}
		t := totals[v.Key]
		arms = append(arms, ArmCounts{Key: v.Key, Levels: levels, Units: t.Exposures, Converters: t.Converters})
	}
	eff, err := EstimateEffects(e.Factors, arms, alpha)
	return eff, true, err
}
