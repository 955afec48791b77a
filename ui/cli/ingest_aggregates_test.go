package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// Ensure that ingest --aggregates stores a warehouse's daily rows into the
// variants' totals, names each refused line, exits 2 when any was
// refused, and that resending a day replaces its rows instead of adding.
func TestIngest_Aggregates(t *testing.T) {
	be := mustOpenBackend(t)
	if code, _, errOut := run(t, be, admin, "experiment", "add", "checkout", "--variants", "control,treatment"); code != 0 {
		t.Fatalf("experiment add: %s", errOut)
	}
	rows := "day,experiment,variant,units,converting_units,metric,sum,sum_sq\n" +
		"2026-11-02,checkout,control,1000,120,revenue,2400,96000\n" +
		"2026-11-02,checkout,treatment,1010,131,,,\n" +
		"2026-11-03,checkout,treatment,5,9,,,\n" + // more converting than units
		"2026-11-03,checkout,other,5,1,,,\n" +
		"2026-11-03,checkout,control,NaN,1,,,\n"
	path := writeFile(t, "daily.csv", rows)
	code, out, errOut := run(t, be, admin, "ingest", "--aggregates", "--json", path)
	if code != ExitRejected {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var s AggregatesSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if s.Rows != 5 || s.Added != 2 || s.Rejected != 3 {
		t.Fatalf("summary = %+v", s)
	}
	for _, want := range []string{"line 4: aggregate converting_units: is more than units", `line 5: experiment "checkout" has no variant "other"`, "line 6: aggregate units: is not a whole number"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	}
	resent := writeFile(t, "resent.jsonl", `{"day":"2026-11-02","experiment":"checkout","variant":"treatment","units":1020,"converting_units":133}`+"\n")
	if code, out, errOut := run(t, be, admin, "ingest", "--aggregates", resent); code != 0 || !strings.Contains(out, "1 rows: 0 added, 1 replaced") {
		t.Fatalf("resend: exit %d, %q, %q", code, out, errOut)
	}
	totals, _ := be.Totals(context.Background(), "checkout")
	if c, tr := totals["control"], totals["treatment"]; c.Exposures != 1000 || c.Converters != 120 || c.Revenue != 2400 || c.RevenueSq != 96000 || tr.Exposures != 1020 || tr.Converters != 133 {
		t.Fatalf("totals = %+v", totals)
	}
}
