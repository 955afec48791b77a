package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// withAttrs gives random events audiences: most units say theirs on every
// event, some only on a later one, some change their mind (the first
// value counts), and some never say.
func withAttrs(rng *rand.Rand, events []core.Event) []core.Event {
	out := make([]core.Event, len(events))
	for i, ev := range events {
		switch u := ev.Unit[len(ev.Unit)-1]; {
		case u < 'e': // never says
		case u < 'h' && rng.IntN(2) == 0: // says on some events only
		case u < 'k':
			ev.Attrs = map[string]string{"audience": []string{"smb", "ent"}[rng.IntN(2)], "country": "FR"}
		default:
			ev.Attrs = map[string]string{"audience": []string{"smb", "ent", "edu"}[int(u)%3]}
		}
		out[i] = ev
	}
	return out
}

// segmentsByDefinition is the reference: each unit's level is the first
// audience its events (in ingest order) give, and each level's units are
// counted from scratch by core.CountEvents.
func segmentsByDefinition(events []core.Event) map[string]map[string]core.VariantTotals {
	level := map[string]string{}
	for _, ev := range events {
		if _, ok := level[ev.Unit]; !ok && ev.Attrs["audience"] != "" {
			level[ev.Unit] = ev.Attrs["audience"]
		}
	}
	byLevel := map[string][]core.Event{}
	for _, ev := range events {
		l, ok := level[ev.Unit]
		if !ok {
			l = noAttr
		}
		byLevel[l] = append(byLevel[l], ev)
	}
	out := map[string]map[string]core.VariantTotals{}
	for l, evs := range byLevel {
		out[l] = core.CountEvents(evs, 0)
	}
	return out
}

// Ensure that the breakdown by an attribute counts each level's units by
// the definitions, as counting that level's events from scratch does, in
// the ingesting process and in one that rebuilds the index from the log
// (so the log keeps the attributes).
func TestStore_Segments(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "segments.db")
	s, err := Open(path, Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	mustAddSpringEmail(t, s)
	events := withAttrs(rand.New(rand.NewPCG(7, 7)), randomEvents(rand.New(rand.NewPCG(3, 3)), 600))
	for i := 0; i < len(events); i += 150 {
		if _, err := s.Ingest(ctx, "ingest", events[i:i+150], IngestOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	want := segmentsByDefinition(dedup(events))
	check := func(name string, s *Store) {
		got, err := s.Segments(ctx, "spring-email", "audience")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d levels, want %d", name, len(got), len(want))
		}
		for l, totals := range want {
			for v, w := range totals {
				g := got[l][v]
				g.First, g.Last, w.First, w.Last = time.Time{}, time.Time{}, time.Time{}, time.Time{}
				if !sameTotals(g, w) {
					t.Errorf("%s: %s/%s = %+v\nwant %+v", name, l, v, g, w)
				}
			}
		}
		if keys, _ := s.AttrKeys(ctx, "spring-email"); fmt.Sprint(keys) != "[audience country]" {
			t.Errorf("%s: attribute keys %v", name, keys)
		}
	}
	check("ingesting", s)
	mustCheckAndClose(t, s)
	check("reopened", mustOpenStoreAt(t, path))
	if len(want[noAttr]) == 0 || len(want["edu"]) == 0 {
		t.Fatalf("the events do not exercise every level: %v", want)
	}
}

// BenchmarkSegments measures a 20-level breakdown of a 1M-event
// experiment (500,000 units over 2 variants, each exposed, one in ten
// converting, with one of 20 audiences), from the index, and its analysis.
func BenchmarkSegments(b *testing.B) {
	ctx := context.Background()
	s := mustOpenStore(b)
	if _, err := s.AddExperiment(ctx, "ana", core.Experiment{Key: "big", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}); err != nil {
		b.Fatal(err)
	}
	const units = 500_000
	var batch []core.Event
	events := 0
	for i := range units {
		ev := core.Event{TS: fixedNow.Add(time.Duration(i) * time.Second), Experiment: "big", Variant: []string{"a", "b"}[i%2], Unit: fmt.Sprint("u", i), Type: core.EventExposure,
			Attrs: map[string]string{"audience": fmt.Sprint("aud-", i%20)}}
		batch = append(batch, ev)
		ev.Type, ev.Attrs = core.EventConversion, nil
		ev.TS = ev.TS.Add(time.Minute)
		if i%10 == 0 {
			batch = append(batch, ev)
		} else { // a second exposure: a million events in all
			ev.Type = core.EventExposure
			batch = append(batch, ev)
		}
		if len(batch) >= 50_000 || i == units-1 {
			if _, err := s.Ingest(ctx, "ingest", batch, IngestOptions{}); err != nil {
				b.Fatal(err)
			}
			events += len(batch)
			batch = batch[:0]
		}
	}
	e, _ := s.Experiment(ctx, "big")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		levels, err := s.Segments(ctx, "big", "audience")
		if err != nil {
			b.Fatal(err)
		}
		if bd := core.BreakDown(e, "audience", levels, fixedNow.AddDate(0, 0, 10), core.DefaultGuards()); len(bd.Levels) != 20 {
			b.Fatalf("%d levels", len(bd.Levels))
		}
	}
	b.ReportMetric(float64(events), "events")
}
