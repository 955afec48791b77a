package store

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that export → import into a fresh store → export gives identical
// bytes, and the imported store checks clean.
func TestStore_ExportImport_RoundTrip(t *testing.T) {
	s := mustOpenStore(t)
	seedAll(t, s)
	ctx := context.Background()
	var first bytes.Buffer
	if err := s.Export(ctx, &first); err != nil {
		t.Fatal(err)
	}
	fresh := mustOpenStoreAt(t, filepath.Join(t.TempDir(), "fresh.db"))
	n, err := fresh.Import(ctx, bytes.NewReader(first.Bytes()))
	if err != nil || n == 0 {
		t.Fatalf("import: %d, %v", n, err)
	}
	var second bytes.Buffer
	if err := fresh.Export(ctx, &second); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Fatalf("round trip differs:\n%s\n---\n%s", first.String(), second.String())
	}
	// A second import into the now non-empty store is refused.
	if _, err := fresh.Import(ctx, bytes.NewReader(first.Bytes())); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("import into a full store: %v", err)
	}
	// New writes continue the imported sequences and audit chain.
	if _, err := fresh.AddBrief(ctx, "ana", briefTitled("after import")); err != nil {
		t.Fatal(err)
	}
}

// Ensure that a bad line anywhere stops the import before anything is
// written, naming the line.
func TestStore_Import_ValidatesFirst(t *testing.T) {
	s := mustOpenStore(t)
	seedAll(t, s)
	ctx := context.Background()
	var exp bytes.Buffer
	if err := s.Export(ctx, &exp); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(exp.String()), "\n")
	tests := map[string]func([]string) []string{
		"not an export":  func(l []string) []string { return []string{`{"hello":1}`} },
		"unknown bucket": func(l []string) []string { return append(l, `{"bucket":"secrets","key":"YQ==","json":{}}`) },
		"invalid brief": func(l []string) []string {
			return append(l, `{"bucket":"briefs","key":"AAAAAAAAAAk=","json":{"id":9,"title":"","stage":"intake"}}`)
		},
		"edited audit":   func(l []string) []string { return tamperAudit(l) },
		"truncated line": func(l []string) []string { return append(l, `{"bucket":"briefs","key`) },
	}
	for name, edit := range tests {
		t.Run(name, func(t *testing.T) {
			input := strings.Join(edit(append([]string(nil), lines...)), "\n")
			fresh := mustOpenStoreAt(t, filepath.Join(t.TempDir(), "fresh.db"))
			if _, err := fresh.Import(ctx, strings.NewReader(input)); err == nil {
				t.Fatal("bad import accepted")
			}
			if audit, _ := fresh.Audit(ctx); len(audit) != 0 {
				t.Fatal("a failed import wrote records")
			}
		})
	}
}

func tamperAudit(lines []string) []string {
	for i, l := range lines {
		if strings.Contains(l, `"bucket":"audit"`) && strings.Contains(l, `"actor":"ana"`) {
			lines[i] = strings.Replace(l, `"actor":"ana"`, `"actor":"eve"`, 1)
			break
		}
	}
	return lines
}

// Ensure that Check catches a stage index out of step with the briefs.
func TestStore_Check_StageIndex(t *testing.T) {
	s := mustOpenStoreAt(t, filepath.Join(t.TempDir(), "idx.db"))
	ctx := context.Background()
	b, _ := s.AddBrief(ctx, "ana", briefTitled("x"))
	if err := s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketBriefStage).Delete(stageKey(uint8(b.Stage), b.ID)) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(ctx); err == nil || !strings.Contains(err.Error(), "missing from the stage index") {
		t.Fatalf("Check = %v", err)
	}
	// Put it back so the cleanup's check passes.
	_ = s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketBriefStage).Put(stageKey(uint8(b.Stage), b.ID), nil) })
}

func FuzzImport(f *testing.F) {
	f.Add([]byte(`{"format":"tandem-export","version":1,"schema":1}` + "\n" + `{"bucket":"briefs","sequence":1}` + "\n"))
	f.Add([]byte(`{"format":"tandem-export","version":1}` + "\n" + `{"bucket":"briefs","key":"AAAAAAAAAAE=","json":{"id":1,"title":"x","stage":"intake"}}`))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _, _ = readExport(bytes.NewReader(data)) // must not panic
	})
}

func briefTitled(title string) core.Brief { return core.Brief{Title: title} }
