package experiments

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// Ensure that the detail shows guardrail and secondary metrics with their
// intervals, and `x` says what each shows.
func TestExperiments_Metrics(t *testing.T) {
	h := newHarness(t, admin)
	ctx := context.Background()
	e := core.Experiment{Key: "paid", Name: "Paid", Started: testNow.AddDate(0, 0, -1),
		Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}},
		Metrics:  []core.Metric{{Kind: core.MetricConversion, Role: core.MetricPrimary}, {Kind: core.MetricRevenue, Role: core.MetricGuardrail}}}
	if _, err := h.be.AddExperiment(ctx, admin, e); err != nil {
		t.Fatal(err)
	}
	var events []core.Event
	for _, v := range []string{"a", "b"} {
		for i := range 50 {
			unit := fmt.Sprint(v, i)
			events = append(events, core.Event{TS: testNow.Add(-1), Experiment: "paid", Variant: v, Unit: unit, Type: core.EventExposure},
				core.Event{TS: testNow.Add(-1), Experiment: "paid", Variant: v, Unit: unit, Type: core.EventRevenue, Value: float64(i % 9)})
		}
	}
	if _, err := h.be.Ingest(ctx, admin, events, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	h.reload()
	h.m.open = "paid"
	if v := h.m.View(); !strings.Contains(v, "revenue per unit  guardrail  a") || !strings.Contains(v, "DIFF [95% AV]") {
		t.Fatalf("metrics not shown:\n%s", v)
	}
	h.press("j", "x")
	if v := h.m.View(); !strings.Contains(v, "Revenue per unit (guardrail): 3.80; +0.00 against the control, an always-valid 95% interval of") {
		t.Fatalf("x does not explain the metric:\n%s", v)
	}
}

// Ensure that b breaks the open experiment down by each attribute of its
// units in turn, then off, with the note that slices are exploratory, and
// that the help names the key.
func TestExperiments_By(t *testing.T) {
	h := newHarness(t, admin)
	ctx := context.Background()
	var events []core.Event
	for i := range 40 {
		events = append(events, core.Event{TS: testNow.Add(-1), Experiment: "seg", Variant: []string{"a", "b"}[i%2], Unit: fmt.Sprint("u", i), Type: core.EventExposure,
			Attrs: map[string]string{"audience": []string{"smb", "ent"}[i/2%2], "country": "fr"}})
	}
	if _, err := h.be.Ingest(ctx, admin, events, store.IngestOptions{Create: true}); err != nil {
		t.Fatal(err)
	}
	h.reload()
	h.m.open = "seg"
	if !strings.Contains(fmt.Sprint(h.m.ShortHelp()), "by attribute") {
		t.Fatalf("help lacks the key: %v", h.m.ShortHelp())
	}
	h.press("b")
	if v := h.m.View(); !strings.Contains(v, "by audience: slices are exploratory") || !strings.Contains(v, "smb       a") {
		t.Fatalf("no breakdown by audience:\n%s", v)
	}
	h.reload() // a new snapshot keeps the breakdown, recomputed
	h.press("b")
	if v := h.m.View(); !strings.Contains(v, "by country") || !strings.Contains(v, "fr       a") {
		t.Fatalf("no breakdown by country:\n%s", v)
	}
	h.press("b")
	if v := h.m.View(); strings.Contains(v, "slices are exploratory") {
		t.Fatalf("the breakdown did not turn off:\n%s", v)
	}
}
