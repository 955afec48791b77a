package core

import (
	"math"
	"strings"
	"testing"
)

// threeArms is the weights 1/0.15/1 case of issue 17: the small arm b
// leads on rate without significance, c wins.
func threeArms() (Experiment, map[string]VariantTotals) {
	e := Experiment{Key: "x", Channel: "email", Started: analysisStart, Variants: []Variant{
		{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 0.15, Copy: "small"}, {Key: "c", Weight: 1, Copy: "big"}}}
	return e, map[string]VariantTotals{
		"a": {Exposures: 40000, Converters: 4000},
		"b": {Exposures: 6000, Converters: 660},
		"c": {Exposures: 40000, Converters: 4400},
	}
}

// Ensure that a result is evidence only as far as its analysis holds:
// declared, significant under the experiment's rule and guards, else
// provisional; never from an SRM or a data error.
func TestExperimentResult_Evidence(t *testing.T) {
	three, threeTotals := threeArms()
	declared := twoArms()
	declared.Winner = "b"
	tests := []struct {
		name     string
		exp      Experiment
		totals   map[string]VariantTotals
		days     int
		ok       bool
		variant  string
		evidence Evidence
		lift     float64
	}{
		{"significant winner", twoArms(), totals2(10000, 400, 10000, 520), 10, true, "b", EvidenceSignificant, 0.3},
		// Issue 17: a 2-day-old leader at p = 0.648 (fixed-horizon z-test).
		{"2-day-old leader is provisional", twoArms(), totals2(1000, 133, 1000, 140), 2, true, "b", EvidenceProvisional, 140.0/133 - 1},
		{"past the guards but inconclusive", twoArms(), totals2(5000, 200, 5000, 205), 10, true, "b", EvidenceProvisional, 0.025},
		{"significant loser", twoArms(), totals2(10000, 520, 10000, 400), 10, true, "b", EvidenceSignificant, 400.0/520 - 1},
		{"declared", declared, totals2(10000, 400, 10000, 520), 10, true, "b", EvidenceDeclared, 0.3},
		{"a winner beats a bigger lead without significance", three, threeTotals, 14, true, "c", EvidenceSignificant, 0.1},
		{"sample-ratio mismatch", twoArms(), totals2(10000, 400, 11000, 600), 10, false, "", "", 0},
		{"declared, then a sample-ratio mismatch", declared, totals2(10000, 400, 11000, 600), 10, false, "", "", 0},
		{"data error", twoArms(), totals2(1200, 1620, 1200, 100), 10, false, "", "", 0},
		{"an arm under the minimum sample", twoArms(), totals2(1000, 40, 99, 5), 10, false, "", "", 0},
		{"a control without conversions", twoArms(), totals2(1000, 0, 1000, 5), 10, false, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Analyze(tt.exp, tt.totals, analysisStart.AddDate(0, 0, tt.days), DefaultGuards())
			r, ok := ExperimentResult(a)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (status %s, SRM p %g): %+v", ok, tt.ok, a.Status, a.SRMP, r)
			}
			if !ok {
				return
			}
			if r.Variant != tt.variant || r.Evidence != tt.evidence || math.Abs(r.Lift-tt.lift) > 1e-12 {
				t.Errorf("result = %s %s %+.4f, want %s %s %+.4f (status %s)", r.Variant, r.Evidence, r.Lift, tt.variant, tt.evidence, tt.lift, a.Status)
			}
		})
	}
}

// Ensure that a result's words never claim more than its evidence: only
// a declared winner is a "winner", and a lead is "not yet significant".
func TestResult_Standing(t *testing.T) {
	tests := []struct {
		r       Result
		want    string
		claimed bool
	}{
		{Result{Evidence: EvidenceDeclared, Lift: 0.1}, "declared winner", true},
		{Result{Evidence: EvidenceSignificant, Lift: 0.1, Rule: RuleSequential}, "winning, significant under the sequential rule, not yet declared", true},
		{Result{Evidence: EvidenceSignificant, Lift: -0.1, Rule: RuleFixed}, "losing to the control, significant under the fixed rule", true},
		{Result{Evidence: EvidenceProvisional, Lift: 0.1}, "leading, not yet significant", false},
	}
	for _, tt := range tests {
		got := tt.r.Standing()
		if got != tt.want {
			t.Errorf("Standing(%s %+g) = %q, want %q", tt.r.Evidence, tt.r.Lift, got, tt.want)
		}
		if tt.r.Evidence.Holds() != tt.claimed {
			t.Errorf("%s holds = %v", tt.r.Evidence, !tt.claimed)
		}
		if !tt.claimed && (strings.Contains(got, "won") || strings.Contains(got, "winner")) {
			t.Errorf("provisional result says %q", got)
		}
	}
}

func TestPerformanceContext(t *testing.T) {
	results := []Result{
		{Experiment: "other", Channel: "web", Audience: "devs", Lift: 0.9},
		{Experiment: "aud", Audience: "smb", Lift: 0.5},
		{Experiment: "both", Channel: "email", Audience: "smb", Lift: 0.1},
		{Experiment: "chan", Channel: "email", Lift: 0.3, Evidence: EvidenceProvisional},
		{Experiment: "chan-sig", Channel: "email", Lift: 0.1, Evidence: EvidenceSignificant},
		{Experiment: "chan-won", Channel: "email", Lift: 0.05, Evidence: EvidenceDeclared},
	}
	got := PerformanceContext(Brief{Channel: "Email", Audience: "smb"}, results)
	want := []string{"both", "chan-won", "chan-sig", "chan", "aud"}
	if len(got) != len(want) {
		t.Fatalf("got %d results: %+v", len(got), got)
	}
	for i, w := range want {
		if got[i].Experiment != w {
			t.Errorf("result %d = %s, want %s", i, got[i].Experiment, w)
		}
	}
}
