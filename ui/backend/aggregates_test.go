package backend

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// publishedTest is the A/B test of the must-show: exposed units
// and converting units per arm.
var publishedTest = []struct {
	variant           string
	units, converting int
}{{"control", 145_274, 17_489}, {"treatment", 145_310, 17_264}}

// Ensure that an experiment given as daily aggregates reads exactly as
// the same units given as raw events, revenue and revenue per converter
// included: the published test (control
// 145,274 units / 17,489 converting, treatment 145,310 / 17,264) over two
// weeks, each unit counted on the day of its first exposure, gives the
// same analysis both ways, and resending a day replaces it.
func TestIngestAggregates_SameAsEvents(t *testing.T) {
	const days = 14
	t0 := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	var events []core.Event
	rows := map[string]*core.AggregateRow{}
	// Each arm's last converting unit of the last day converts at its
	// very end, so the raw events span whole days, as the aggregates do.
	last := t0.Add(days*24*time.Hour - time.Nanosecond)
	for _, arm := range publishedTest {
		closing := (arm.converting-days)/days*days + days - 1
		for u := range arm.units {
			day := u % days
			exposed := t0.Add(time.Duration(day)*24*time.Hour + time.Duration(u%3600)*time.Second)
			unit := fmt.Sprintf("%s-%d", arm.variant, u)
			events = append(events, core.Event{TS: exposed, Experiment: "checkout", Variant: arm.variant, Unit: unit, Type: core.EventExposure})
			key := fmt.Sprintf("%s/%d", arm.variant, day)
			r := rows[key]
			if r == nil {
				r = &core.AggregateRow{Day: exposed.Format(time.DateOnly), Experiment: "checkout", Variant: arm.variant}
				rows[key] = r
			}
			r.Units++
			if u%7 == 0 { // pays, converting or not
				v := float64(1 + u%50)
				events = append(events, core.Event{TS: exposed.Add(time.Minute), Experiment: "checkout", Variant: arm.variant, Unit: unit, Type: core.EventRevenue, Value: v})
				r.Metric, r.Sum, r.SumSq = core.AggregateMetric, r.Sum+v, r.SumSq+v*v
				if u < arm.converting {
					r.ConvertingSum += v
				}
			}
			if u < arm.converting {
				ts := exposed.Add(time.Hour)
				if u == closing {
					ts = last
				}
				events = append(events, core.Event{TS: ts, Experiment: "checkout", Variant: arm.variant, Unit: unit, Type: core.EventConversion})
				r.ConvertingUnits++
			}
		}
	}

	raw, agg := aggregateBackend(t), aggregateBackend(t)
	ctx := context.Background()
	for i := 0; i < len(events); i += 50_000 {
		if _, err := raw.Ingest(ctx, admin, events[i:min(i+50_000, len(events))], IngestOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	var list []core.AggregateRow
	for _, r := range rows {
		list = append(list, *r)
	}
	stale := list[0]
	stale.Units, stale.ConvertingUnits, stale.Metric, stale.Sum, stale.SumSq, stale.ConvertingSum = 9, 1, "", 0, 0, 0
	if res, err := agg.IngestAggregates(ctx, admin, []core.AggregateRow{stale}); err != nil || res.Added != 1 {
		t.Fatalf("stale row: %+v, %v", res, err)
	}
	res, err := agg.IngestAggregates(ctx, admin, list)
	if err != nil || res.Added != len(list)-1 || res.Replaced != 1 || len(res.Rejected) != 0 {
		t.Fatalf("rows: %+v, %v", res, err)
	}
	now := t0.Add(20 * 24 * time.Hour)
	want, err := raw.Analyze(ctx, "checkout", now)
	if err != nil {
		t.Fatal(err)
	}
	got, err := agg.Analyze(ctx, "checkout", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range want.Arms {
		if a.Variant.Key == "control" && (a.Totals.Exposures != 145_274 || a.Totals.Converters != 17_489 || a.Totals.RevenueSq == 0 || a.Totals.ConverterRevenue == 0) {
			t.Fatalf("raw control = %+v", a.Totals)
		}
	}
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	if string(w) != string(g) {
		t.Fatalf("from aggregates:\n%s\nfrom events:\n%s", g, w)
	}
}

// aggregateBackend is a workspace with the checkout experiment.
func aggregateBackend(t *testing.T) *Backend {
	t.Helper()
	b := kafkaBackend(t)
	_, err := b.AddExperiment(context.Background(), admin, core.Experiment{Key: "checkout", Variants: []core.Variant{{Key: "control", Weight: 1, Control: true}, {Key: "treatment", Weight: 1}},
		Metrics: []core.Metric{{Kind: core.MetricConversion, Role: core.MetricPrimary}, {Kind: core.MetricRevenue, Role: core.MetricGuardrail}, {Kind: core.MetricRevenuePerConverter, Role: core.MetricSecondary}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
