package store

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

func mustReadSince(tb testing.TB, s *Store, prev *core.Snapshot) core.Snapshot {
	tb.Helper()
	snap, err := s.ReadSince(context.Background(), prev)
	if err != nil {
		tb.Fatal(err)
	}
	return snap
}

// Ensure that ReadSince reads only the parts written since the snapshot
// before, decodes only the briefs that changed, and carries the write it
// was read at.
func TestStore_ReadSince_ChangedParts(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	if empty := mustReadSince(t, s, nil); empty.Seq != 0 || len(empty.Briefs) != 0 || empty.Change != (core.Change{}) {
		t.Fatalf("empty workspace read as %+v", empty)
	}
	if _, err := s.AddBriefs(ctx, "ana", benchBriefs(3)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddExperiment(ctx, "ana", core.Experiment{Key: "spring", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}); err != nil {
		t.Fatal(err)
	}
	first := mustReadSince(t, s, nil)
	if len(first.Briefs) != 3 || first.BriefsByID[2].Title != "Brief 1" || len(first.Experiments) != 1 {
		t.Fatalf("first = %d briefs, %d experiments", len(first.Briefs), len(first.Experiments))
	}
	if c := first.Change; c.Seq != first.Seq || c.Kind != core.KindExperiment || c.ID != "spring" || c.Actor != "ana" {
		t.Fatalf("change = %+v at seq %d", c, first.Seq)
	}

	if _, err := s.Ingest(ctx, "ana", []core.Event{{TS: fixedNow, Experiment: "spring", Variant: "b", Unit: "u1", Type: core.EventExposure}}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	second := mustReadSince(t, s, &first)
	if second.Totals["spring"]["b"].Exposures != 1 || first.Totals["spring"]["b"].Exposures != 0 {
		t.Fatalf("totals: second %+v, first %+v", second.Totals, first.Totals)
	}
	if &second.Briefs[0] != &first.Briefs[0] || second.Change.Kind != core.KindEvents {
		t.Fatalf("an event batch re-read the briefs, or carries change %+v", second.Change)
	}

	edited := second.Briefs[1]
	edited.Title = "Autumn email"
	if _, _, err := s.UpdateBrief(ctx, "bo", edited); err != nil {
		t.Fatal(err)
	}
	third := mustReadSince(t, s, &second)
	if third.BriefsByID[2].Title != "Autumn email" || second.BriefsByID[2].Title != "Brief 1" {
		t.Fatalf("after the edit: %q, before it: %q", third.BriefsByID[2].Title, second.BriefsByID[2].Title)
	}
	if s.briefCache.decoded != 1 {
		t.Fatalf("an edit of one brief decoded %d", s.briefCache.decoded)
	}
	if same := mustReadSince(t, s, &third); same.Seq != third.Seq || &same.Briefs[0] != &third.Briefs[0] {
		t.Fatal("a read with nothing written since read again")
	}

	// A read of every part whose briefs did not change (as after an
	// import, or with no snapshot before) hands out the same briefs and
	// index; a new brief makes new ones, leaving those handed out as
	// they were.
	all := mustReadSince(t, s, nil)
	if &all.Briefs[0] != &third.Briefs[0] || reflect.ValueOf(all.BriefsByID).UnsafePointer() != reflect.ValueOf(third.BriefsByID).UnsafePointer() {
		t.Fatal("a full read with no brief changed indexed the briefs again")
	}
	if _, err := s.AddBrief(ctx, "ana", core.Brief{Title: "Fourth"}); err != nil {
		t.Fatal(err)
	}
	if after := mustReadSince(t, s, nil); len(after.Briefs) != 4 || after.BriefsByID[4].Title != "Fourth" || len(all.BriefsByID) != 3 {
		t.Fatalf("after a new brief: %d briefs, %d indexed; before: %d indexed", len(after.Briefs), len(after.BriefsByID), len(all.BriefsByID))
	}
}

// Ensure that an event batch reads again only the totals of the
// experiments it counted into: the experiments and every other
// experiment's totals are the snapshot before's, and that snapshot's
// totals are left as they were. Warehouse aggregates count the same way.
func TestStore_ReadSince_EventBatchReadsItsExperiment(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	for _, key := range []string{"spring", "summer"} {
		if _, err := s.AddExperiment(ctx, "ana", core.Experiment{Key: key, Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}); err != nil {
			t.Fatal(err)
		}
	}
	before := mustReadSince(t, s, nil)
	if _, err := s.Ingest(ctx, "ana", []core.Event{{TS: fixedNow, Experiment: "spring", Variant: "b", Unit: "u1", Type: core.EventExposure}}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	after := mustReadSince(t, s, &before)
	if after.Totals["spring"]["b"].Exposures != 1 || before.Totals["spring"]["b"].Exposures != 0 {
		t.Fatalf("spring's totals: after %+v, before %+v", after.Totals["spring"], before.Totals["spring"])
	}
	if &after.Experiments[0] != &before.Experiments[0] {
		t.Fatal("an event batch read the experiments again")
	}
	if reflect.ValueOf(after.Totals["summer"]).UnsafePointer() != reflect.ValueOf(before.Totals["summer"]).UnsafePointer() {
		t.Fatal("an event batch on spring read summer's totals again")
	}

	row := core.AggregateRow{Day: "2026-11-02", Experiment: "summer", Variant: "a", Units: 5, ConvertingUnits: 1}
	if _, err := s.PutAggregates(ctx, "warehouse", []core.AggregateRow{row}); err != nil {
		t.Fatal(err)
	}
	aggregated := mustReadSince(t, s, &after)
	if aggregated.Totals["summer"]["a"].Exposures != 5 || after.Totals["summer"]["a"].Exposures != 0 {
		t.Fatalf("summer's totals: after the aggregate %+v, before %+v", aggregated.Totals["summer"], after.Totals["summer"])
	}
	if got := mustReadSince(t, s, nil); !reflect.DeepEqual(got.Totals, aggregated.Totals) {
		t.Fatalf("the targeted read %+v differs from a full read %+v", aggregated.Totals, got.Totals)
	}
}

// Ensure that an import, which touches everything, makes the next read
// read every part.
func TestStore_ReadSince_Import(t *testing.T) {
	src := mustOpenStore(t)
	ctx := context.Background()
	if _, err := src.AddBriefs(ctx, "ana", benchBriefs(2)); err != nil {
		t.Fatal(err)
	}
	var export bytes.Buffer
	if err := src.Export(ctx, &export); err != nil {
		t.Fatal(err)
	}
	dst := mustOpenStore(t)
	empty := mustReadSince(t, dst, nil)
	if _, err := dst.Import(ctx, &export); err != nil {
		t.Fatal(err)
	}
	if got := mustReadSince(t, dst, &empty); len(got.Briefs) != 2 {
		t.Fatalf("after the import: %d briefs", len(got.Briefs))
	}
}

// Ensure that a snapshot never mixes versions: read while briefs are being
// added one write at a time, it holds exactly the briefs written up to the
// sequence number it says it was read at.
func TestStore_ReadSince_OneVersion(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	const writes = 200
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range writes {
			if _, err := s.AddBrief(ctx, "ana", core.Brief{Title: "Spring email"}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var prev *core.Snapshot
	for {
		snap := mustReadSince(t, s, prev)
		if uint64(len(snap.Briefs)) != snap.Seq || len(snap.BriefsByID) != len(snap.Briefs) {
			t.Fatalf("read at seq %d with %d briefs", snap.Seq, len(snap.Briefs))
		}
		if snap.Seq == writes {
			break
		}
		if t.Failed() {
			return
		}
		prev = &snap
	}
	wg.Wait()
}

// BenchmarkStore_ReadSince10k measures reading a workspace of 10,000
// briefs: cold (nothing decoded yet, as right after opening) and warm (the
// briefs decoded by an earlier read are reused), and after one brief edit.
func BenchmarkStore_ReadSince10k(b *testing.B) {
	s := mustOpenStore(b)
	ctx := context.Background()
	if _, err := s.AddBriefs(ctx, "ana", benchBriefs(10_000)); err != nil {
		b.Fatal(err)
	}
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			s.briefCache = briefCache{}
			b.StartTimer()
			mustReadSince(b, s, nil)
		}
	})
	b.Run("warm", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mustReadSince(b, s, nil)
		}
	})
	b.Run("brief-edit", func(b *testing.B) {
		prev := mustReadSince(b, s, nil)
		b.ReportAllocs()
		edits := 0
		for b.Loop() {
			b.StopTimer()
			br := prev.Briefs[0]
			edits++
			br.Title = fmt.Sprint("Edited ", edits) // a title that grew each round would pass its limit
			if _, _, err := s.UpdateBrief(ctx, "ana", br); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			prev = mustReadSince(b, s, &prev)
		}
	})
}
