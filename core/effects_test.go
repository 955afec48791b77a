package core

import (
	"fmt"
	"math"
	"testing"

	"github.com/tandem-ops/tandem/core/stats"
)

// armsWith fills a design's arms with units at rates from a known
// additive model: a base rate plus each held component's effect.
func armsWith(d Design, units uint64, base float64, effect map[string]float64) []ArmCounts {
	return armsWithInteractions(d, units, base, effect, nil)
}

// armsWithInteractions fills a design's arms with units at exactly the
// base rate plus each held component's effect plus each held pair's
// interaction (keyed by the components in slot order).
func armsWithInteractions(d Design, units uint64, base float64, effect map[string]float64, interaction map[[2]string]float64) []ArmCounts {
	arms := make([]ArmCounts, len(d.Runs))
	for i, run := range d.Runs {
		r := base
		for j, f := range d.Factors {
			r += effect[f.Levels[run[j]]]
			for k := j + 1; k < len(d.Factors); k++ {
				r += interaction[[2]string{f.Levels[run[j]], d.Factors[k].Levels[run[k]]}]
			}
		}
		arms[i] = ArmCounts{Key: fmt.Sprintf("arm%d", i), Levels: run, Units: units, Converters: uint64(math.Round(r * float64(units)))}
	}
	return arms
}

// Ensure that on data with known main effects (headline h2 +20 %, CTA c2
// +10 %, bodies alike) the effects are found, the null body effect is not
// called significant, and the best predicted combination holds both, in
// the full 3×2×2 factorial and in a 12-arm fraction of 4×3×3.
func TestEstimateEffects_KnownEffects(t *testing.T) {
	full := []Factor{{Slot: "headline", Levels: []string{"h1", "h2", "h3"}}, {Slot: "body", Levels: []string{"b1", "b2"}}, {Slot: "cta", Levels: []string{"c1", "c2"}}}
	fraction := []Factor{{Slot: "headline", Levels: []string{"h1", "h2", "h3", "h4"}}, {Slot: "body", Levels: []string{"b1", "b2", "b3"}}, {Slot: "cta", Levels: []string{"c1", "c2", "c3"}}}
	for name, tt := range map[string]struct {
		factors []Factor
		maxArms int
	}{"full 3×2×2": {full, 12}, "fraction of 4×3×3": {fraction, 12}} {
		t.Run(name, func(t *testing.T) {
			d, err := BuildDesign(tt.factors, tt.maxArms)
			if err != nil {
				t.Fatal(err)
			}
			arms := armsWith(d, 40000, 0.10, map[string]float64{"h2": 0.02, "c2": 0.01})
			e, err := EstimateEffects(d.Factors, arms, 0.05)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]ComponentEffect{}
			for _, c := range e.Components {
				got[c.Component] = c
			}
			if h2 := got["h2"]; !h2.Significant || math.Abs(h2.Effect-0.02) > 1e-4 {
				t.Errorf("h2 = %+v", h2)
			}
			if c2 := got["c2"]; !c2.Significant || math.Abs(c2.Effect-0.01) > 1e-4 {
				t.Errorf("c2 = %+v", c2)
			}
			if b2 := got["b2"]; b2.Significant || math.Abs(b2.Effect) > 1e-4 {
				t.Errorf("b2 = %+v", b2)
			}
			if p := e.BestPredicted; p == nil || p.Components["headline"] != "h2" || p.Components["cta"] != "c2" || math.Abs(p.Rate-0.13) > 1e-4 {
				t.Errorf("best predicted = %+v", p)
			}
			if e.BestObserved == nil || e.BestObserved.Components["headline"] != "h2" {
				t.Errorf("best observed = %+v", e.BestObserved)
			}
		})
	}
}

// Ensure that the robust errors from arm totals equal White's HC0
// sandwich computed unit by unit (as statsmodels' OLS(...).fit(cov_type=
// "HC0") does), on a 2×2 design whose rates are not additive.
func TestEstimateEffects_HC0MatchesUnitLevel(t *testing.T) {
	factors := []Factor{{Slot: "a", Levels: []string{"a1", "a2"}}, {Slot: "b", Levels: []string{"b1", "b2"}}}
	arms := []ArmCounts{
		{Key: "0", Levels: []int{0, 0}, Units: 300, Converters: 30},
		{Key: "1", Levels: []int{0, 1}, Units: 250, Converters: 40},
		{Key: "2", Levels: []int{1, 0}, Units: 280, Converters: 50},
		{Key: "3", Levels: []int{1, 1}, Units: 310, Converters: 90},
	}
	e, err := EstimateEffects(factors, arms, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	// Unit by unit: X'X, X'y, then residuals and the meat.
	p := 3
	xtx, xty := make([]float64, p*p), make([]float64, p)
	type unit struct {
		x []float64
		y float64
	}
	var units []unit
	for _, a := range arms {
		x := dummyRow(factors, a.Levels)
		for u := range a.Units {
			units = append(units, unit{x, indicator(u < a.Converters)})
		}
	}
	for _, u := range units {
		for r := range p {
			xty[r] += u.x[r] * u.y
			for c := range p {
				xtx[r*p+c] += u.x[r] * u.x[c]
			}
		}
	}
	inv, _ := stats.Invert(xtx, p)
	beta := mulVec(inv, xty, p)
	meat := make([]float64, p*p)
	for _, u := range units {
		res := u.y - dot(u.x, beta)
		for r := range p {
			for c := range p {
				meat[r*p+c] += res * res * u.x[r] * u.x[c]
			}
		}
	}
	cov := mulMat(mulMat(inv, meat, p), inv, p)
	z := stats.NormalQuantile(1 - 0.05/2/2)
	for i, name := range []string{"a2", "b2"} {
		var c ComponentEffect
		for _, x := range e.Components {
			if x.Component == name {
				c = x
			}
		}
		se := math.Sqrt(cov[(i+1)*p+i+1])
		if math.Abs(c.Effect-beta[i+1]) > 1e-12 || math.Abs(c.CI.High-(beta[i+1]+z*se)) > 1e-12 {
			t.Errorf("%s = %+v; unit level: %v ± %v·%v", name, c, beta[i+1], z, se)
		}
	}
}

func TestEstimateEffects_Edges(t *testing.T) {
	factors := []Factor{{Slot: "a", Levels: []string{"a1", "a2"}}, {Slot: "b", Levels: []string{"b1", "b2"}}}
	if e, err := EstimateEffects(factors, []ArmCounts{{Levels: []int{0, 0}}, {Levels: []int{1, 1}}}, 0.05); err != nil || e.BestPredicted != nil || len(e.Notes) == 0 {
		t.Errorf("no units: %+v, %v", e, err)
	}
	if e, err := EstimateEffects(factors, []ArmCounts{{Levels: []int{0, 0}, Units: 10, Converters: 1}, {Levels: []int{1, 1}, Units: 10, Converters: 2}}, 0.05); err != nil || e.BestPredicted != nil || len(e.Notes) == 0 {
		t.Errorf("arms that cannot separate the slots: %+v, %v", e, err)
	}
	if _, err := EstimateEffects(factors, []ArmCounts{{Key: "x", Levels: []int{0, 0}, Units: 1, Converters: 2}}, 0.05); err == nil {
		t.Error("more converters than units")
	}
}

// BenchmarkEstimateEffects fits the effects over 1M units (target ≤
// 20 ms) of a full 4×3×3 factorial, additive and with one interaction the
// best predicted combination must search for, and of 4×4×4×4 in a
// 16-arm fraction (interactions confounded) and in full with one
// interaction.
func BenchmarkEstimateEffects(b *testing.B) {
	for _, bc := range []struct {
		name        string
		factors     []Factor
		arms        int
		interaction map[[2]string]float64
	}{
		{"36 arms additive", factorsOf(4, 3, 3), 36, nil},
		{"36 arms interaction", factorsOf(4, 3, 3), 36, map[[2]string]float64{{"c0-0", "c2-1"}: 0.03}},
		{"4x4x4x4 in 16 arms", factorsOf(4, 4, 4, 4), 16, map[[2]string]float64{{"c0-0", "c3-1"}: 0.03}},
		{"4x4x4x4 interaction", factorsOf(4, 4, 4, 4), 256, map[[2]string]float64{{"c0-0", "c3-1"}: 0.03}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d, err := BuildDesign(bc.factors, bc.arms)
			if err != nil {
				b.Fatal(err)
			}
			arms := armsWithInteractions(d, uint64(1_000_000/bc.arms), 0.1, map[string]float64{"c0-1": 0.01}, bc.interaction)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := EstimateEffects(d.Factors, arms, 0.05); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
