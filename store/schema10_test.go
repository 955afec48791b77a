package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that opening a schema 9 file, which has no templates bucket,
// creates it, and templates can be added at once.
func TestStore_Migrate_V10(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v9.db")
	s, err := Open(path, Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddBrief(ctx, "ana", core.Brief{Title: "Before templates"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketTemplates); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, itob(9))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s = mustOpenStoreAt(t, path)
	if _, err := s.AddTemplate(ctx, "ana", briefTemplate("Spring email")); err != nil {
		t.Fatalf("add a template after the migration: %v", err)
	}
	if b, err := s.Brief(ctx, 1); err != nil || b.Template != "" {
		t.Fatalf("the old brief = %+v, %v", b, err)
	}
}
