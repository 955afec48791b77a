package core

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// Ensure that a guardrail moving significantly the wrong way blocks a
// winner on the primary metric and says so, while the same metric as a
// secondary one does not.
func TestAnalyze_Guardrail(t *testing.T) {
	// b converts better (5.2 % against 4 %) but makes 0.50 less revenue
	// per unit (SD 5, 10,000 units an arm: z ≈ −7).
	totals := map[string]VariantTotals{
		"a": {Exposures: 10000, Converters: 400, Revenue: 20000, RevenueSq: 10000 * (25 + 4)},
		"b": {Exposures: 10000, Converters: 520, Revenue: 15000, RevenueSq: 10000 * (25 + 2.25)},
	}
	for _, tt := range []struct {
		role    MetricRole
		status  ExperimentStatus
		verdict Verdict
	}{
		{MetricGuardrail, StatusGuardrail, VerdictBlocked},
		{MetricSecondary, StatusWinner, VerdictWins},
	} {
		t.Run(string(tt.role), func(t *testing.T) {
			e := twoArms()
			e.Metrics = []Metric{{Kind: MetricConversion, Role: MetricPrimary}, {Kind: MetricRevenue, Role: tt.role}}
			if err := e.Validate(); err != nil {
				t.Fatal(err)
			}
			a := Analyze(e, totals, analysisStart.AddDate(0, 0, 10), DefaultGuards())
			b := a.Arms[1]
			if a.Status != tt.status || b.Verdict != tt.verdict {
				t.Fatalf("status %s, verdict %s; want %s, %s (notes %q)", a.Status, b.Verdict, tt.status, tt.verdict, b.Notes)
			}
			if len(b.Metrics) != 1 || b.Metrics[0].Moved != MovedDown || math.Abs(b.Metrics[0].Diff.Diff+0.5) > 1e-12 || b.Metrics[0].Diff.CI.High >= 0 {
				t.Fatalf("revenue metric = %+v", b.Metrics)
			}
			blocked := slices.ContainsFunc(b.Notes, func(n string) bool {
				return n == "guardrail revenue per unit moved the wrong way: -0.50 [-0.72, -0.28]"
			})
			if blocked != (tt.role == MetricGuardrail) || slices.Contains(a.Winners, "b") == blocked {
				t.Errorf("notes %q, winners %v, blocked %v", b.Notes, a.Winners, a.Blocked)
			}
			if r, ok := ExperimentResult(a); ok && r.Evidence == EvidenceSignificant && tt.role == MetricGuardrail {
				t.Errorf("a blocked winner is evidence: %+v", r)
			}
		})
	}
}

// Ensure that revenue per converter is Σ revenue / converters with the
// delta method's interval, against the reference in stats'
// TestRatioSample_DeltaMethod (Python statistics on the unit arrays):
// diff 0.9375, SE 9.01256062589838, 95 % interval [−16.7268, +18.6018],
// p 0.917152, under the fixed rule with one comparison.
func TestAnalyze_RevenuePerConverter(t *testing.T) {
	units := func(x, y []float64) VariantTotals {
		var t VariantTotals
		for i := range x {
			t.Exposures++
			t.Revenue += x[i]
			t.RevenueSq += x[i] * x[i]
			if y[i] == 1 {
				t.Converters++
				t.Conversions++
				t.ConverterRevenue += x[i]
			}
		}
		return t
	}
	totals := map[string]VariantTotals{
		"a": units([]float64{0, 5, 12.5, 30, 0, 7, 0, 20, 0, 41}, []float64{0, 0, 1, 1, 0, 1, 1, 1, 0, 1}),
		"b": units([]float64{18, 0, 25, 0, 9.5, 60, 0, 0, 12, 33, 0, 4}, []float64{1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1}),
	}
	e := twoArms()
	e.Metrics = []Metric{{Kind: MetricConversion, Role: MetricPrimary}, {Kind: MetricRevenuePerConverter, Role: MetricSecondary}}
	fixed := Analyze(e, totals, analysisStart.AddDate(0, 0, 10), guardsWith(RuleFixed))
	c, b := fixed.Arms[0].Metrics[0], fixed.Arms[1].Metrics[0]
	if c.Value == nil || *c.Value != 19.25 || b.Value == nil || *b.Value != 20.1875 || c.Diff != nil {
		t.Fatalf("values: control %+v, treatment %+v", c, b)
	}
	d := b.Diff
	if d == nil || math.Abs(d.Diff-0.9375) > 1e-12 || math.Abs(d.CI.Low+16.726794235244594) > 1e-9 ||
		math.Abs(d.CI.High-18.601794235244594) > 1e-9 || math.Abs(d.P-0.9171522932104175) > 1e-9 || b.Moved != "" {
		t.Fatalf("diff = %+v", d)
	}
	// The always-valid interval is wider than the fixed one at any look.
	seq := Analyze(e, totals, analysisStart.AddDate(0, 0, 10), DefaultGuards()).Arms[1].Metrics[0].Diff
	if seq == nil || seq.CI.Low >= d.CI.Low || seq.CI.High <= d.CI.High {
		t.Fatalf("sequential %+v is not wider than fixed %+v", seq, d)
	}
}

// Ensure that counting keeps the revenue of converting units only: a
// unit that pays without converting is in Revenue, not ConverterRevenue.
func TestCountEvents_ConverterRevenue(t *testing.T) {
	at := func(m int) time.Time { return analysisStart.Add(time.Duration(m) * time.Minute) }
	ev := func(unit string, typ EventType, v float64, m int) Event {
		return Event{TS: at(m), Experiment: "x", Variant: "a", Unit: unit, Type: typ, Value: v}
	}
	got := CountEvents([]Event{
		ev("u1", EventExposure, 0, 0), ev("u1", EventConversion, 0, 1), ev("u1", EventRevenue, 10, 2), ev("u1", EventRevenue, 2.5, 3),
		ev("u2", EventExposure, 0, 0), ev("u2", EventRevenue, 4, 1),
		ev("u3", EventRevenue, 100, 0), ev("u3", EventConversion, 0, 1), // never exposed
	}, 0)["a"]
	if got.Revenue != 16.5 || got.ConverterRevenue != 12.5 || got.Converters != 1 {
		t.Fatalf("totals = %+v", got)
	}
}

// Ensure that an experiment's metrics are validated: one primary, the
// conversion rate or revenue (not under the Bayesian rule); known kinds
// and roles; each kind once.
func TestExperiment_ValidateMetrics(t *testing.T) {
	primary := Metric{Kind: MetricConversion, Role: MetricPrimary}
	tests := []struct {
		metrics []Metric
		field   string
	}{
		{[]Metric{primary, {Kind: MetricRevenue, Role: MetricGuardrail}, {Kind: MetricRevenuePerConverter, Role: MetricSecondary}}, ""},
		{[]Metric{{Kind: MetricRevenue, Role: MetricGuardrail}}, "metrics"},
		{[]Metric{primary, {Kind: MetricRevenue, Role: MetricPrimary}}, "metrics"},
		{[]Metric{{Kind: MetricRevenuePerConverter, Role: MetricPrimary}}, "metrics[0].kind"},
		{[]Metric{{Kind: MetricRevenue, Role: MetricPrimary}, {Kind: MetricRevenuePerConverter, Role: MetricGuardrail}}, ""},
		{[]Metric{primary, {Kind: "clicks", Role: MetricSecondary}}, "metrics[1].kind"},
		{[]Metric{primary, {Kind: MetricRevenue, Role: "vanity"}}, "metrics[1].role"},
		{[]Metric{primary, {Kind: MetricRevenue, Role: MetricGuardrail}, {Kind: MetricRevenue, Role: MetricSecondary}}, "metrics[2].kind"},
	}
	for _, tt := range tests {
		e := twoArms()
		e.Metrics = tt.metrics
		if got := Field(e.Validate()); got != tt.field {
			t.Errorf("%+v: field %q, want %q (%v)", tt.metrics, got, tt.field, e.Validate())
		}
	}
	e := twoArms()
	e.Metrics = []Metric{{Kind: MetricRevenue, Role: MetricPrimary}}
	g := guardsWith(RuleBayesian)
	e.Guards = &g
	if got := Field(e.Validate()); got != "metrics[0].kind" {
		t.Errorf("revenue under the Bayesian rule: field %q (%v)", got, e.Validate())
	}
}

// Ensure that revenue per unit as the primary metric decides: the lift,
// its interval and the verdict read revenue, not the conversion rate,
// under each frequentist rule, and the plan is sized for revenue.
func TestAnalyze_RevenuePrimary(t *testing.T) {
	// The same conversion rate, but b makes 2.20 per unit against 2.00
	// (SD ≈ 5, 20,000 units an arm): +10 %, z ≈ 4.
	totals := map[string]VariantTotals{
		"a": {Exposures: 20000, Converters: 800, Revenue: 40000, RevenueSq: 20000 * (25 + 4)},
		"b": {Exposures: 20000, Converters: 800, Revenue: 44000, RevenueSq: 20000 * (25 + 4.84)},
	}
	for _, rule := range []DecisionRule{RuleSequential, RuleFixed} {
		t.Run(string(rule), func(t *testing.T) {
			e := twoArms()
			e.Metrics = []Metric{{Kind: MetricRevenue, Role: MetricPrimary}}
			a := Analyze(e, totals, analysisStart.AddDate(0, 0, 10), guardsWith(rule))
			b := a.Arms[1]
			if a.Status != StatusWinner || a.Leader != "b" || b.Verdict != VerdictWins {
				t.Fatalf("status %s, leader %q, verdict %s (notes %q)", a.Status, a.Leader, b.Verdict, b.Notes)
			}
			if math.Abs(b.Lift.Estimate-0.10) > 1e-12 || b.Lift.CI.Low <= 0 {
				t.Fatalf("lift = %+v", b.Lift)
			}
			// The fixed rule reads only at its plan; the sequential one
			// may decide before its (wider) plan is reached.
			if a.Plan.NeededPerArm == nil || (rule == RuleFixed && !a.Plan.Reached) {
				t.Fatalf("plan = %+v", a.Plan)
			}
			// Badges and the studio's grounding cite the revenue lift.
			if r, ok := ExperimentResult(a); !ok || r.Evidence != EvidenceSignificant || math.Abs(r.Lift-0.10) > 1e-12 {
				t.Fatalf("result = %+v, %v", r, ok)
			}
		})
	}
	// The conversion rate as primary reads the same data as no winner.
	a := Analyze(twoArms(), totals, analysisStart.AddDate(0, 0, 10), DefaultGuards())
	if a.Status == StatusWinner {
		t.Fatalf("conversion primary: %s", a.Status)
	}
	// A workspace whose default rule is Bayesian does not decide revenue
	// on conversion posteriors: the arm stays open, and says why.
	e := twoArms()
	e.Metrics = []Metric{{Kind: MetricRevenue, Role: MetricPrimary}}
	a = Analyze(e, totals, analysisStart.AddDate(0, 0, 10), guardsWith(RuleBayesian))
	if b := a.Arms[1]; b.Verdict != VerdictInconclusive || !slices.ContainsFunc(b.Notes, func(n string) bool { return strings.Contains(n, "Bayesian rule reads conversion rates") }) {
		t.Fatalf("Bayesian over revenue: %s %q", b.Verdict, b.Notes)
	}
}
