package store

import (
	"context"
	"errors"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that a stream's partition offsets are stored with the totals of
// the batch that read up to them, and that a batch starting anywhere but
// the stored offset (another consumer stored it first) is refused whole,
// before it costs the in-memory index.
func TestStore_Ingest_SourceOffsets(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddSpringEmail(t, s)
	batch := func(from, to int64, units ...string) (IngestResult, error) {
		var evs []core.Event
		for _, u := range units {
			evs = append(evs, event("a", u, core.EventExposure, 0))
		}
		src := &SourceBatch{Name: "kafka/g/events", Partitions: map[int32]OffsetRange{0: {from, to}}}
		return s.Ingest(ctx, "kafka", evs, IngestOptions{Source: src})
	}
	if _, err := batch(0, 2, "u1", "u2"); err != nil {
		t.Fatal(err)
	}
	if _, err := batch(0, 3, "u1", "u2", "u3"); !errors.Is(err, ErrSourceMoved) {
		t.Fatalf("replayed stretch: %v, want ErrSourceMoved", err)
	}
	if s.events == nil {
		t.Fatal("a refused batch dropped the event index: the next batch would replay the whole log")
	}
	if totals, _ := s.Totals(ctx, "spring-email"); totals["a"].Exposures != 2 {
		t.Fatalf("a refused batch counted: %+v", totals["a"])
	}
	if _, err := batch(2, 3, "u3"); err != nil {
		t.Fatal(err)
	}
	got, err := s.SourceOffsets(ctx, "kafka/g/events")
	if err != nil || len(got) != 1 || got[0] != 3 {
		t.Fatalf("offsets = %v, %v", got, err)
	}
	if other, err := s.SourceOffsets(ctx, "kafka/g/event"); err != nil || len(other) != 0 {
		t.Fatalf("another stream's offsets = %v, %v", other, err)
	}
}
