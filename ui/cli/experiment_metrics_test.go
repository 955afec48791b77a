package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// Ensure that `experiment add --guardrail/--secondary` sets the metrics,
// that `experiment show` prints each with its value, difference and
// interval (table and JSON), and that an unknown kind is refused.
func TestExperimentMetrics(t *testing.T) {
	be := mustOpenBackend(t)
	if code, _, errOut := run(t, be, admin, "experiment", "add", "paid", "--variants", "a,b", "--guardrail", "revenue", "--secondary", "revenue_per_converter"); code != 0 {
		t.Fatalf("add: %d %s", code, errOut)
	}
	var events []core.Event
	for _, v := range []string{"a", "b"} {
		for i := range 200 {
			unit := fmt.Sprintf("%s-%d", v, i)
			events = append(events, core.Event{TS: testNow, Experiment: "paid", Variant: v, Unit: unit, Type: core.EventExposure})
			if i%4 == 0 {
				events = append(events, core.Event{TS: testNow, Experiment: "paid", Variant: v, Unit: unit, Type: core.EventConversion},
					core.Event{TS: testNow, Experiment: "paid", Variant: v, Unit: unit, Type: core.EventRevenue, Value: float64(10 + i%7)})
			}
		}
	}
	if _, err := be.Ingest(context.Background(), admin, events, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, be, admin, "experiment", "show", "paid")
	if code != 0 {
		t.Fatalf("show: %d %s", code, errOut)
	}
	for _, w := range []string{"METRIC", "DIFF [95% AV]", "revenue per unit       guardrail  a", "revenue per converter  secondary  b"} {
		if !strings.Contains(out, w) {
			t.Errorf("show lacks %q:\n%s", w, out)
		}
	}
	code, out, _ = run(t, be, admin, "experiment", "show", "paid", "--json")
	var a core.Analysis
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil {
		t.Fatalf("show --json: %d\n%s", code, out)
	}
	b := a.Arms[1].Metrics
	if len(b) != 2 || b[0].Kind != core.MetricRevenue || b[0].Role != core.MetricGuardrail || b[0].Diff == nil || b[1].Value == nil {
		t.Fatalf("metrics of b = %+v", b)
	}
	code, _, errOut = run(t, be, admin, "experiment", "add", "odd", "--variants", "a,b", "--secondary", "clicks")
	if code == 0 || !strings.Contains(errOut, "metrics[1].kind") {
		t.Fatalf("unknown metric: %d %s", code, errOut)
	}
}

// Ensure that `experiment add --primary revenue` makes revenue per unit
// decide: `show` says so beside the rule and the JSON lists it as the
// primary metric; a ratio metric is refused as primary.
func TestExperimentRevenuePrimary(t *testing.T) {
	be := mustOpenBackend(t)
	if code, _, errOut := run(t, be, admin, "experiment", "add", "basket", "--variants", "a,b", "--primary", "revenue"); code != 0 {
		t.Fatalf("add: %d %s", code, errOut)
	}
	code, out, errOut := run(t, be, admin, "experiment", "show", "basket")
	if code != 0 || !strings.Contains(out, "on revenue per unit;") {
		t.Fatalf("show: %d %s\n%s", code, errOut, out)
	}
	code, out, _ = run(t, be, admin, "experiment", "show", "basket", "--json")
	var a core.Analysis
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil || core.PrimaryMetric(a.Metrics) != core.MetricRevenue {
		t.Fatalf("show --json: %d\n%s", code, out)
	}
	code, _, errOut = run(t, be, admin, "experiment", "add", "ratio", "--variants", "a,b", "--primary", "revenue_per_converter")
	if code != ExitUsage || !strings.Contains(errOut, `--primary "revenue_per_converter": use conversion or revenue`) {
		t.Fatalf("ratio as primary: %d %s", code, errOut)
	}
}
