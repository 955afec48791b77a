package core

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core/stats"
)

var analysisStart = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func twoArms() Experiment {
	return Experiment{Key: "x", Started: analysisStart, Variants: []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}
}

func totals2(na, ca, nb, cb uint64) map[string]VariantTotals {
	return map[string]VariantTotals{"a": {Exposures: na, Converters: ca}, "b": {Exposures: nb, Converters: cb}}
}

func guardsWith(rule DecisionRule) Guards {
	g := DefaultGuards()
	g.Policy.Rule = rule
	return g
}

func TestAnalyze_Status(t *testing.T) {
	exp := twoArms()
	seq, fixed, bayes := DefaultGuards(), guardsWith(RuleFixed), guardsWith(RuleBayesian)
	tests := []struct {
		name   string
		exp    Experiment
		totals map[string]VariantTotals
		days   int
		g      Guards
		want   ExperimentStatus
		leader string
	}{
		{"too early", exp, totals2(5000, 200, 5000, 300), 3, seq, StatusCollecting, "b"},
		{"too few units", exp, totals2(500, 20, 500, 40), 10, seq, StatusNeedsData, "b"},
		{"clear winner", exp, totals2(10000, 400, 10000, 520), 10, seq, StatusWinner, "b"},
		{"control wins", exp, totals2(10000, 520, 10000, 400), 10, seq, StatusWinner, "a"},
		{"sample ratio mismatch hides the winner", exp, totals2(10000, 400, 11000, 600), 10, seq, StatusSRM, "b"},
		{"flat and tight: no difference", exp, totals2(200000, 8000, 200000, 8030), 14, seq, StatusNoDifference, "b"},
		{"flat but wide: inconclusive", exp, totals2(5000, 200, 5000, 205), 10, seq, StatusInconclusive, "b"},
		{"declared", Experiment{Key: "x", Started: analysisStart, Winner: "b", Variants: exp.Variants}, totals2(10, 1, 10, 2), 1, seq, StatusDeclared, "b"},
		{"declared, then a mismatch: void", Experiment{Key: "x", Started: analysisStart, Winner: "b", Variants: exp.Variants}, totals2(10000, 400, 11000, 600), 10, seq, StatusVoid, "b"},
		{"declared, then a data error: void", Experiment{Key: "x", Started: analysisStart, Winner: "b", Variants: exp.Variants}, totals2(1200, 1620, 1200, 100), 10, seq, StatusVoid, "b"},
		{"declared against the rule's reading stands", Experiment{Key: "x", Started: analysisStart, Winner: "a", Variants: exp.Variants}, totals2(10000, 400, 10000, 520), 10, seq, StatusDeclared, "a"},
		{"no conversions: nobody leads", exp, totals2(40, 0, 40, 0), 1, seq, StatusCollecting, ""},
		{"the control converts better so far", exp, totals2(500, 30, 500, 20), 3, seq, StatusCollecting, "a"},
		{"fixed: significant but short of the plan", exp, totals2(10000, 400, 10000, 520), 10, fixed, StatusNeedsData, "b"},
		{"fixed: at the plan", exp, totals2(40000, 1600, 40000, 1800), 30, fixed, StatusWinner, "b"},
		{"bayesian: low risk wins", exp, totals2(10000, 400, 10000, 520), 10, bayes, StatusWinner, "b"},
		{"impossible counts are a data error", exp, totals2(1200, 1620, 1200, 100), 10, seq, StatusDataError, "b"},
		{"a control still collecting is never declared", Experiment{Key: "x", Started: analysisStart, Variants: []Variant{{Key: "a", Weight: 0.1, Control: true}, {Key: "b", Weight: 1}}}, totals2(500, 60, 5000, 300), 10, seq, StatusNeedsData, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Analyze(tt.exp, tt.totals, analysisStart.AddDate(0, 0, tt.days), tt.g)
			if a.Status != tt.want || a.Leader != tt.leader {
				t.Fatalf("status %q leader %q, want %q %q (arms %+v)", a.Status, a.Leader, tt.want, tt.leader, a.Arms)
			}
			if a.Arms[0].Variant.Key != "a" || a.Arms[0].Verdict != VerdictControl && a.Arms[0].Verdict != VerdictInvalid {
				t.Fatalf("control is not first: %+v", a.Arms[0])
			}
			sum, n := 0.0, 0
			for _, arm := range a.Arms {
				if arm.ProbBest != nil {
					sum += *arm.ProbBest
					n++
				}
			}
			if n > 0 && math.Abs(sum-1) > 1e-9 {
				t.Fatalf("probabilities of best sum to %v", sum)
			}
			mustEncode(t, a)
		})
	}
}

// The case: weights 1, 0.15, 1; the small arm b has the best rate
// but no significance, and arm c is +5 % with Holm p < 0.001. Every arm is
// tested, so c is named the winner and b stays pending its sample.
func TestAnalyze_EveryArmTested(t *testing.T) {
	exp := Experiment{Key: "y", Started: analysisStart, Variants: []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 0.15}, {Key: "c", Weight: 1}}}
	totals := map[string]VariantTotals{"a": {Exposures: 94500, Converters: 9450}, "b": {Exposures: 14175, Converters: 1503}, "c": {Exposures: 94500, Converters: 9923}}
	a := Analyze(exp, totals, analysisStart.AddDate(0, 0, 28), guardsWith(RuleFixed))
	if a.Status != StatusWinner || !slices.Equal(a.Winners, []string{"c"}) || a.Leader != "c" {
		t.Fatalf("status %q winners %v leader %q", a.Status, a.Winners, a.Leader)
	}
	b, c := a.Arms[1], a.Arms[2]
	if b.Verdict != VerdictPending || c.Verdict != VerdictWins {
		t.Fatalf("verdicts b %q c %q", b.Verdict, c.Verdict)
	}
	// Holm over 2 tests: c's p doubles (it is the smaller), b's is max(2p_c, p_b).
	if math.Abs(c.Lift.P-2*c.Lift.FixedP) > 1e-12 || c.Lift.P > 0.001 {
		t.Errorf("c: Holm p %v from %v", c.Lift.P, c.Lift.FixedP)
	}
	if math.Abs(c.Lift.Confidence-0.975) > 1e-12 {
		t.Errorf("interval level %v, want 1 − α/2", c.Lift.Confidence)
	}
	// The plan splits α over the two comparisons: the power.prop.test
	// formula (checked against R in core/stats) at p1 .10, p2 .11, α .025,
	// power .8 gives 17,863.4 (Python 3.11 statistics.NormalDist).

	if n := *a.Plan.NeededPerArm; n != 17864 {
		t.Errorf("needed per arm %v, want 17,864", n)
	}
	// With four times the data the sequential rule names c as well.
	for k, v := range totals {
		totals[k] = VariantTotals{Exposures: 4 * v.Exposures, Converters: 4 * v.Converters}
	}
	if a := Analyze(exp, totals, analysisStart.AddDate(0, 0, 28), DefaultGuards()); !slices.Contains(a.Winners, "c") || a.Arms[2].Lift.Confidence != 0.975 || !a.Arms[2].Lift.AlwaysValid {
		t.Fatalf("sequential: status %q winners %v, c %+v", a.Status, a.Winners, a.Arms[2].Lift)
	}
}

// Ensure that losing arms are named and that "no difference" needs every
// interval inside ±MDE: an interval like [−3 %, +11 %] is inconclusive.
func TestAnalyze_Equivalence(t *testing.T) {
	exp := Experiment{Key: "z", Started: analysisStart, Variants: []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}, {Key: "c", Weight: 1}}}
	// b at +4 % of a 10 % rate: fixed 97.5 % interval ≈ [−3, +11] % at 11,500 units.
	totals := map[string]VariantTotals{"a": {Exposures: 11500, Converters: 1150}, "b": {Exposures: 11500, Converters: 1196}, "c": {Exposures: 11500, Converters: 1000}}
	g := guardsWith(RuleBayesian) // reads at any sample, like the old panel
	a := Analyze(exp, totals, analysisStart.AddDate(0, 0, 14), g)
	b := a.Arms[1]
	if b.Lift.CI.Low > -0.02 || b.Lift.CI.High < 0.10 || b.Verdict != VerdictInconclusive {
		t.Fatalf("b: %+v %q", b.Lift, b.Verdict)
	}
	if a.Status != StatusInconclusive || !slices.Equal(a.Losers, []string{"c"}) {
		t.Fatalf("status %q losers %v", a.Status, a.Losers)
	}
	// Reference: the equivalence bounds by hand. At 200,000 units a flat
	// arm's sequential interval is 0.4 % ± 5.5 %, inside ±10 %.
	flat := Analyze(twoArms(), totals2(200000, 8000, 200000, 8030), analysisStart.AddDate(0, 0, 28), DefaultGuards())
	if l := flat.Arms[1].Lift; flat.Arms[1].Verdict != VerdictEquivalent || l.CI.Low < -0.10 || l.CI.High > 0.10 {
		t.Fatalf("flat: %+v %q", l, flat.Arms[1].Verdict)
	}
}

// Reference values for the edges. One unit per arm (control converted,
// treatment not): rates 100 % and 0 % have no variance, so no interval;
// chance to beat is P(Beta(1,2) > Beta(2,1)) = 1/6 exactly, and P(best)
// the same. A control with no conversions has no lift, but its chance to
// beat is Evan Miller's closed form for Beta(1, 1001) vs Beta(4, 998),
// 0.9376874. An arm with no units has no P(best).
func TestAnalyze_Edges(t *testing.T) {
	one := Analyze(twoArms(), totals2(1, 1, 1, 0), analysisStart.AddDate(0, 0, 10), DefaultGuards())
	b := one.Arms[1]
	if b.Lift != nil || len(b.Notes) == 0 {
		t.Errorf("1 unit per arm: lift %+v notes %v", b.Lift, b.Notes)
	}
	if math.Abs(b.Bayes.ChanceToBeat-1.0/6) > 1e-9 || math.Abs(*b.ProbBest-1.0/6) > 1e-9 {
		t.Errorf("1 unit per arm: chance %v, P(best) %v, want 1/6", b.Bayes.ChanceToBeat, *b.ProbBest)
	}
	zero := Analyze(twoArms(), totals2(1000, 0, 1000, 3), analysisStart.AddDate(0, 0, 10), DefaultGuards())
	if zb := zero.Arms[1]; zb.Lift != nil || math.Abs(zb.Bayes.ChanceToBeat-0.9376874) > 5e-5 || zb.Bayes.Risk <= 0 {
		t.Errorf("zero-conversion control: %+v %+v", zb.Lift, zb.Bayes)
	}
	exp := Experiment{Key: "w", Started: analysisStart, Variants: []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}, {Key: "c", Weight: 1}}}
	empty := Analyze(exp, map[string]VariantTotals{"a": {Exposures: 100, Converters: 10}, "b": {Exposures: 100, Converters: 12}}, analysisStart.AddDate(0, 0, 1), DefaultGuards())
	if c := empty.Arms[2]; c.ProbBest != nil || c.Rate != nil || c.Bayes != nil {
		t.Errorf("arm without units: %+v", c)
	}
	bad := Analyze(twoArms(), totals2(1200, 1620, 1200, 100), analysisStart.AddDate(0, 0, 10), DefaultGuards())
	if bad.Arms[0].Rate != nil || len(bad.Problems) != 1 || !strings.Contains(bad.Problems[0], "1620 converting units but only 1200") {
		t.Errorf("converters > units: rate %v problems %v", bad.Arms[0].Rate, bad.Problems)
	}
}

// Hostile totals never put NaN or Inf in an analysis: every one encodes.
func TestAnalyze_HostileTotalsEncode(t *testing.T) {
	exp := twoArms()
	nanWeight := twoArms()
	nanWeight.Variants[1].Weight = math.NaN()
	mustEncode(t, Analyze(nanWeight, totals2(10, 1, 10, 2), analysisStart, DefaultGuards()))
	for _, tt := range []map[string]VariantTotals{
		{},
		totals2(0, 0, 0, 0),
		totals2(1, 1, 1, 1),
		totals2(1, 0, 1, 0),
		totals2(math.MaxUint64, math.MaxUint64, math.MaxUint64, 0),
		totals2(math.MaxUint64/2, 1, 3, 2),
		{"a": {Exposures: 10, Converters: 1, Revenue: math.NaN()}, "b": {Exposures: 10, Converters: 2}},
		{"a": {Exposures: 10, Converters: 1, Revenue: math.Inf(1), RevenueSq: math.Inf(1)}, "b": {Exposures: 10, Revenue: 1e308, RevenueSq: math.Inf(1)}},
		{"a": {Exposures: 5000, Converters: 100, Revenue: 1e300, RevenueSq: 1e300}, "b": {Exposures: 5000, Converters: 100, Revenue: 5, RevenueSq: 1e-300}},
	} {
		for _, rule := range []DecisionRule{RuleSequential, RuleFixed, RuleBayesian} {
			mustEncode(t, Analyze(exp, tt, analysisStart.AddDate(0, 0, 10), guardsWith(rule)))
		}
	}
}

func mustEncode(t *testing.T, a Analysis) {
	t.Helper()
	if _, err := json.Marshal(a); err != nil {
		t.Fatalf("analysis does not encode: %v", err)
	}
}

func TestAnalyze_DaysLeft(t *testing.T) {
	exp := twoArms()
	// 1,000 units per arm per day at a 4 % base rate.
	a := Analyze(exp, totals2(2000, 80, 2000, 90), analysisStart.AddDate(0, 0, 2), guardsWith(RuleFixed))
	// By the power.prop.test formula (checked against R in core/stats):
	// 39,473 per arm to detect .040 → .044 with 80 % power.
	if math.Abs(*a.Plan.NeededPerArm-39473) > 2 {
		t.Fatalf("needed per arm = %v", *a.Plan.NeededPerArm)
	}
	if want := (*a.Plan.NeededPerArm - 2000) / 1000; math.Abs(*a.Plan.DaysLeft-want) > 1e-9 {
		t.Fatalf("days left = %v, want %v", *a.Plan.DaysLeft, want)
	}
	// A sequential plan needs more: its interval is wider at every n.
	s := Analyze(exp, totals2(2000, 80, 2000, 90), analysisStart.AddDate(0, 0, 2), DefaultGuards())
	if *s.Plan.NeededPerArm <= *a.Plan.NeededPerArm {
		t.Fatalf("sequential plan %v not above fixed %v", *s.Plan.NeededPerArm, *a.Plan.NeededPerArm)
	}
}

func TestDecisionPolicy_Validate(t *testing.T) {
	if err := DefaultDecisionPolicy().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := DecisionPolicy{Rule: "vibes", Alpha: math.NaN(), MDE: 0, Power: 0.01, Tuning: math.Inf(1), RiskThreshold: -1}
	err := bad.Validate()
	for _, f := range []string{"rule", "alpha", "mde", "power", "tuning", "risk_threshold"} {
		if err == nil || !strings.Contains(err.Error(), f) {
			t.Errorf("%s not reported: %v", f, err)
		}
	}
}

func BenchmarkAnalyze1000Variants(b *testing.B) {
	exp := Experiment{Key: "big", Variants: make([]Variant, 1000)}
	totals := map[string]VariantTotals{}
	for i := range exp.Variants {
		key := "v" + string(rune('a'+i%26)) + time.Duration(i).String()
		exp.Variants[i] = Variant{Key: key, Weight: 1, Control: i == 0}
		totals[key] = VariantTotals{Exposures: 10000, Converters: uint64(400 + i%50)}
	}
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	g := DefaultGuards()
	b.ReportAllocs()
	for b.Loop() {
		Analyze(exp, totals, now, g)
	}
}

// Ensure that revenue per unit gets an interval of the rule's kind: under
// the sequential rule the always-valid one, SE·Factor(n) wide around the
// difference, wider than Welch's; under the fixed rule Welch's.
func TestAnalyze_RevenueIntervals(t *testing.T) {
	// Control: 2,000 units, revenue sum 4,000, sum of squares 20,000 (mean
	// 2, variance ≈ 8); treatment: 2,000 units, sum 4,600, squares 24,000.
	totals := map[string]VariantTotals{
		"a": {Exposures: 2000, Converters: 200, Revenue: 4000, RevenueSq: 20000},
		"b": {Exposures: 2000, Converters: 210, Revenue: 4600, RevenueSq: 24000},
	}
	now := analysisStart.AddDate(0, 0, 10)
	seq := Analyze(twoArms(), totals, now, DefaultGuards()).Arms[1].Revenue
	fixed := Analyze(twoArms(), totals, now, guardsWith(RuleFixed)).Arms[1].Revenue
	v0 := (20000 - 4000.0*4000/2000) / 1999
	v1 := (24000 - 4600.0*4600/2000) / 1999
	se := math.Sqrt(v0/2000 + v1/2000)
	factor := stats.NewSequential(0.05, 5000).Factor(4000)
	if math.Abs(seq.Diff-0.3) > 1e-12 || math.Abs((seq.CI.High-seq.CI.Low)/2-se*factor) > 1e-12 {
		t.Fatalf("sequential revenue %+v, want 0.3 ± %v", seq, se*factor)
	}
	if seq.CI.High-seq.CI.Low <= fixed.CI.High-fixed.CI.Low || !fixed.CI.Contains(fixed.Diff) {
		t.Fatalf("sequential %+v not wider than Welch %+v", seq.CI, fixed.CI)
	}
	if excl := seq.CI.Low > 0 || seq.CI.High < 0; excl != (seq.P < 0.05) {
		t.Fatalf("p %v disagrees with interval %+v", seq.P, seq.CI)
	}
}

// Ensure that a declared experiment's arms are read as the rule reads them
// now, so a decided test never shows its arms still waiting, and that a
// void one reads none and says what voided it.
func TestAnalyze_DeclaredArms(t *testing.T) {
	exp := twoArms()
	exp.Winner = "b"
	a := Analyze(exp, totals2(10000, 400, 10000, 520), analysisStart.AddDate(0, 0, 10), DefaultGuards())
	if a.Status != StatusDeclared || a.Arms[1].Verdict != VerdictWins || a.VoidedBy() != "" {
		t.Fatalf("declared: status %q, b %q, voided by %q", a.Status, a.Arms[1].Verdict, a.VoidedBy())
	}
	void := Analyze(exp, totals2(10000, 400, 11000, 600), analysisStart.AddDate(0, 0, 10), DefaultGuards())
	if void.Status != StatusVoid || void.Arms[1].Verdict != VerdictPending || !strings.HasPrefix(void.VoidedBy(), "a sample-ratio mismatch (p = ") {
		t.Fatalf("void: status %q, b %q, voided by %q", void.Status, void.Arms[1].Verdict, void.VoidedBy())
	}
	if _, ok := ExperimentResult(void); ok {
		t.Fatal("a void declaration is evidence")
	}
}
