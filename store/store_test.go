package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// fixedNow is the clock tests run on, so records compare exactly.
var fixedNow = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

// mustOpenStore opens a store on a fresh file in t.TempDir(). Before it
// closes, cleanup runs bbolt's consistency check and verifies the audit chain.
func mustOpenStore(tb testing.TB) *Store {
	tb.Helper()
	return mustOpenStoreAt(tb, filepath.Join(tb.TempDir(), "tandem.db"))
}

// mustOpenStoreAt opens the store at path with the same cleanup.
func mustOpenStoreAt(tb testing.TB, path string) *Store {
	tb.Helper()
	s, err := Open(path, Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { mustCheckAndClose(tb, s) })
	return s
}

func mustCheckAndClose(tb testing.TB, s *Store) {
	tb.Helper()
	ctx := context.Background()
	if err := s.Check(ctx); err != nil {
		tb.Error(err)
	}
	if err := s.VerifyAudit(ctx); err != nil {
		tb.Error(err)
	}
	if err := s.Close(); err != nil {
		tb.Error(err)
	}
}

// Ensure that a second Open of a held file fails quickly with a HeldError
// that names the holder's pid and the way out.
func TestOpen_Held(t *testing.T) {
	s := mustOpenStore(t)
	start := time.Now()
	_, err := Open(s.Path(), Options{Timeout: 200 * time.Millisecond})
	var held *HeldError
	if !errors.As(err, &held) {
		t.Fatalf("second open: %v, want *HeldError", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("second open took %v", elapsed)
	}
	if held.Holder.PID != os.Getpid() {
		t.Errorf("holder pid = %d, want %d", held.Holder.PID, os.Getpid())
	}
	for _, want := range []string{"in use by another tandem (pid", "tandem serve", "--db"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// Ensure that once the holder announces an SSH address, a second Open says
// the database is served and how to connect.
func TestOpen_HeldByServer(t *testing.T) {
	s := mustOpenStore(t)
	if err := s.Announce("127.0.0.1:2323"); err != nil {
		t.Fatal(err)
	}
	_, err := Open(s.Path(), Options{Timeout: 100 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "ssh -p 2323 127.0.0.1") {
		t.Fatalf("error %v does not say how to connect", err)
	}
}

// Ensure that opening a file that is not a bbolt database fails with
// ErrNotDatabase and leaves the file byte for byte as it was.
func TestOpen_NotDatabase(t *testing.T) {
	tests := map[string][]byte{
		"text":    []byte("these are my notes, not a database\n"),
		"garbage": bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 4096),
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "notes.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Open(path, Options{})
			if !errors.Is(err, ErrNotDatabase) {
				t.Fatalf("Open = %v, want ErrNotDatabase", err)
			}
			got, _ := os.ReadFile(path)
			if !bytes.Equal(got, content) {
				t.Fatal("the file was modified")
			}
		})
	}
}

// Ensure that a bbolt file with no buckets, as bbolt creates it before
// tandem's first migration, is opened as a new workspace at the current
// schema.
func TestOpen_BareFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bare.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := mustOpenStoreAt(t, path)
	var version uint64
	_ = s.db.View(func(tx *bolt.Tx) error { version = readSchema(tx); return nil })
	if version != schemaVersion {
		t.Fatalf("schema = %d, want %d", version, schemaVersion)
	}
	if _, err := s.AddBrief(context.Background(), "ana", core.Brief{Title: "New"}); err != nil {
		t.Fatal(err)
	}
}

// Ensure that a bbolt file another program wrote (buckets, but no tandem
// schema version) is refused, read-only or not, and left byte for byte as
// it was: it used to get tandem's buckets added. The file is written
// without a freelist, which bbolt would commit on an open for writing.
func TestOpen_Foreign(t *testing.T) {
	tests := map[string]func(tx *bolt.Tx) error{
		"settings bucket": func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket([]byte("settings"))
			if err != nil {
				return err
			}
			return b.Put([]byte("theme"), []byte("dark"))
		},
		"a briefs bucket": func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket(bucketBriefs)
			if err != nil {
				return err
			}
			return b.Put(itob(1), []byte(`{"id":1,"title":"not ours","stage":"review"}`))
		},
		"a meta bucket without a schema": func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket(bucketMeta)
			if err != nil {
				return err
			}
			return b.Put([]byte("owner"), []byte("someone else"))
		},
	}
	for name, fill := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "other.db")
			db, err := bolt.Open(path, 0o600, &bolt.Options{NoFreelistSync: true})
			if err != nil {
				t.Fatal(err)
			}
			err = db.Update(fill)
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(path)
			for _, readOnly := range []bool{false, true} {
				_, err := Open(path, Options{ReadOnly: readOnly})
				if !errors.Is(err, ErrForeign) || !errors.Is(err, ErrNotDatabase) || !strings.Contains(err.Error(), "is a bbolt database of another program; tandem opens only its own") {
					t.Fatalf("Open(read-only %v) = %v; want it refused as another program's", readOnly, err)
				}
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
				t.Fatal("the file was modified")
			}
		})
	}
}

// Ensure that a file from a newer tandem is refused rather than rewritten.
func TestOpen_NewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "future.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, itob(schemaVersion+1)) })
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open = %v, want ErrNewerSchema", err)
	}
}

// Ensure that a read-only store reads but refuses writes with a clear error.
func TestOpen_ReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tandem.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.AddBrief(ctx, "ana", core.Brief{Title: "Kept"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if briefs, err := ro.Briefs(ctx); err != nil || len(briefs) != 1 {
		t.Fatalf("read-only Briefs = %v, %v", briefs, err)
	}
	if _, err := ro.AddBrief(ctx, "ana", core.Brief{Title: "No"}); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("read-only write: %v", err)
	}
}

// Ensure that a backup written while the store is open opens as a store
// holding the same records.
func TestStore_BackupFile(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	seedAll(t, s)
	dst := filepath.Join(t.TempDir(), "backup.db")
	if _, err := s.BackupFile(ctx, dst); err != nil {
		t.Fatal(err)
	}
	copyStore, err := Open(dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer mustCheckAndClose(t, copyStore)
	for _, read := range []func(*Store) (any, error){
		func(s *Store) (any, error) { return s.Briefs(ctx) },
		func(s *Store) (any, error) { return s.People(ctx) },
		func(s *Store) (any, error) { return s.Experiments(ctx) },
		func(s *Store) (any, error) { return s.Audit(ctx) },
		func(s *Store) (any, error) { return s.Webhooks(ctx) },
		func(s *Store) (any, error) { return s.DeliveryLog(ctx, 0) },
		func(s *Store) (any, error) { return s.WebhookSecret(ctx, 1) }, // a backup is the file, secrets included
	} {
		want, err := read(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := read(copyStore)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("backup holds %+v, want %+v", got, want)
		}
	}
	if matches, _ := filepath.Glob(dst + ".partial-*"); len(matches) != 0 {
		t.Fatalf("partial files left behind: %v", matches)
	}
}
