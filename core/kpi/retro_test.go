package kpi

import (
	"slices"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that "what worked" lists declared winners whose experiment still
// holds, and leaves out one whose data now shows a sample-ratio mismatch
// and one the store has no evidence for.
func TestWins_Evidence(t *testing.T) {
	exp := func(key string) core.Experiment {
		return core.Experiment{Key: key, Name: strings.ToUpper(key), Started: at(2, 0), Decided: at(9, 0), Winner: "b",
			Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}
	}
	held, srm, none := exp("held"), exp("srm"), exp("none")
	analysis := func(e core.Experiment, nb, cb uint64) core.Analysis {
		totals := map[string]core.VariantTotals{"a": {Exposures: 10000, Converters: 400, First: at(2, 0), Last: at(9, 0)}, "b": {Exposures: nb, Converters: cb, First: at(2, 0), Last: at(9, 0)}}
		return core.Analyze(e, totals, at(9, 0), core.DefaultGuards())
	}
	in := Input{Experiments: []core.Experiment{held, srm, none}, Evidence: map[string]core.Result{}}
	for _, a := range []core.Analysis{analysis(held, 10000, 520), analysis(srm, 11000, 600)} {
		if r, ok := core.ExperimentResult(a); ok {
			in.Evidence[a.Experiment.Key] = r
		}
	}
	got := Wins(in, at(2, 0), at(16, 0), 3)
	if len(got) != 1 || !strings.Contains(got[0], "HELD: variant b, the declared winner, +30% vs control") {
		t.Fatalf("wins = %q", got)
	}
}

// Ensure that a KPI whose best value is 100 % is better as it nears 100 %
// from either side, so a climb into overbooking reads as worse.
func TestArrow_Near100(t *testing.T) {
	trend := func(now, before float64) Trend {
		return Trend{KPI: KPI{Value: now, N: 3, Better: BetterNear100}, Previous: KPI{Value: before, N: 3}}
	}
	for _, tt := range []struct {
		now, before float64
		want        string
	}{
		{80, 60, "▲ better"},
		{130, 95, "▲ worse"},
		{105, 130, "▼ better"},
		{50, 90, "▼ worse"},
	} {
		if got := Arrow(trend(tt.now, tt.before)); got != tt.want {
			t.Errorf("%v%% after %v%%: %q, want %q", tt.now, tt.before, got, tt.want)
		}
	}
}

// Ensure that utilization counts the briefs planned in the period as its
// n, so a period with no planned work is no data rather than 0 %.
func TestUtilization_N(t *testing.T) {
	in := input()
	r := Compute(in, at(2, 0), at(16, 0))
	check(t, r, "utilization", r.KPIs[slices.IndexFunc(r.KPIs, func(k KPI) bool { return k.Key == "utilization" })].Value, 2) // briefs 1 and 2 have hours in those weeks; 3 is due after
	empty := Compute(in, at(2, 0).AddDate(1, 0, 0), at(16, 0).AddDate(1, 0, 0))
	if u, _ := empty.Get("utilization"); u.N != 0 || Format(u) != "–" {
		t.Fatalf("a year on, utilization = %+v (%s)", u, Format(u))
	}
}
