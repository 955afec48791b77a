package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Ensure that a schema 12 file, written when an event id was unique in the
// workspace, opens as schema 14 with its totals as they were, and that
// ingesting the source again stores the event the old rule dropped: the
// same order id in a second experiment.
func TestStore_Migrate_V14(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v12.db")
	s, err := Open(path, Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	mustAddSpringEmail(t, s)
	mustAddAutumnEmail(t, s)
	orders := orderInTwoExperiments()
	// The old rule stored both exposures and the first experiment's
	// order, and dropped the second's as a duplicate of it.
	if _, err := s.Ingest(ctx, "ingest", orders[:3], IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Totals(ctx, "spring-email")
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, itob(12)) })
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	s = mustOpenStoreAt(t, path)
	var version uint64
	_ = s.db.View(func(tx *bolt.Tx) error { version = readSchema(tx); return nil })
	if version != schemaVersion {
		t.Fatalf("schema %d after opening, want %d", version, schemaVersion)
	}
	if after, _ := s.Totals(ctx, "spring-email"); after["a"] != before["a"] {
		t.Fatalf("totals changed by the migration: %+v, were %+v", after["a"], before["a"])
	}
	res, err := s.Ingest(ctx, "ingest", orders, IngestOptions{})
	if err != nil || res.Accepted != 1 || res.Duplicates != 3 {
		t.Fatalf("ingesting the source again = %+v, %v; want the dropped order accepted", res, err)
	}
	autumn, _ := s.Totals(ctx, "autumn-email")
	if a := autumn["a"]; a.Exposures != 1 || a.Revenue != 30 || a.RevenueSq != 900 {
		t.Fatalf("autumn-email totals = %+v, want the order's revenue 30", autumn["a"])
	}
}
