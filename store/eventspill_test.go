package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// spillStream is events over units that exercise every part of a unit's
// state: attributes, conversions and revenue (some with ids), a unit
// exposed to both variants, conversions that arrive before their exposure
// (a backfill), and exposures repeated on later days.
func spillStream(units, days int) []core.Event {
	var out []core.Event
	for day := range days {
		for u := range units {
			ts := fixedNow.Add(time.Duration(day)*24*time.Hour + time.Duration(u)*time.Second)
			ev := core.Event{TS: ts, Experiment: "spring-email", Variant: []string{"a", "b"}[u%2], Unit: fmt.Sprintf("unit-%d", u), Type: core.EventExposure}
			switch {
			case day == 0 && u%7 == 3:
				ev.Type = core.EventConversion // before the unit's exposure, the next day
				continue
			case day == 0:
				ev.Attrs = map[string]string{"device": []string{"mobile", "desktop", "tablet"}[u%3]}
			case day == 1 && u%7 == 3:
				ev.TS = ev.TS.Add(-48 * time.Hour) // the backfilled exposure
			case day == 2 && u%4 == 0:
				ev.Type = core.EventConversion
			case day == 3 && u%5 == 0:
				ev.Type, ev.Value = core.EventRevenue, float64(1+u%60)
				if u%10 == 0 {
					ev.ID = fmt.Sprintf("order-%d", u)
				}
			case day == 3 && u%50 == 1:
				ev.Variant = []string{"b", "a"}[u%2] // cross-exposed
			}
			out = append(out, ev)
		}
	}
	return out
}

// Ensure that an event index over its memory budget spills units to its
// scratch file and reads them back as their events arrive, counting
// exactly as one without a budget: the same totals, duplicates, segments
// and capped revenue, with the index's memory held near its budget, and
// that the scratch file is removed when the store closes.
func TestStore_Ingest_Spill(t *testing.T) {
	ctx := context.Background()
	events := spillStream(4000, 5)
	const budget = 160 << 10
	dir := t.TempDir()
	open := func(name string, maxIndex int) *Store {
		s, err := Open(filepath.Join(dir, name), Options{Now: func() time.Time { return fixedNow }, NoSync: true, MaxIndexBytes: maxIndex})
		if err != nil {
			t.Fatal(err)
		}
		mustAddSpringEmail(t, s)
		return s
	}
	plain, spilled := open("plain.db", 0), open("spilled.db", budget)
	defer plain.Close()
	peak := 0
	for i := 0; i < len(events); i += 1000 {
		batch := events[i:min(i+1000, len(events))]
		want, err := plain.Ingest(ctx, "ingest", batch, IngestOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := spilled.Ingest(ctx, "ingest", batch, IngestOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Accepted != want.Accepted || got.Duplicates != want.Duplicates {
			t.Fatalf("batch at %d: %+v with a spill, %+v without", i, got, want)
		}
		peak = max(peak, spilled.events.liveBytes())
	}
	sp := spilled.events.spill
	t.Logf("without a budget %d bytes; with one, %d at the peak, %d units spilled, %d read back", plain.events.liveBytes(), peak, sp.spilled, sp.reloaded)
	if sp.spilled == 0 || sp.reloaded == 0 {
		t.Fatalf("spilled %d units and read back %d; the budget should have made it do both", sp.spilled, sp.reloaded)
	}
	if peak > budget+budget/4 {
		t.Fatalf("the index held %d bytes at its peak, over its budget of %d", peak, budget)
	}
	if again, err := spilled.Ingest(ctx, "ingest", events, IngestOptions{}); err != nil || again.Accepted != 0 {
		t.Fatalf("ingesting it all again = %+v, %v; want only duplicates", again, err)
	}
	want, _ := plain.Totals(ctx, "spring-email")
	got, _ := spilled.Totals(ctx, "spring-email")
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("totals with a spill %+v\nwithout %+v", got, want)
	}
	wantSeg, _ := plain.Segments(ctx, "spring-email", "device")
	gotSeg, err := spilled.Segments(ctx, "spring-email", "device")
	if err != nil || !reflect.DeepEqual(gotSeg, wantSeg) || len(gotSeg) != 4 {
		t.Fatalf("segments with a spill %+v, %v\nwithout %+v", gotSeg, err, wantSeg)
	}
	wantCap, wantLimit, _ := plain.CappedTotals(ctx, "spring-email", 90)
	gotCap, gotLimit, err := spilled.CappedTotals(ctx, "spring-email", 90)
	if err != nil || !reflect.DeepEqual(gotCap, wantCap) || gotLimit != wantLimit {
		t.Fatalf("capped totals with a spill %+v (cap %g), %v\nwithout %+v (cap %g)", gotCap, gotLimit, err, wantCap, wantLimit)
	}
	if err := spilled.Check(ctx); err != nil {
		t.Fatal(err)
	}
	scratch := sp.db.Path()
	if err := spilled.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(scratch); !os.IsNotExist(err) {
		t.Fatalf("the spill file is left after close: %v", err)
	}
}

// Ensure that the spill file a holder left when it died is removed when
// the workspace is next opened for writing, and no other file is.
func TestStore_Open_RemovesStaleSpills(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.db")
	stale, other := path+".spill-123", filepath.Join(dir, "notes.spill-1")
	for _, f := range []string{stale, other} {
		if err := os.WriteFile(f, []byte("left behind"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	mustOpenStoreAt(t, path)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale spill file is still there: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another workspace's file went: %v", err)
	}
}
