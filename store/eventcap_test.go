package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that capping revenue at a percentile keeps one whale from
// deciding a test: its revenue counts at the cap, every count as stored.
func TestStore_CappedTotals(t *testing.T) {
	s := mustOpenStore(t)
	var evs []core.Event
	add := func(variant string, i int, revenue float64) {
		unit := fmt.Sprintf("%s-%d", variant, i)
		evs = append(evs,
			core.Event{TS: fixedNow, Experiment: "whale", Variant: variant, Unit: unit, Type: core.EventExposure},
			core.Event{TS: fixedNow.Add(1), Experiment: "whale", Variant: variant, Unit: unit, Type: core.EventRevenue, Value: revenue})
	}
	for i := range 100 {
		add("a", i, 10)
		revenue := 10.0
		if i == 0 {
			revenue = 10_000
		}
		add("b", i, revenue)
	}
	if _, err := s.Ingest(context.Background(), "ingest", evs, IngestOptions{Create: true}); err != nil {
		t.Fatal(err)
	}
	stored, _ := s.Totals(context.Background(), "whale")
	capped, limit, err := s.CappedTotals(context.Background(), "whale", 99)
	if err != nil || limit != 10 {
		t.Fatalf("cap %g, %v", limit, err)
	}
	if stored["b"].Revenue != 10_990 || capped["b"].Revenue != 1000 || capped["b"].RevenueSq != 100*100 {
		t.Fatalf("b revenue stored %g, capped %g (sq %g)", stored["b"].Revenue, capped["b"].Revenue, capped["b"].RevenueSq)
	}
	if capped["b"].Exposures != stored["b"].Exposures || capped["a"].Revenue != stored["a"].Revenue {
		t.Fatalf("capping changed counts or an arm without outliers: %+v / %+v", capped["b"], stored["b"])
	}
}
