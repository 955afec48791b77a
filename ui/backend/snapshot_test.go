package backend

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

var snapNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func openBackend(tb testing.TB) (*Backend, *store.Store) {
	tb.Helper()
	st, err := store.Open(filepath.Join(tb.TempDir(), "snap.db"), store.Options{Now: func() time.Time { return snapNow }, NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return New(st), st
}

func mustSnapshot(tb testing.TB, b *Backend) core.Snapshot {
	tb.Helper()
	s, err := b.Snapshot(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func sameSlice[T any](a, b []T) bool { return len(a) > 0 && len(b) > 0 && &a[0] == &b[0] }

// Ensure that a snapshot re-reads only what was written since the last
// one, and that an import makes the next one read everything.
func TestSnapshot_ReadsWhatChanged(t *testing.T) {
	b, _ := openBackend(t)
	ctx := context.Background()
	if _, err := b.AddBrief(ctx, admin, core.Brief{Title: "Spring email"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddExperiment(ctx, admin, core.Experiment{Key: "spring", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}); err != nil {
		t.Fatal(err)
	}
	first := mustSnapshot(t, b)

	if _, err := b.Ingest(ctx, admin, []core.Event{{TS: snapNow, Experiment: "spring", Variant: "b", Unit: "u1", Type: core.EventExposure}}, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	second := mustSnapshot(t, b)
	if second.Totals["spring"]["b"].Exposures != 1 || second.Seq == first.Seq {
		t.Fatalf("events not in the next snapshot: %+v", second.Totals)
	}
	if !sameSlice(first.Briefs, second.Briefs) || first.Totals["spring"]["b"].Exposures != 0 {
		t.Fatal("an event batch re-read the briefs, or changed the snapshot before it")
	}

	if _, err := b.AddBrief(ctx, admin, core.Brief{Title: "Autumn email"}); err != nil {
		t.Fatal(err)
	}
	third := mustSnapshot(t, b)
	if len(third.Briefs) != 2 || third.BriefsByID[2].Title != "Autumn email" {
		t.Fatalf("briefs = %+v", third.Briefs)
	}
	if c := third.Change; c.Seq != third.Seq || c.Kind != core.KindBrief || c.ID != "2" || c.Action != "brief.add" || c.Actor != admin.Name {
		t.Fatalf("the snapshot carries change %+v, not the write that made it", c)
	}
	if reflect.ValueOf(third.Totals).UnsafePointer() != reflect.ValueOf(second.Totals).UnsafePointer() {
		t.Fatal("a new brief re-read the experiments")
	}

	// An import into a workspace whose empty snapshot is cached.
	var export bytes.Buffer
	if err := b.Export(ctx, admin, &export); err != nil {
		t.Fatal(err)
	}
	fresh, st := openBackend(t)
	if empty := mustSnapshot(t, fresh); len(empty.Briefs) != 0 {
		t.Fatal("not empty")
	}
	if _, err := st.Import(ctx, &export); err != nil {
		t.Fatal(err)
	}
	if imported := mustSnapshot(t, fresh); len(imported.Briefs) != 2 || imported.Totals["spring"]["b"].Exposures != 1 {
		t.Fatalf("after import: %d briefs, totals %+v", len(imported.Briefs), imported.Totals)
	}
}

// BenchmarkSnapshot_AfterIngest measures the snapshot after an event batch
// in a workspace of 10,000 briefs, what every session waits for while
// events stream in, beside reading the whole workspace as before.
func BenchmarkSnapshot_AfterIngest(b *testing.B) {
	be, st := openBackend(b)
	ctx := context.Background()
	briefs := make([]core.Brief, 10_000)
	for i := range briefs {
		briefs[i] = core.Brief{Title: fmt.Sprintf("Brief %d", i), Objective: "Grow trial sign-ups from the spring campaign"}
	}
	if _, err := st.AddBriefs(ctx, "bench", briefs); err != nil {
		b.Fatal(err)
	}
	if _, err := be.AddExperiment(ctx, admin, core.Experiment{Key: "spring", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}); err != nil {
		b.Fatal(err)
	}
	mustSnapshot(b, be)
	i := 0
	ingest := func() {
		i++
		ev := core.Event{TS: snapNow.Add(time.Duration(i) * time.Second), Experiment: "spring", Variant: "a", Unit: fmt.Sprint(i), Type: core.EventExposure}
		if _, err := be.Ingest(ctx, admin, []core.Event{ev}, store.IngestOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("event-batch", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			ingest()
			b.StartTimer()
			mustSnapshot(b, be)
		}
	})
	b.Run("brief-edit", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if _, err := be.AddBrief(ctx, admin, core.Brief{Title: "One more"}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			mustSnapshot(b, be)
		}
	})
	b.Run("everything", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.ReadSince(ctx, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
