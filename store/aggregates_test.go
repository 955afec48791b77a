package store

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that aggregate rows add to their variant's totals beside its
// events, that a row replaces the same day's row of its variant and
// segment, and that rows of unknown variants are refused one by one.
func TestStore_PutAggregates(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddSpringEmail(t, s)
	if _, err := s.Ingest(ctx, "ingest", []core.Event{event("a", "u1", core.EventExposure, 0)}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	day := func(d string, segment string, units, converting uint64) core.AggregateRow {
		return core.AggregateRow{Day: d, Experiment: "spring-email", Variant: "a", Segment: segment, Units: units, ConvertingUnits: converting}
	}
	rows := []core.AggregateRow{day("2026-11-01", "mobile", 10, 2), day("2026-11-01", "desktop", 5, 1), day("2026-11-02", "mobile", 7, 0)}
	bad := day("2026-11-01", "", 1, 0)
	bad.Variant = "z"
	res, err := s.PutAggregates(ctx, "warehouse", append(rows, bad))
	if err != nil || res.Added != 3 || len(res.Rejected) != 1 || res.Rejected[0].Index != 3 {
		t.Fatalf("first = %+v, %v", res, err)
	}
	res, err = s.PutAggregates(ctx, "warehouse", []core.AggregateRow{day("2026-11-02", "mobile", 8, 1)})
	if err != nil || res.Replaced != 1 || res.Added != 0 {
		t.Fatalf("resend = %+v, %v", res, err)
	}
	totals, _ := s.Totals(ctx, "spring-email")
	if a := totals["a"]; a.Exposures != 1+10+5+8 || a.Converters != 2+1+1 {
		t.Fatalf("totals = %+v", a)
	}
	// An export carries the rows, checked, to another workspace.
	var export bytes.Buffer
	if err := s.Export(ctx, &export); err != nil {
		t.Fatal(err)
	}
	fresh := mustOpenStore(t)
	if _, err := fresh.Import(ctx, &export); err != nil {
		t.Fatal(err)
	}
	if got, _ := fresh.Totals(ctx, "spring-email"); got["a"] != totals["a"] {
		t.Fatalf("imported totals = %+v, want %+v", got["a"], totals["a"])
	}
}

// Ensure that a day's segment rows break down its row without a segment,
// rather than adding to it, whichever order a file lists them in, and that
// on a day without a total, rows of a second attribute are refused, one
// line each.
func TestStore_PutAggregates_SegmentsBreakDownTheTotal(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddSpringEmail(t, s)
	row := func(d, segment string, units, converting uint64) core.AggregateRow {
		return core.AggregateRow{Day: d, Experiment: "spring-email", Variant: "a", Segment: segment, Units: units, ConvertingUnits: converting}
	}
	rows := []core.AggregateRow{
		row("2026-11-01", "device=mobile", 60, 4), row("2026-11-01", "device=desktop", 40, 6), row("2026-11-01", "", 100, 10),
		row("2026-11-02", "device=mobile", 5, 1), row("2026-11-02", "device=desktop", 5, 0),
		row("2026-11-02", "country=fr", 10, 1), // a second attribute, and no total that day
	}
	res, err := s.PutAggregates(ctx, "warehouse", rows)
	if err != nil || res.Added != 5 || len(res.Rejected) != 1 || res.Rejected[0].Index != 5 {
		t.Fatalf("result = %+v, %v", res, err)
	}
	if reason := res.Rejected[0].Reason; !strings.Contains(reason, "spring-email/a on 2026-11-02: the day already has rows by device") {
		t.Fatalf("rejection = %q", reason)
	}
	totals, _ := s.Totals(ctx, "spring-email")
	if a := totals["a"]; a.Exposures != 100+10 || a.Converters != 10+1 {
		t.Fatalf("totals = %d units / %d converting, want 110 / 11", a.Exposures, a.Converters)
	}
}
