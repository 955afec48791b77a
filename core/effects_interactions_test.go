package core

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core/stats"
)

// sampledArms draws each arm's conversions unit by unit from a seeded
// generator, at the base rate plus each held component's effect plus each
// held pair's interaction.
func sampledArms(d Design, units uint64, base float64, effect map[string]float64, interaction map[[2]string]float64, seed uint64) []ArmCounts {
	rng := rand.New(rand.NewPCG(seed, 22))
	arms := make([]ArmCounts, len(d.Runs))
	for i, run := range d.Runs {
		r := base
		for j, f := range d.Factors {
			r += effect[f.Levels[run[j]]]
			for k := j + 1; k < len(d.Factors); k++ {
				r += interaction[[2]string{f.Levels[run[j]], d.Factors[k].Levels[run[k]]}]
			}
		}
		a := ArmCounts{Key: fmt.Sprintf("f%02d", i+1), Levels: run, Units: units}
		for range units {
			if rng.Float64() < r {
				a.Converters++
			}
		}
		arms[i] = a
	}
	return arms
}

// Ensure that on sampled data with a known interaction (headline h2 with
// CTA c2, +5 points on top of their main effects) the interaction is
// found with its size and no other term or pair is called, that additive
// data calls none, and that a fraction which cannot separate interactions
// names them confounded instead of estimating or testing them.
func TestEstimateEffects_KnownInteraction(t *testing.T) {
	hbc := func(h, b, c int) []Factor {
		return []Factor{{Slot: "headline", Levels: levelNames("h", h)}, {Slot: "body", Levels: levelNames("b", b)}, {Slot: "cta", Levels: levelNames("c", c)}}
	}
	mains := map[string]float64{"h2": 0.02, "c2": 0.01}
	hc := map[[2]string]float64{{"h2", "c2"}: 0.05}
	for _, tc := range []struct {
		name        string
		factors     []Factor
		maxArms     int
		interaction map[[2]string]float64
		found       []string
		confounded  []string
	}{
		{"full 3×2×2, h2×c2 +5 pts", hbc(3, 2, 2), 12, hc, []string{"h2×c2"}, []string{}},
		{"full 3×2×2, additive", hbc(3, 2, 2), 12, nil, nil, []string{}},
		{"full 4×3×3, h2×c2 +5 pts", hbc(4, 3, 3), 36, hc, []string{"h2×c2"}, []string{}},
		{"full 4×3×3, additive", hbc(4, 3, 3), 36, nil, nil, []string{}},
		{"fraction of 4×3×3 in 12 arms", hbc(4, 3, 3), 12, hc, nil, []string{"headline×body", "headline×cta", "body×cta"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := BuildDesign(tc.factors, tc.maxArms)
			if err != nil {
				t.Fatal(err)
			}
			e, err := EstimateEffects(d.Factors, sampledArms(d, 20000, 0.10, mains, tc.interaction, 7), 0.05)
			if err != nil {
				t.Fatal(err)
			}
			var called []string
			for _, in := range e.Interactions {
				if in.Significant {
					called = append(called, in.Components[0]+"×"+in.Components[1])
				}
				if want := tc.interaction[in.Components]; math.Abs(in.Effect-want) > 4*(in.CI.High-in.CI.Low)/2/stats.NormalQuantile(1-0.05/float64(len(e.Interactions))/2)+1e-9 {
					t.Errorf("%v = %+.4f, want %+.4f within 4 standard errors", in.Components, in.Effect, want)
				}
			}
			if !slices.Equal(called, tc.found) {
				t.Errorf("called %v, want %v (%d interactions estimated)", called, tc.found, len(e.Interactions))
			}
			var pairs, wantPairs []string
			for _, x := range e.InteractionTests {
				if x.Significant {
					pairs = append(pairs, x.Slots[0]+"×"+x.Slots[1])
				}
			}
			if tc.found != nil {
				wantPairs = []string{"headline×cta"}
			}
			if !slices.Equal(pairs, wantPairs) || len(e.InteractionTests)+len(e.Confounded) != 3 {
				t.Errorf("joint tests call %v, want %v (%d pairs tested)", pairs, wantPairs, len(e.InteractionTests))
			}
			if !slices.Equal(e.Confounded, tc.confounded) {
				t.Errorf("confounded %v, want %v", e.Confounded, tc.confounded)
			}
			if !slices.Equal(e.Confounded, d.Aliased) {
				t.Errorf("the effects confound %v; the design said %v", e.Confounded, d.Aliased)
			}
			if len(e.Interactions) > 0 && math.Abs(e.InteractionConfidence-(1-0.05/float64(len(e.Interactions)))) > 1e-12 {
				t.Errorf("interaction confidence %v over %d terms", e.InteractionConfidence, len(e.Interactions))
			}
		})
	}
}

// Ensure that a fraction whose interactions are each estimable beside the
// main effects but aliased with one another (the 2⁴⁻¹ half fraction,
// where AB is CD) estimates none of them and names them confounded.
func TestEstimateEffects_InteractionsAliasedWithEachOther(t *testing.T) {
	d, err := BuildDesign(factorsOf(2, 2, 2, 2), 8)
	if err != nil {
		t.Fatal(err)
	}
	e, err := EstimateEffects(d.Factors, sampledArms(d, 5000, 0.2, nil, nil, 3), 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Interactions) > 0 || len(e.Confounded) != 6 || !strings.Contains(d.Resolution, "or with one another") {
		t.Errorf("8 arms of 2⁴: %d interactions estimated, %v confounded; design: %s", len(e.Interactions), e.Confounded, d.Resolution)
	}
}

// Ensure that each interaction and its interval equal those of the
// unit-level regression on the main effects and that pair's products with
// White's HC0 sandwich (statsmodels' OLS(...).fit(cov_type="HC0")),
// computed here unit by unit, on a non-additive 3×2×2 design.
func TestEstimateEffects_InteractionHC0MatchesUnitLevel(t *testing.T) {
	factors := []Factor{{Slot: "h", Levels: levelNames("h", 3)}, {Slot: "b", Levels: levelNames("b", 2)}, {Slot: "c", Levels: levelNames("c", 2)}}
	d, err := BuildDesign(factors, 12)
	if err != nil {
		t.Fatal(err)
	}
	arms := sampledArms(d, 400, 0.2, map[string]float64{"h3": 0.1}, map[[2]string]float64{{"h2", "c2"}: 0.15, {"b2", "c2"}: -0.1}, 11)
	e, err := EstimateEffects(factors, arms, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	z := stats.NormalQuantile(1 - 0.05/float64(len(e.Interactions))/2)
	got := map[[2]string]Interaction{}
	for _, in := range e.Interactions {
		got[in.Components] = in
	}
	for _, pr := range []slotPair{{0, 1}, {0, 2}, {1, 2}} {
		beta, cov := unitLevelHC0(arms, func(levels []int) []float64 {
			row := dummyRow(factors, levels)
			for l := 1; l < len(factors[pr.j].Levels); l++ {
				for m := 1; m < len(factors[pr.k].Levels); m++ {
					row = append(row, indicator(levels[pr.j] == l && levels[pr.k] == m))
				}
			}
			return row
		})
		p, col := len(beta), params(factors)
		for l := 1; l < len(factors[pr.j].Levels); l++ {
			for m := 1; m < len(factors[pr.k].Levels); m++ {
				in := got[[2]string{factors[pr.j].Levels[l], factors[pr.k].Levels[m]}]
				se := math.Sqrt(cov[col*p+col])
				if math.Abs(in.Effect-beta[col]) > 1e-12 || math.Abs(in.CI.Low-(beta[col]-z*se)) > 1e-12 {
					t.Errorf("%v = %+v; unit level %v ± %v·%v", in.Components, in, beta[col], z, se)
				}
				col++
			}
		}
	}
}

// unitLevelHC0 is the reference: OLS of each unit's conversion on
// rowOf(its arm's levels), with White's HC0 covariance, unit by unit.
func unitLevelHC0(arms []ArmCounts, rowOf func([]int) []float64) (beta, cov []float64) {
	type unit struct {
		x []float64
		y float64
	}
	var units []unit
	for _, a := range arms {
		x := rowOf(a.Levels)
		for u := range a.Units {
			units = append(units, unit{x, indicator(u < a.Converters)})
		}
	}
	p := len(units[0].x)
	xtx, xty := make([]float64, p*p), make([]float64, p)
	for _, u := range units {
		for r := range p {
			xty[r] += u.x[r] * u.y
			for c := range p {
				xtx[r*p+c] += u.x[r] * u.x[c]
			}
		}
	}
	inv, _ := stats.Invert(xtx, p)
	beta = mulVec(inv, xty, p)
	meat := make([]float64, p*p)
	for _, u := range units {
		res := u.y - dot(u.x, beta)
		for r := range p {
			for c := range p {
				meat[r*p+c] += res * res * u.x[r] * u.x[c]
			}
		}
	}
	return beta, mulMat(mulMat(inv, meat, p), inv, p)
}

func levelNames(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(prefix, i+1)
	}
	return out
}
