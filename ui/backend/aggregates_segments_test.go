package backend

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that an experiment given as daily aggregates broken down by a
// segment reads, by that attribute, exactly as the same units given as raw
// events carrying it: each level's arms, rates, lifts and revenue, and
// the units that gave no value (under "(none)": the day's total less its
// segment rows), and that the attribute is offered for breakdowns.
func TestBreakdown_AggregatesSameAsEvents(t *testing.T) {
	const days, units = 5, 3000
	t0 := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	var events []core.Event
	rows := map[string]*core.AggregateRow{}
	row := func(day time.Time, variant, segment string) *core.AggregateRow {
		key := day.Format(time.DateOnly) + "/" + variant + "/" + segment
		if rows[key] == nil {
			rows[key] = &core.AggregateRow{Day: day.Format(time.DateOnly), Experiment: "checkout", Variant: variant, Segment: segment}
		}
		return rows[key]
	}
	for _, variant := range []string{"control", "treatment"} {
		for u := range units {
			day := t0.Add(time.Duration(u%days) * 24 * time.Hour)
			exposed := day.Add(time.Duration(u%3600) * time.Second)
			unit := fmt.Sprintf("%s-%d", variant, u)
			exposure := core.Event{TS: exposed, Experiment: "checkout", Variant: variant, Unit: unit, Type: core.EventExposure}
			segment := []string{"device=mobile", "device=desktop", "device=tablet", "device=mobile", ""}[u%5] // every fifth unit gives no device
			if segment != "" {
				exposure.Attrs = map[string]string{"device": segment[len("device="):]}
			}
			events = append(events, exposure)
			touched := []*core.AggregateRow{row(day, variant, "")}
			if segment != "" {
				touched = append(touched, row(day, variant, segment))
			}
			converts := u%(7+len(variant)%3) == 0 || (variant == "treatment" && u%11 == 0 && segment == "device=mobile")
			if converts {
				events = append(events, core.Event{TS: exposed.Add(time.Hour), Experiment: "checkout", Variant: variant, Unit: unit, Type: core.EventConversion})
			}
			pays := u%13 == 0
			v := float64(5 + u%40)
			if pays {
				events = append(events, core.Event{TS: exposed.Add(2 * time.Hour), Experiment: "checkout", Variant: variant, Unit: unit, Type: core.EventRevenue, Value: v})
			}
			for _, r := range touched {
				r.Units++
				if converts {
					r.ConvertingUnits++
				}
				if pays {
					r.Metric, r.Sum, r.SumSq = core.AggregateMetric, r.Sum+v, r.SumSq+v*v
					if converts {
						r.ConvertingSum += v
					}
				}
			}
		}
	}
	raw, agg := aggregateBackend(t), aggregateBackend(t)
	ctx := context.Background()
	if _, err := raw.Ingest(ctx, admin, events, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	var list []core.AggregateRow
	for _, r := range rows {
		list = append(list, *r)
	}
	if res, err := agg.IngestAggregates(ctx, admin, list); err != nil || len(res.Rejected) != 0 {
		t.Fatalf("rows: %+v, %v", res, err)
	}
	now := t0.Add(10 * 24 * time.Hour)
	want, err := raw.Breakdown(ctx, "checkout", "device", now)
	if err != nil {
		t.Fatal(err)
	}
	got, err := agg.Breakdown(ctx, "checkout", "device", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Levels) != 4 || want.Levels[0].Value != "mobile" || !slices.ContainsFunc(want.Levels, func(s core.Segment) bool { return s.Value == core.SegmentNone }) {
		t.Fatalf("raw levels = %+v", want.Levels)
	}
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	if string(w) != string(g) {
		t.Fatalf("from aggregates:\n%s\nfrom events:\n%s", g, w)
	}
	if keys, err := agg.AttrKeys(ctx, "checkout"); err != nil || !slices.Equal(keys, []string{"device"}) {
		t.Fatalf("attributes offered = %v, %v", keys, err)
	}
}
