package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
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

// Ensure that a workspace's stored offsets travel in its export, so a
// consumer of the imported workspace resumes where the old one stopped,
// and that an offset line that is not one is refused naming the line.
func TestStore_ExportImport_SourceOffsets(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddSpringEmail(t, s)
	src := &SourceBatch{Name: "kafka/g/events", Partitions: map[int32]OffsetRange{0: {0, 2}, 3: {7, 9}}}
	if _, err := s.Ingest(ctx, "kafka", []core.Event{event("a", "u1", core.EventExposure, 0)}, IngestOptions{Source: src}); err != nil {
		t.Fatal(err)
	}
	lines := exportLines(t, s)
	fresh := mustOpenStoreAt(t, filepath.Join(t.TempDir(), "fresh.db"))
	if _, err := fresh.Import(ctx, strings.NewReader(sealed(lines))); err != nil {
		t.Fatal(err)
	}
	got, err := fresh.SourceOffsets(ctx, "kafka/g/events")
	if err != nil || len(got) != 2 || got[0] != 2 || got[3] != 9 {
		t.Fatalf("imported offsets = %v, %v; want partition 0 at 2 and 3 at 9", got, err)
	}
	i := recordLine(t, lines, "source_offsets")
	for name, line := range map[string]string{
		"negative offset":    `{"bucket":"source_offsets","key":"` + b64(sourceKey("kafka/g/events", 0)) + `","bytes":"` + b64(itob(1<<63)) + `"}`,
		"short offset":       `{"bucket":"source_offsets","key":"` + b64(sourceKey("kafka/g/events", 0)) + `","bytes":"AQI="}`,
		"escape in the name": `{"bucket":"source_offsets","key":"` + b64(sourceKey("kafka/\x1b[2J/events", 0)) + `","bytes":"` + b64(itob(2)) + `"}`,
		"no partition":       `{"bucket":"source_offsets","key":"` + b64([]byte("kafka/g/events")) + `","bytes":"` + b64(itob(2)) + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			edited := append([]string(nil), lines...)
			edited[i] = line
			mustRefuseImport(t, sealed(edited), i+1, "source offset")
		})
	}
}
