package core

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core/stats"
)

// Ensure that the ledger pools per attribute level, claims only from at
// least MinRecipeK variants with an interval clear of 0, and lists a
// thinner level with its count and no estimate.
func TestRecipeLedger(t *testing.T) {
	obs := func(experiment, grounded string, lift float64) RecipeObservation {
		return RecipeObservation{Experiment: experiment, Effect: lift, Variance: 0.0004, Attrs: map[string]string{"grounded": grounded}}
	}
	rows := RecipeLedger([]RecipeObservation{
		obs("e1", "yes", 0.08), obs("e2", "yes", 0.10), obs("e3", "yes", 0.12),
		obs("e4", "no", 0.01), obs("e5", "no", -0.01),
		// Two arms of one experiment share its control: one observation.
		obs("e6", "no", 0.30), obs("e6", "no", 0.10),
	})
	if len(rows) != 2 || rows[0].Level != "no" || rows[1].Level != "yes" {
		t.Fatalf("rows = %+v", rows)
	}
	no, yes := rows[0], rows[1]
	if no.K != 3 || no.Estimate == nil || no.Claim {
		t.Errorf("three experiments, one with two arms: %+v", no)
	}
	// Equal variances: the pooled lift is the mean, 0.10; the spread
	// (0.02 apart, SE 0.02) is within chance, so τ² is 0 and the interval
	// is 0.10 ± 1.96·0.02/√3.
	if !yes.Claim || yes.K != 3 || math.Abs(*yes.Estimate-0.10) > 1e-12 || *yes.Tau2 != 0 ||
		math.Abs(yes.Lift.Low-(0.10-1.959964*0.02/math.Sqrt(3))) > 1e-6 {
		t.Errorf("three experiments: %+v", yes)
	}
	thin := RecipeLedger([]RecipeObservation{obs("e1", "yes", 0.1), obs("e2", "yes", 0.1)})
	if thin[0].Estimate != nil || thin[0].Lift != nil || thin[0].Claim || thin[0].Note == "" {
		t.Errorf("two experiments: %+v", thin[0])
	}
}

func TestRecipeAttrs(t *testing.T) {
	g := GeneratedVariant{Copy: Copy{Headline: "Plan faster", Body: "One board for both teams.", CTA: "Start now"},
		Lint: LintResult{Score: 72}, Provenance: Provenance{Model: "tiny", Digest: "sha256:0123456789abcdef", GuidelineVersion: 4, Sources: []string{"exp spring"}}}
	approved := &Review{Round: 4, Status: ReviewApproved, Copies: []RoundCopy{
		{Round: 1, Copy: g.Copy.Text()},
		{Round: 4, Copy: "Plan faster\nOne board for marketing and creative.\nStart now"},
	}}
	got := RecipeAttrs(g, approved)
	want := map[string]string{"grounded": "yes", "model": "tiny@0123456789ab", "guideline": "v4", "lint": "60-79", "review_rounds": "3+",
		"reviewer_edits": "1-5 words"} // "both teams." out, "marketing and creative." in
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	other := &Review{Round: 1, Status: ReviewApproved, Copies: []RoundCopy{{Round: 1, Copy: "Someone else's copy"}}}
	if a := RecipeAttrs(g, other); a["review_rounds"] != "1" || a["reviewer_edits"] != "" {
		t.Errorf("a review of other copy: %v", a)
	}
	if _, ok := RecipeAttrs(GeneratedVariant{}, nil)["review_rounds"]; ok {
		t.Error("review rounds for a variant never reviewed")
	}
}

// BenchmarkRecipeLedger pools 10,000 tested variants over five attributes
// (target ≤ 50 ms).
func BenchmarkRecipeLedger(b *testing.B) {
	obs := make([]RecipeObservation, 10000)
	for i := range obs {
		obs[i] = RecipeObservation{Experiment: fmt.Sprintf("e%d", i/3), Effect: float64(i%7-3) / 100, Variance: 0.0004 + float64(i%5)/10000, Attrs: map[string]string{
			"grounded": []string{"yes", "no"}[i%2], "model": fmt.Sprintf("m%d", i%4), "guideline": fmt.Sprintf("v%d", i%6),
			"lint": lintBand(i % 100), "review_rounds": fmt.Sprint(1 + i%3),
		}}
	}
	b.ResetTimer()
	for b.Loop() {
		if rows := RecipeLedger(obs); len(rows) == 0 {
			b.Fatal("no rows")
		}
	}
}

// Ensure that the retro cites only the ledger's claims, largest lift first.
func TestRecipeCitations(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	rows := []RecipeRow{
		{Attribute: "grounded", Level: "no", K: 2, Note: "only 2 tested"},
		{Attribute: "lint", Level: "80-100", K: 4, Claim: true, Estimate: f(0.03), Lift: &stats.Interval{Low: 0.01, High: 0.05}},
		{Attribute: "grounded", Level: "yes", K: 5, Claim: true, Estimate: f(0.06), Lift: &stats.Interval{Low: 0.02, High: 0.10}},
		{Attribute: "model", Level: "tiny", K: 9, Estimate: f(0.01), Lift: &stats.Interval{Low: -0.01, High: 0.03}},
	}
	got := RecipeCitations(rows)
	if len(got) != 2 || got[0] != "▲ recipe ledger: generated copy with grounded = yes, +6.0% [+2.0%, +10.0%] over 5 experiments" || !strings.Contains(got[1], "lint = 80-100") {
		t.Fatalf("citations = %q", got)
	}
}
