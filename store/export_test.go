package store

import (
	"bytes"
	"context"
	"encoding/base64"
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

// Ensure that an export from schema 3, which kept one JSON value per event
// and the unit flags, imports into the event log: its events are known.
func TestStore_Import_SchemaThree(t *testing.T) {
	ctx := context.Background()
	key := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	ev := event("a", "u1", core.EventExposure, 0)
	lines := []string{
		`{"format":"tandem-export","version":1,"schema":3}`,
		`{"bucket":"experiments","key":"` + key("spring-email") + `","json":{"key":"spring-email","name":"spring-email","variants":[{"key":"a","weight":1,"control":true},{"key":"b","weight":1}]}}`,
		`{"bucket":"variant_totals","key":"` + key("spring-email\x00a") + `","json":{"exposures":1,"converters":0,"conversions":0,"revenue":0,"revenue_sq":0}}`,
		`{"bucket":"events","key":"` + key("k1") + `","json":` + string(mustJSON(t, ev)) + `}`,
		`{"bucket":"units","key":"` + key("spring-email\x00a\x00u1") + `","bytes":"AQ=="}`,
	}
	s := mustOpenStoreAt(t, filepath.Join(t.TempDir(), "fresh.db"))
	if _, err := s.Import(ctx, strings.NewReader(strings.Join(lines, "\n"))); err != nil {
		t.Fatal(err)
	}
	res, err := s.Ingest(ctx, "ingest", []core.Event{ev, event("a", "u1", core.EventExposure, 1)}, IngestOptions{})
	if err != nil || res.Duplicates != 1 || res.Accepted != 1 {
		t.Fatalf("ingest after import = %+v, %v", res, err)
	}
	if totals, _ := s.Totals(ctx, "spring-email"); totals["a"].Exposures != 1 {
		t.Fatalf("the imported unit counted twice: %+v", totals["a"])
	}
}
