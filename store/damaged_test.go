package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// mustOpenDamaged opens a seeded store, then writes corrupt straight into
// the file with bbolt, as damage from outside tandem would. Its cleanup
// closes without the consistency check, which must fail.
func mustOpenDamaged(t *testing.T, corrupt func(tx *bolt.Tx) error) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "damaged.db"), Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	seedAll(t, s)
	if err := s.db.Update(corrupt); err != nil {
		t.Fatal(err)
	}
	return s
}

func put(bucket, key, value []byte) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put(key, value) }
}

// Ensure that reads of a damaged database return ErrDamaged naming
// `tandem check`, and never panic: one `ssh viewer status` on a damaged
// file used to crash the server for every session.
func TestStore_Damaged_Reads(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		corrupt func(tx *bolt.Tx) error
		read    func(s *Store) error
	}{
		{"brief list", put(bucketBriefs, itob(1), []byte("{not json")), func(s *Store) error { _, err := s.Briefs(ctx); return err }},
		{"one brief", put(bucketBriefs, itob(1), []byte(`{"id":"x"}`)), func(s *Store) error { _, err := s.Brief(ctx, 1); return err }},
		{"stage index short key", put(bucketBriefStage, []byte{byte(core.StagePlanned)}, nil), func(s *Store) error {
			_, err := s.BriefsInStage(ctx, core.StagePlanned)
			return err
		}},
		{"stage index dangling", put(bucketBriefStage, stageKey(uint8(core.StagePlanned), 77), nil), func(s *Store) error {
			_, err := s.BriefsInStage(ctx, core.StagePlanned)
			return err
		}},
		{"experiment list", put(bucketExperiments, []byte("spring-email"), []byte("[1,")), func(s *Store) error { _, err := s.Experiments(ctx); return err }},
		{"totals", put(bucketTotals, totalsKey("spring-email", "b"), []byte("{")), func(s *Store) error { _, err := s.Totals(ctx, "spring-email"); return err }},
		{"series", put(bucketSeries, seriesKey("spring-email", "b", 1), []byte("nope")), func(s *Store) error { _, err := s.Series(ctx, "spring-email", "b"); return err }},
		{"audit", put(bucketAudit, itob(2), []byte("{")), func(s *Store) error { _, err := s.Audit(ctx); return err }},
		{"event block on ingest", put(bucketEventLog, itob(1), []byte{blockVersion, 200}), func(s *Store) error {
			s.events = nil // as after a restart: the log is read again
			_, err := s.Ingest(ctx, "ingest", []core.Event{event("a", "u9", core.EventExposure, 1)}, IngestOptions{})
			return err
		}},
		{"last audit entry on write", put(bucketAudit, itob(1<<40), []byte("}")), func(s *Store) error {
			_, err := s.AddBrief(ctx, "ana", briefTitled("after damage"))
			return err
		}},
		{"guideline", put(bucketGuidelines, itob(9), []byte("\x00")), func(s *Store) error { _, err := s.Guideline(ctx); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpenDamaged(t, tt.corrupt)
			err := tt.read(s)
			if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "tandem check") {
				t.Fatalf("read = %v; want ErrDamaged naming tandem check", err)
			}
			if err := s.Check(ctx); err == nil {
				t.Fatal("Check passes a damaged file")
			}
		})
	}
}

// Ensure that a panic while reading, from bbolt on a damaged page or a
// decoder that missed a bounds check, comes back as ErrDamaged instead of
// taking down the process.
func TestStore_Damaged_PanicContained(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var b []byte
		_ = b[:5] // slice bounds out of range
		return nil
	})
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "slice bounds out of range") {
		t.Fatalf("view = %v", err)
	}
	err = s.update(ctx, "ana", func(w *writeTx) error { panic("decoder bug") })
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("update = %v", err)
	}
	if _, err := s.AddBrief(ctx, "ana", briefTitled("still writable")); err != nil {
		t.Fatalf("a write after a contained panic: %v", err)
	}
}
