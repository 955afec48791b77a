package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// fixtureNow is when the fixtures are read: weeks after their events,
// as a backfill is.
var fixtureNow = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// Ensure that the cases of issue 17, ingested from testdata/experiments
// through the command table, show the corrected counts, and that
// `experiment show --json` and `experiment list --json` encode for each.
func TestExperimentFixtures(t *testing.T) {
	tests := []struct {
		name, key string
		// add creates the experiment first (else ingest --create does).
		add  []string
		want []string // in `experiment show`
		json func(t *testing.T, a core.Analysis)
	}{
		{"unexposed conversions", "unexposed", nil,
			[]string{"data quality: 420 conversion or revenue events came from units not exposed", "b      "},
			func(t *testing.T, a core.Analysis) {
				if b := a.Arms[1].Totals; b.Converters != 120 || b.Exposures != 1000 || a.Quality.Unattributed != 420 || len(a.Problems) != 0 {
					t.Fatalf("b = %+v, quality %+v, problems %v", b, a.Quality, a.Problems)
				}
			}},
		{"split revenue", "split", nil, []string{"revenue per unit  secondary  a        15.00  control"},
			func(t *testing.T, a core.Analysis) {
				if c := a.Arms[0].Totals; c.Revenue != 30 || c.RevenueSq != 900 {
					t.Fatalf("control revenue %+v: want 30 and one unit's 30² = 900", c)
				}
			}},
		{"backfill", "backfill", nil, []string{"running 9.0 days", "started 2026-11-01 (its earliest event)"},
			func(t *testing.T, a core.Analysis) {
				if a.RuntimeDays != 9 || a.Status != core.StatusCollecting && a.Status != core.StatusNeedsData {
					t.Fatalf("runtime %v days, status %s", a.RuntimeDays, a.Status)
				}
			}},
		{"one unit per arm", "one", nil, []string{"collecting", "no interval until both arms"},
			func(t *testing.T, a core.Analysis) {
				if a.Arms[1].Lift != nil {
					t.Fatalf("a lift from one unit an arm: %+v", a.Arms[1].Lift)
				}
			}},
		{"zero conversions in the control", "zero", nil, []string{"no lift while the control has no conversions"},
			func(t *testing.T, a core.Analysis) {
				if a.Status == core.StatusWinner {
					t.Fatalf("winner from a control with no conversions")
				}
			}},
		// Weights 1/0.15/1: the small arm b has the best rate (38 %) but
		// too few units to be significant; c (35 % against 30 %) wins and
		// is named, not hidden behind b.
		{"weights 1/0.15/1", "weights", []string{"experiment", "add", "weights", "--variants", "a,b,c", "--weights", "1,0.15,1", "--min-units", "400"},
			[]string{"★ winner: c", "? open   450", "▲ wins   3000"},
			func(t *testing.T, a core.Analysis) {
				if a.Status != core.StatusWinner || len(a.Winners) != 1 || a.Winners[0] != "c" || a.Arms[1].Verdict != core.VerdictInconclusive || *a.Arms[1].Rate <= *a.Arms[2].Rate {
					t.Fatalf("status %s, winners %v, b %s", a.Status, a.Winners, a.Arms[1].Verdict)
				}
			}},
		{"empty arm", "empty", []string{"experiment", "add", "empty", "--variants", "a,b,c", "--rule", "fixed", "--min-units", "1"},
			[]string{"no units yet", "fixed horizon", "(this experiment's)"},
			func(t *testing.T, a core.Analysis) {
				if a.Arms[2].ProbBest != nil || a.Guards.MinUnitsPerArm != 1 {
					t.Fatalf("empty arm: P(best) %v, guards %+v", a.Arms[2].ProbBest, a.Guards)
				}
			}},
	}
	be := mustOpenBackend(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, err := filepath.Abs(filepath.Join("..", "..", "testdata", "experiments", fixtureFile(tt.key)))
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"ingest", "--create", path}
			if tt.add != nil {
				if code, _, errOut := run(t, be, admin, tt.add...); code != 0 {
					t.Fatalf("add: %d %s", code, errOut)
				}
				args = append(args[:1], args[2:]...)
			}
			if code, out, errOut := run(t, be, admin, args...); code != 0 {
				t.Fatalf("ingest: %d %s %s", code, out, errOut)
			}
			code, out, errOut := runAtTime(t, be, admin, fixtureNow, "experiment", "show", tt.key)
			if code != 0 || strings.Contains(out, "NaN") {
				t.Fatalf("show: %d %s\n%s", code, errOut, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("show lacks %q:\n%s", w, out)
				}
			}
			code, out, errOut = runAtTime(t, be, admin, fixtureNow, "experiment", "show", tt.key, "--json")
			var a core.Analysis
			if code != 0 || json.Unmarshal([]byte(out), &a) != nil {
				t.Fatalf("show --json: %d %s\n%s", code, errOut, out)
			}
			tt.json(t, a)
		})
	}
	code, out, errOut := runAtTime(t, be, admin, fixtureNow, "experiment", "list", "--json")
	var all []core.Analysis
	if code != 0 || json.Unmarshal([]byte(out), &all) != nil || len(all) != len(tests) {
		t.Fatalf("list --json: %d %s, %d analyses", code, errOut, len(all))
	}
}

// fixtureFile is the file of an experiment key.
func fixtureFile(key string) string {
	switch key {
	case "split":
		return "split-revenue.jsonl"
	case "empty":
		return "empty-arm.jsonl"
	case "one":
		return "one-unit.jsonl"
	case "zero":
		return "zero-control.jsonl"
	}
	return key + ".jsonl"
}
