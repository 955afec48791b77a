package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
)

// runAtTime executes args as who with the clock at now.
func runAtTime(t *testing.T, be *backend.Backend, who core.Identity, now time.Time, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{Identity: who, Out: &out, Err: &errOut, Now: func() time.Time { return now }, Backend: be, Dir: t.TempDir()}
	code := Execute(context.Background(), NewRoot(env), env, args)
	return code, out.String(), errOut.String()
}

// ingestUnits stores n exposed units per variant, the first converted[v]
// of them converting, all on testNow.
func ingestUnits(t *testing.T, be *backend.Backend, key string, n int, converted map[string]int) {
	t.Helper()
	var events []core.Event
	for v, c := range converted {
		for i := range n {
			unit := fmt.Sprintf("%s-%d", v, i)
			events = append(events, core.Event{TS: testNow, Experiment: key, Variant: v, Unit: unit, Type: core.EventExposure})
			if i < c {
				events = append(events, core.Event{TS: testNow, Experiment: key, Variant: v, Unit: unit, Type: core.EventConversion})
			}
		}
	}
	if _, err := be.Ingest(context.Background(), admin, events, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestExperimentCommands(t *testing.T) {
	be := mustOpenBackend(t)
	if code, _, errOut := run(t, be, admin, "experiment", "add", "spring-email", "--variants", "a,b", "--weights", "1"); code != ExitUsage {
		t.Fatalf("mismatched weights: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, be, admin, "experiment", "add", "Bad Key", "--variants", "a,b"); code != ExitUsage || !strings.Contains(errOut, "experiment key") {
		t.Fatalf("bad key: %d %q", code, errOut)
	}
	run(t, be, admin, "experiment", "add", "spring-email", "--variants", "a,b", "--name", "Spring")
	path := writeFile(t, "e.jsonl", goodLines)
	run(t, be, admin, "ingest", path)
	code, out, _ := runAtTime(t, be, admin, testNow.Add(time.Hour), "experiment", "show", "spring-email")
	if code != 0 || !strings.Contains(out, "collecting") || !strings.Contains(out, "a (control)") || !strings.Contains(out, "rule: sequential (always valid)") ||
		!strings.Contains(out, "no lift while the control has no conversions") || !strings.Contains(out, "100.00%") {
		t.Fatalf("show: %d\n%s", code, out)
	}
	if code, out, _ := run(t, be, admin, "experiment", "list"); code != 0 || !strings.Contains(out, "spring-email") || !strings.Contains(out, "sequential") {
		t.Fatalf("list: %d %q", code, out)
	}
	mops := admin
	mops.Role = "creative"
	if code, _, errOut := run(t, be, mops, "experiment", "declare", "spring-email", "b"); code != ExitPermission || !strings.Contains(errOut, "may not declare winners") {
		t.Fatalf("creative declaring: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, be, admin, "experiment", "declare", "spring-email", "b", "--override", "ship it\u202e"); code != ExitUsage || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("an override reason with a bidi override: %d %q", code, errOut)
	}
	// Ensure that nothing, the control included, is declared while collecting.
	if code, _, errOut := runAtTime(t, be, admin, testNow.Add(time.Hour), "experiment", "declare", "spring-email", "a"); code != ExitFailure || !strings.Contains(errOut, "cannot be decided yet") {
		t.Fatalf("declare while collecting: %d %q", code, errOut)
	}
	ingestUnits(t, be, "spring-email", 1200, map[string]int{"a": 30, "b": 130})
	later := testNow.AddDate(0, 0, 10)
	// Runtime counts from the data: a unit seen again nine days on makes
	// it nine days long without changing any count.
	again := core.Event{TS: testNow.AddDate(0, 0, 9), Experiment: "spring-email", Variant: "a", Unit: "a-0", Type: core.EventExposure}
	if _, err := be.Ingest(context.Background(), admin, []core.Event{again}, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runAtTime(t, be, admin, later, "experiment", "show", "spring-email"); code != 0 || !strings.Contains(out, "★ winner: b") || !strings.Contains(out, "▲ wins") {
		t.Fatalf("show a winner: %d\n%s", code, out)
	}
	// Declaring what the analysis does not name needs a reason, audited.
	if code, _, errOut := runAtTime(t, be, admin, later, "experiment", "declare", "spring-email", "a"); code != ExitFailure || !strings.Contains(errOut, "does not name \"a\"") {
		t.Fatalf("declare the loser: %d %q", code, errOut)
	}
	if code, out, _ := runAtTime(t, be, admin, later, "experiment", "declare", "spring-email", "b"); code != 0 || !strings.Contains(out, "declared b") {
		t.Fatalf("declare: %d %q", code, out)
	}
	if code, _, errOut := runAtTime(t, be, admin, later, "experiment", "declare", "spring-email", "a"); code != ExitFailure || !strings.Contains(errOut, "already declared") {
		t.Fatalf("declare twice: %d %q", code, errOut)
	}
	// A mismatch after the declaration voids it, and says so.
	var lopsided []core.Event
	for i := range 3000 {
		lopsided = append(lopsided, core.Event{TS: later.Add(-time.Hour), Experiment: "spring-email", Variant: "b", Unit: fmt.Sprint("late-", i), Type: core.EventExposure})
	}
	if _, err := be.Ingest(context.Background(), admin, lopsided, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runAtTime(t, be, admin, later, "experiment", "list"); code != 0 || !strings.Contains(out, "✗ void: SRM!") {
		t.Fatalf("list after a mismatch: %d\n%s", code, out)
	}
	if code, _, errOut := runAtTime(t, be, admin, later, "experiment", "declare", "spring-email", "b"); code != ExitFailure || !strings.Contains(errOut, "is void since a sample-ratio mismatch") {
		t.Fatalf("declare a void experiment: %d %q", code, errOut)
	}
	run(t, be, admin, "experiment", "add", "hunch", "--variants", "a,b")
	if code, out, errOut := run(t, be, admin, "experiment", "declare", "hunch", "b", "--override", "legal asked for b"); code != 0 || !strings.Contains(out, "an override") {
		t.Fatalf("override: %d %q %q", code, out, errOut)
	}
	audit, _ := be.Audit(context.Background())
	if last := audit[len(audit)-1]; last.Action != "experiment.declare.override" {
		t.Fatalf("the override is audited as %q", last.Action)
	}
	if _, out, _ := run(t, be, admin, "experiment", "show", "hunch", "--json"); !strings.Contains(out, `"override": "legal asked for b"`) {
		t.Fatalf("the reason is not in the record:\n%s", out)
	}
}

// Ensure that show and list --json always encode, with snake_case fields
// and nulls where a number does not exist: one unit per arm, an arm never
// exposed, and converting units without an exposure (the "135 %").
func TestExperimentJSON_Edges(t *testing.T) {
	be := mustOpenBackend(t)
	run(t, be, admin, "experiment", "add", "edge", "--variants", "a,b,c")
	ingestUnits(t, be, "edge", 1, map[string]int{"a": 1, "b": 0})
	code, out, errOut := run(t, be, admin, "experiment", "show", "edge", "--json")
	if code != 0 {
		t.Fatalf("show --json: %d %q", code, errOut)
	}
	var a struct {
		Status string `json:"status"`
		Policy struct {
			Rule string `json:"rule"`
		} `json:"policy"`
		Arms []struct {
			Lift     *json.RawMessage `json:"lift"`
			ProbBest *float64         `json:"prob_best"`
			Bayes    *struct {
				ChanceToBeat float64 `json:"chance_to_beat"`
			} `json:"bayes"`
			Notes []string `json:"notes"`
		} `json:"arms"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.Policy.Rule != "sequential" || a.Arms[1].Lift != nil || a.Arms[1].Bayes == nil || a.Arms[2].ProbBest != nil || len(a.Arms[2].Notes) == 0 {
		t.Fatalf("edges: %s", out)
	}
	// Converting units that were never exposed: more converters than units.
	var events []core.Event
	for i := range 5 {
		events = append(events, core.Event{TS: testNow, Experiment: "edge", Variant: "c", Unit: fmt.Sprint("ghost-", i), Type: core.EventConversion})
	}
	if _, err := be.Ingest(context.Background(), admin, events, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"experiment", "show", "edge", "--json"}, {"experiment", "list", "--json"}, {"experiment", "show", "edge"}} {
		code, out, errOut := run(t, be, admin, args...)
		if code != 0 || strings.Contains(out, "NaN") {
			t.Fatalf("%v: %d %q\n%s", args, code, errOut, out)
		}
		if totals, _ := be.Analyze(context.Background(), "edge", testNow); totals.Arms[2].Totals.Converters > totals.Arms[2].Totals.Exposures && !strings.Contains(out, "data error") {
			t.Fatalf("%v: converters > units not called a data error:\n%s", args, out)
		}
	}
}

// Ensure that experiment show --cap-revenue reads revenue winsorised at a
// percentile and says so, in the table and the JSON.
func TestExperimentShow_CapRevenue(t *testing.T) {
	be := mustOpenBackend(t)
	var lines []string
	for i := range 50 {
		for _, v := range []string{"a", "b"} {
			value := 10
			if v == "b" && i == 0 {
				value = 50_000
			}
			lines = append(lines,
				fmt.Sprintf(`{"ts":"2026-11-01T10:00:00Z","experiment":"whale","variant":%q,"unit":"%s-%d","type":"exposure"}`, v, v, i),
				fmt.Sprintf(`{"ts":"2026-11-01T11:00:00Z","experiment":"whale","variant":%q,"unit":"%s-%d","type":"revenue","value":%d}`, v, v, i, value))
		}
	}
	run(t, be, admin, "ingest", "--create", writeFile(t, "whale.jsonl", strings.Join(lines, "\n")+"\n"))
	code, out, errOut := run(t, be, admin, "experiment", "show", "whale", "--cap-revenue", "99")
	if code != 0 || !strings.Contains(out, "capped at the 99th percentile of paying units: 10.00") {
		t.Fatalf("show capped: %d %q %q", code, out, errOut)
	}
	code, out, _ = run(t, be, admin, "experiment", "show", "whale", "--cap-revenue", "99", "--json")
	if code != 0 || !strings.Contains(out, `"revenue_cap": {`) {
		t.Fatalf("show capped --json: %d\n%s", code, out)
	}
	if code, _, errOut := run(t, be, admin, "experiment", "show", "whale", "--cap-revenue", "150"); code != ExitUsage || !strings.Contains(errOut, "percentile") {
		t.Fatalf("a cap of 150: %d %q", code, errOut)
	}
}
