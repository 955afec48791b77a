package core

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core/stats"
)

// revenueEvents is the per-unit Welch reference case: control units pay
// 0,0,30,0,10,0,0,5 and treatment units 0,20,0,45,0,0,15,0, the 45 in
// three events of 15 and the 20 in two of 10.
func revenueEvents() []Event {
	var out []Event
	add := func(variant string, pays [][]float64) {
		for u, p := range pays {
			unit := variant + string(rune('0'+u))
			out = append(out, ev(0, variant, unit, EventExposure, 0))
			for k, v := range p {
				out = append(out, ev(1+k, variant, unit, EventRevenue, v))
			}
		}
	}
	add("a", [][]float64{nil, nil, {30}, nil, {10}, nil, nil, {5}})
	add("b", [][]float64{nil, {10, 10}, nil, {15, 15, 15}, nil, nil, {15}, nil})
	return out
}

// Ensure that revenue is tested per unit, zeros included: Welch on the
// counted totals gives what Welch's formulas give on the eight per-unit
// values of each arm. Reference, computed by hand with Python's statistics
// module (mean, variance with n − 1), the Welch–Satterthwaite degrees of
// freedom and Simpson's rule on the Student t density (2·10⁵ steps):
// means 5.625 and 10, variances 110.26785714285714 and 264.2857142857143,
// SE 6.842455438552116, df 11.975140531699529, t 0.6393903532568366,
// two-sided p 0.5346092516767793. Per event (the old counting) the
// treatment's 45 would be three values of 15 and its variance far smaller.
func TestCountEvents_PerUnitWelch(t *testing.T) {
	totals := CountEvents(revenueEvents(), 0)
	c, tr := totals["a"], totals["b"]
	cs := stats.Sample{N: c.Exposures, Sum: c.Revenue, SumSq: c.RevenueSq}
	ts := stats.Sample{N: tr.Exposures, Sum: tr.Revenue, SumSq: tr.RevenueSq}
	w := stats.Welch(cs, ts, 0.95)
	for _, tt := range []struct {
		name      string
		got, want float64
	}{
		{"control mean", cs.Mean(), 5.625},
		{"treatment mean", ts.Mean(), 10},
		{"control variance", cs.Variance(), 110.26785714285714},
		{"treatment variance", ts.Variance(), 264.2857142857143},
		{"t", w.T, 0.6393903532568366},
		{"df", w.DF, 11.975140531699529},
		{"p", w.P, 0.5346092516767793},
	} {
		if math.Abs(tt.got-tt.want) > 1e-9*math.Max(1, math.Abs(tt.want)) {
			t.Errorf("%s = %.15g, want %.15g", tt.name, tt.got, tt.want)
		}
	}
}

// Ensure that an experiment's runtime counts from its earliest event to
// its latest, so a backfill analysed weeks later says how long it ran,
// and that a set start wins over the data.
func TestAnalyze_RuntimeFromData(t *testing.T) {
	first := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	totals := map[string]VariantTotals{
		"a": {Exposures: 10, First: first.Add(time.Hour), Last: first.AddDate(0, 0, 9)},
		"b": {Exposures: 10, First: first, Last: first.AddDate(0, 0, 8)},
	}
	exp := twoArms()
	exp.Started = time.Time{}
	a := Analyze(exp, totals, first.AddDate(0, 1, 0), DefaultGuards())
	if !a.Start.Equal(first) || a.Runtime != 9*24*time.Hour {
		t.Fatalf("backfill: start %s, runtime %s", a.Start, a.Runtime)
	}
	live := Analyze(exp, totals, first.AddDate(0, 0, 3), DefaultGuards())
	if live.Runtime != 3*24*time.Hour {
		t.Fatalf("events past now: runtime %s", live.Runtime)
	}
	exp.Started = first.AddDate(0, 0, 2)
	if set := Analyze(exp, totals, first.AddDate(0, 1, 0), DefaultGuards()); set.Runtime != 7*24*time.Hour {
		t.Fatalf("set start: runtime %s", set.Runtime)
	}
}

// Ensure that an experiment's own guards override the workspace's and
// are reported.
func TestAnalyze_OwnGuards(t *testing.T) {
	exp := twoArms()
	own := guardsWith(RuleFixed)
	own.MinUnitsPerArm = 5
	exp.Guards = &own
	a := Analyze(exp, totals2(100, 10, 100, 12), analysisStart.AddDate(0, 0, 10), DefaultGuards())
	if a.Policy.Rule != RuleFixed || a.Guards.MinUnitsPerArm != 5 {
		t.Fatalf("guards = %+v", a.Guards)
	}
	bad := own
	bad.Policy.Alpha = 2
	exp.Guards = &bad
	if Field(exp.Validate()) != "guards.policy.alpha" {
		t.Fatalf("bad guards accepted: %v", exp.Validate())
	}
}

// Ensure that unattributed events and cross-exposed units past 1 % are
// data-quality lines, and that excluding cross-exposed units removes
// them from the arms.
func TestAnalyze_Quality(t *testing.T) {
	totals := map[string]VariantTotals{
		"a": {Exposures: 1000, Converters: 100, Unattributed: 420, Cross: CrossTotals{Units: 15, Converters: 3}},
		"b": {Exposures: 1000, Converters: 110, Cross: CrossTotals{Units: 15, Converters: 2}},
	}
	a := Analyze(twoArms(), totals, analysisStart.AddDate(0, 0, 10), DefaultGuards())
	if !a.Quality.CrossFlagged || a.Quality.Unattributed != 420 || len(a.Quality.Lines) != 2 || !strings.Contains(a.Quality.Lines[1], "--exclude-cross") {
		t.Fatalf("quality = %+v", a.Quality)
	}
	exp := twoArms()
	exp.ExcludeCrossExposed = true
	x := Analyze(exp, totals, analysisStart.AddDate(0, 0, 10), DefaultGuards())
	if x.Arms[0].Totals.Exposures != 985 || x.Arms[0].Totals.Converters != 97 || !strings.Contains(x.Quality.Lines[1], "left out") {
		t.Fatalf("excluded: %+v, %+v", x.Arms[0].Totals, x.Quality)
	}
}
