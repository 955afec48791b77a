package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that an experiment's daily units count each unit on the day of
// its first exposure, over the complete days of the learning window only,
// with warehouse days counted whole or by the sum of their segments.
func TestStore_DailyUnits(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddSpringEmail(t, s)
	now := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	from, _ := core.LearningDays(now)
	at := func(day int, hour int) time.Time { return from.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour) }
	events := []core.Event{
		{TS: at(-1, 23), Experiment: "spring-email", Variant: "a", Unit: "before", Type: core.EventExposure},
		{TS: at(0, 0), Experiment: "spring-email", Variant: "a", Unit: "u1", Type: core.EventExposure},
		{TS: at(0, 5), Experiment: "spring-email", Variant: "b", Unit: "u2", Type: core.EventExposure},
		{TS: at(3, 1), Experiment: "spring-email", Variant: "a", Unit: "u1", Type: core.EventExposure}, // seen
		{TS: at(3, 2), Experiment: "spring-email", Variant: "a", Unit: "u3", Type: core.EventExposure},
		{TS: at(28, 1), Experiment: "spring-email", Variant: "a", Unit: "today", Type: core.EventExposure},
	}
	if _, err := s.Ingest(ctx, "ingest", events, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	day := func(d int, segment string, units uint64) core.AggregateRow {
		return core.AggregateRow{Day: from.AddDate(0, 0, d).Format(time.DateOnly), Experiment: "spring-email", Variant: "b", Segment: segment, Units: units}
	}
	rows := []core.AggregateRow{day(5, "", 10), day(5, "mobile", 6), day(5, "desktop", 4), day(6, "mobile", 7), day(6, "desktop", 1)}
	if _, err := s.PutAggregates(ctx, "warehouse", rows); err != nil {
		t.Fatal(err)
	}
	got, err := s.DailyUnits(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	want := make(core.DailyUnits, core.LearningWindowDays)
	want[0], want[3], want[5], want[6] = 2, 1, 10, 8
	if !slices.Equal(got["spring-email"], want) {
		t.Fatalf("daily units = %v, want %v", got["spring-email"], want)
	}
}
