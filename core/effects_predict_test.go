package core

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core/stats"
)

// Ensure that the best predicted combination is the argmax, over every
// combination, of an OLS fitted here unit by unit (White's HC0 sandwich,
// as statsmodels' OLS(...).fit(cov_type="HC0")) on the main effects plus
// every term of exactly the estimable slot pairs whose joint test is
// significant, with its rate and its interval (Bonferroni over the
// combinations) to 1e-12: an interaction that flips the best pick is used
// and finds the best cell; aliased interactions and a non-significant one
// are not, and the pick is the main effects'.
func TestEstimateEffects_BestPredictedUsesInteractions(t *testing.T) {
	hbc := []Factor{{Slot: "headline", Levels: levelNames("h", 3)}, {Slot: "body", Levels: levelNames("b", 2)}, {Slot: "cta", Levels: levelNames("c", 2)}}
	hc := []Factor{{Slot: "headline", Levels: levelNames("h", 2)}, {Slot: "cta", Levels: levelNames("c", 2)}}
	for _, tc := range []struct {
		name        string
		factors     []Factor
		maxArms     int
		units       uint64
		effect      map[string]float64
		interaction map[[2]string]float64
		// uses are the interaction terms expected in the model; want the
		// expected pick, in slot order; mainPick, when set, the pick of
		// the main effects alone, which the interactions overturn.
		uses     []InteractionTerm
		want     []string
		mainPick []string
	}{
		{
			// h2 is the best headline alone (+1 pt on average), but h1
			// with c2 converts at 16.5 %, 2.5 points above any h2 arm.
			name: "full 3×2×2, h1×c2 flips the headline", factors: hbc, maxArms: 12, units: 10000,
			effect: map[string]float64{"h2": 0.04, "b2": 0.005}, interaction: map[[2]string]float64{{"h1", "c2"}: 0.06},
			uses: []InteractionTerm{{[2]string{"headline", "cta"}, [2]string{"h2", "c2"}}, {[2]string{"headline", "cta"}, [2]string{"h3", "c2"}}},
			want: []string{"h1", "b2", "c2"}, mainPick: []string{"h2", "b2", "c2"},
		},
		{
			name: "fraction of 4×3×3 in 12 arms, every pair confounded", factors: []Factor{{Slot: "headline", Levels: levelNames("h", 4)}, hbc[1], {Slot: "cta", Levels: levelNames("c", 3)}}, maxArms: 12, units: 20000,
			effect: map[string]float64{"h2": 0.02, "c2": 0.01}, interaction: map[[2]string]float64{{"h1", "c3"}: 0.06},
		},
		{
			name: "2⁴⁻¹ half fraction, pairs aliased with one another", factors: factorsOf(2, 2, 2, 2), maxArms: 8, units: 20000,
			effect: map[string]float64{"c0-1": 0.02}, interaction: map[[2]string]float64{{"c0-0", "c1-1"}: 0.06},
		},
		{
			// The h1×c2 interaction would flip the pick, but 1,000 units
			// an arm do not call it: the main effects pick.
			name: "full 2×2, h1×c2 not significant", factors: hc, maxArms: 4, units: 1000,
			effect: map[string]float64{"h2": 0.02}, interaction: map[[2]string]float64{{"h1", "c2"}: 0.03},
			want: []string{"h2", "c2"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := BuildDesign(tc.factors, tc.maxArms)
			if err != nil {
				t.Fatal(err)
			}
			arms := armsWithInteractions(d, tc.units, 0.10, tc.effect, tc.interaction)
			e, err := EstimateEffects(d.Factors, arms, 0.05)
			if err != nil {
				t.Fatal(err)
			}
			p := e.BestPredicted
			if p == nil {
				t.Fatalf("no best predicted combination: %v", e.Notes)
			}
			if !slices.Equal(p.UsesInteractions, tc.uses) && len(p.UsesInteractions)+len(tc.uses) > 0 {
				t.Errorf("uses interactions %v, want %v", p.UsesInteractions, tc.uses)
			}
			for _, in := range e.Interactions {
				pairCalled := slices.ContainsFunc(e.InteractionTests, func(x InteractionTest) bool { return x.Slots == in.Slots && x.Significant })
				if used := slices.Contains(p.UsesInteractions, in.InteractionTerm); used != pairCalled {
					t.Errorf("interaction %v used %v; its pair's joint test called %v", in.Components, used, pairCalled)
				}
			}

			// The reference: OLS unit by unit on the dummies and the used
			// terms' products, then every combination tried.
			rowOf := func(levels []int) []float64 {
				row := dummyRow(d.Factors, levels)
				for _, u := range tc.uses {
					j, k := slotIndex(d.Factors, u.Slots[0]), slotIndex(d.Factors, u.Slots[1])
					row = append(row, indicator(d.Factors[j].Levels[levels[j]] == u.Components[0] && d.Factors[k].Levels[levels[k]] == u.Components[1]))
				}
				return row
			}
			beta, cov := unitLevelHC0(arms, rowOf)
			var best []int
			bestRate := math.Inf(-1)
			combinations := 0
			for levels := range allCombinations(d.Factors) {
				combinations++
				if r := dot(rowOf(levels), beta); r > bestRate+1e-12 {
					best, bestRate = slices.Clone(levels), r
				}
			}
			x := rowOf(best)
			se := math.Sqrt(dot(x, mulVec(cov, x, len(x))))
			z := stats.NormalQuantile(1 - 0.05/float64(combinations)/2)
			if !maps.Equal(p.Components, componentsOf(d.Factors, best)) || math.Abs(p.Rate-bestRate) > 1e-12 ||
				math.Abs(p.RateCI.Low-(bestRate-z*se)) > 1e-12 || math.Abs(p.RateCI.High-(bestRate+z*se)) > 1e-12 {
				t.Errorf("best predicted %v %.6f [%.6f, %.6f]; reference %v %.6f ± %.4f·%.6f",
					p.Components, p.Rate, p.RateCI.Low, p.RateCI.High, componentsOf(d.Factors, best), bestRate, z, se)
			}
			if p.Combinations != combinations || math.Abs(p.Confidence-(1-0.05/float64(combinations))) > 1e-12 {
				t.Errorf("interval at %v over %d combinations, want %d", p.Confidence, p.Combinations, combinations)
			}
			if tc.want != nil && !slices.Equal(picks(d.Factors, p.Components), tc.want) {
				t.Errorf("picked %v, want %v", picks(d.Factors, p.Components), tc.want)
			}
			if len(tc.uses) == 0 && !slices.Equal(picks(d.Factors, p.Components), mainEffectsPick(e)) {
				t.Errorf("without interactions picked %v; the main effects pick %v", picks(d.Factors, p.Components), mainEffectsPick(e))
			}
			if tc.mainPick != nil {
				if got := mainEffectsPick(e); !slices.Equal(got, tc.mainPick) {
					t.Errorf("the main effects alone pick %v, want %v", got, tc.mainPick)
				}
				// Brute force over the arms' rates (a full factorial,
				// exact rates): the truth the interactions find.
				top := slices.MaxFunc(arms, func(a, b ArmCounts) int { return cmpRate(a, b) })
				if p.Arm != top.Key || math.Abs(p.Rate-rate(top)) > 1e-12 {
					t.Errorf("predicted %s at %v; the best arm is %s at %v", p.Arm, p.Rate, top.Key, rate(top))
				}
			}
		})
	}
}

// Ensure that past the bound on combinations the best predicted
// combination keeps to the main effects and says so, even with a
// significant interaction.
func TestEstimateEffects_BestPredictedCombinationBound(t *testing.T) {
	d, err := BuildDesign([]Factor{{Slot: "headline", Levels: levelNames("h", 3)}, {Slot: "body", Levels: levelNames("b", 2)}, {Slot: "cta", Levels: levelNames("c", 2)}}, 12)
	if err != nil {
		t.Fatal(err)
	}
	arms := armsWithInteractions(d, 10000, 0.10, map[string]float64{"h2": 0.04, "b2": 0.005}, map[[2]string]float64{{"h1", "c2"}: 0.06})
	rows := make([][]float64, len(arms))
	for i, a := range arms {
		rows[i] = dummyRow(d.Factors, a.Levels)
	}
	beta, cov, ok := fitHC0(rows, arms)
	if !ok {
		t.Fatal("the main effects do not fit")
	}
	for _, tc := range []struct {
		limit    int
		headline string
		uses     int
		note     bool
	}{{12, "h1", 2, false}, {11, "h2", 0, true}} {
		var e Effects
		pairs := e.estimateInteractions(d.Factors, arms, 0.05)
		e.predictBest(predictionModel{factors: d.Factors, beta: beta, cov: cov}, arms, pairs, 0.05, tc.limit)
		noted := slices.ContainsFunc(e.Notes, func(n string) bool { return strings.Contains(n, "12 combinations are more than the 11") })
		if p := e.BestPredicted; len(pairs) != 1 || p.Components["headline"] != tc.headline || len(p.UsesInteractions) != tc.uses || noted != tc.note {
			t.Errorf("limit %d: %d significant pairs, %+v, notes %v", tc.limit, len(pairs), p, e.Notes)
		}
	}
	if n := combinationCount(factorsOf(10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10)); n != math.MaxInt {
		t.Errorf("10²⁰ combinations counted as %d", n)
	}
}

// Ensure that arms without units, a slot of one component and rates of
// 0 give a best predicted combination with finite numbers, its interval
// within [0, 1] and holding its rate, and that the slot of one component
// is in no interaction test.
func TestEstimateEffects_BestPredictedFinite(t *testing.T) {
	// No design has a slot of one component; stored arms could.
	d := Design{Factors: []Factor{{Slot: "headline", Levels: levelNames("h", 3)}, {Slot: "tone", Levels: levelNames("t", 1)}, {Slot: "cta", Levels: levelNames("c", 2)}}}
	for levels := range allCombinations(d.Factors) {
		d.Runs = append(d.Runs, slices.Clone(levels))
	}
	for name, arms := range map[string][]ArmCounts{
		"an arm without units": func() []ArmCounts {
			arms := armsWithInteractions(d, 5000, 0.10, map[string]float64{"h2": 0.03}, map[[2]string]float64{{"h1", "c2"}: 0.08})
			arms[5].Units, arms[5].Converters = 0, 0
			return arms
		}(),
		"no conversions":      armsWith(d, 5000, 0, nil),
		"every unit converts": armsWith(d, 5000, 1, nil),
	} {
		t.Run(name, func(t *testing.T) {
			e, err := EstimateEffects(d.Factors, arms, 0.05)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := json.Marshal(e); err != nil {
				t.Fatalf("not JSON (NaN or Inf): %v", err)
			}
			p := e.BestPredicted
			if p == nil || p.Components["tone"] != "t1" || !p.RateCI.Contains(p.Rate) || p.RateCI.Low < 0 || p.RateCI.High > 1 {
				t.Errorf("best predicted %+v, notes %v", p, e.Notes)
			}
			// A slot of one component has no interaction to test.
			for _, x := range e.InteractionTests {
				if x.DF == 0 || slices.Contains(x.Slots[:], "tone") {
					t.Errorf("tested %+v", x)
				}
			}
			if slices.ContainsFunc(e.Notes, func(n string) bool { return strings.Contains(n, "tone") }) {
				t.Errorf("notes on the one-component slot: %v", e.Notes)
			}
		})
	}
}

// allCombinations yields every combination of factors' levels.
func allCombinations(factors []Factor) func(func([]int) bool) {
	return func(yield func([]int) bool) {
		at := make([]int, len(factors))
		for {
			if !yield(at) {
				return
			}
			j := len(at) - 1
			for ; j >= 0; j-- {
				if at[j]++; at[j] < len(factors[j].Levels) {
					break
				}
				at[j] = 0
			}
			if j < 0 {
				return
			}
		}
	}
}

// mainEffectsPick is each slot's component of largest main effect.
func mainEffectsPick(e Effects) []string {
	var out []string
	var best ComponentEffect
	for i, c := range e.Components {
		if c.Reference {
			best = c
		} else if c.Effect > best.Effect {
			best = c
		}
		if i+1 == len(e.Components) || e.Components[i+1].Reference {
			out = append(out, best.Component)
		}
	}
	return out
}

func slotIndex(factors []Factor, slot string) int {
	return slices.IndexFunc(factors, func(f Factor) bool { return f.Slot == slot })
}

func picks(factors []Factor, components map[string]string) []string {
	out := make([]string, len(factors))
	for j, f := range factors {
		out[j] = components[f.Slot]
	}
	return out
}

func cmpRate(a, b ArmCounts) int {
	switch ra, rb := rate(a), rate(b); {
	case ra < rb:
		return -1
	case ra > rb:
		return 1
	}
	return 0
}

// BenchmarkPredictionModel_Best100k searches the largest model the best
// predicted combination searches: 10⁵ combinations of five ten-component
// slots, under three interaction terms (target ≤ 20 ms).
func BenchmarkPredictionModel_Best100k(b *testing.B) {
	factors := factorsOf(10, 10, 10, 10, 10)
	m := predictionModel{factors: factors, terms: []cellTerm{{0, 1, 3, 4}, {0, 2, 5, 5}, {3, 4, 9, 1}}}
	m.beta = make([]float64, params(factors)+len(m.terms))
	for i := range m.beta {
		m.beta[i] = float64(i%7) / 1000
	}
	if n := combinationCount(factors); n > maxCombinations {
		b.Fatalf("%d combinations, over the bound %d", n, maxCombinations)
	}
	b.ReportAllocs()
	for b.Loop() {
		m.best()
	}
}
