package format

import (
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that probabilities print to a tenth of a percent and never round
// to a certainty they are not.
func TestProb(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	for _, tt := range []struct {
		p    *float64
		want string
	}{{nil, Missing}, {f(0), "0.0%"}, {f(0.0001), "<0.1%"}, {f(1.0 / 6), "16.7%"}, {f(0.99996), ">99.9%"}, {f(1), "100.0%"}} {
		if got := Prob(tt.p); got != tt.want {
			t.Errorf("Prob(%v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestDaysAndUnits(t *testing.T) {
	for d, want := range map[float64]string{0.2: "under a day", 1: "~1 day", 11.2: "~12 days", 400: "over a year"} {
		if got := Days(d); got != want {
			t.Errorf("Days(%v) = %q, want %q", d, got, want)
		}
	}
	for n, want := range map[float64]string{7: "7", 1000: "1,000", 160608: "160,608", 1234567: "1,234,567"} {
		if got := Units(n); got != want {
			t.Errorf("Units(%v) = %q, want %q", n, got, want)
		}
	}
}

// Ensure that the status names every winner, the control when it wins,
// and the days still needed.
func TestStatus(t *testing.T) {
	d := 11.5
	policy := core.DefaultDecisionPolicy()
	for _, tt := range []struct {
		a    core.Analysis
		want string
	}{
		{core.Analysis{Status: core.StatusWinner, Winners: []string{"c", "d"}}, "★ winner: c, d"},
		{core.Analysis{Status: core.StatusWinner}, "★ control wins"},
		{core.Analysis{Status: core.StatusInconclusive, Plan: core.SamplePlan{DaysLeft: &d}}, "? inconclusive ~12 days"},
		{core.Analysis{Status: core.StatusDataError}, "✗ data error"},
	} {
		tt.a.Policy = policy
		if got := Status(tt.a); got != tt.want {
			t.Errorf("Status = %q, want %q", got, tt.want)
		}
	}
	a := core.Analysis{Policy: policy, Plan: core.SamplePlan{Comparisons: 2}}
	if got := LiftHeader(a); got != "LIFT [97.5% AV]" {
		t.Errorf("LiftHeader = %q", got)
	}
}
