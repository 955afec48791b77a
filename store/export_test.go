package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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

// sealed joins export lines and appends the trailer they need, as an
// attacker who edits a file can: the checksum catches damage, not intent.
func sealed(lines []string) string {
	sum := &lineHash{h: sha256.New()}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	sum.Write([]byte(b.String()))
	t, _ := json.Marshal(sum.trailer())
	return b.String() + string(t) + "\n"
}

// exportLines exports s and returns its lines without the trailer.
func exportLines(t *testing.T, s *Store) []string {
	t.Helper()
	var exp bytes.Buffer
	if err := s.Export(context.Background(), &exp); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(exp.String()), "\n")
	return lines[:len(lines)-1]
}

// recordLine returns the index of the first record line of bucket.
func recordLine(t *testing.T, lines []string, bucket string) int {
	t.Helper()
	for i, l := range lines {
		if strings.Contains(l, `"bucket":"`+bucket+`"`) && strings.Contains(l, `"key"`) {
			return i
		}
	}
	t.Fatalf("no %s record in the export", bucket)
	return -1
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// Ensure that a bad line anywhere stops the import before anything is
// written, naming the line: each case is one an attacker tried, which
// used to import with rc 0 and leave a store `check` failed on.
func TestStore_Import_ValidatesFirst(t *testing.T) {
	s := mustOpenStore(t)
	seedAll(t, s)
	lines := exportLines(t, s)
	set := func(bucket string, edit func(l string) string) func([]string) ([]string, int) {
		return func(l []string) ([]string, int) {
			i := recordLine(t, l, bucket)
			l[i] = edit(l[i])
			return l, i + 1
		}
	}
	block := newBlockWriter()
	block.add(core.Event{ID: "\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLE\n", TS: fixedNow, Experiment: "spring-email", Variant: "b", Unit: "u1", Type: core.EventExposure})
	tests := []struct {
		name    string
		edit    func([]string) ([]string, int) // returns the lines and the line to blame
		problem string
	}{
		{"negative count", set("variant_totals", func(l string) string { return strings.Replace(l, `"exposures":1`, `"exposures":-1`, 1) }), "variant_totals record 737072696e672d656d61696c0062: exposures must be a whole number of 0 or more"},
		{"huge count", set("variant_totals", func(l string) string { return strings.Replace(l, `"exposures":1`, `"exposures":1e30`, 1) }), "exposures must be a whole number of 0 or more"},
		{"converters past exposures", set("variant_totals", func(l string) string {
			return strings.Replace(strings.Replace(l, `"converters":0`, `"converters":5`, 1), `"conversions":0`, `"conversions":5`, 1)
		}), "more converting units than exposed units"},
		{"totals unlike the events", set("variant_totals", func(l string) string { return strings.Replace(l, `"exposures":1`, `"exposures":2`, 1) }), "not what its events add up to"},
		{"infinite revenue", set("variant_totals", func(l string) string { return strings.Replace(l, `"revenue":0`, `"revenue":1e999`, 1) }), "revenue must be a number, in range"},
		{"damaged event block", set("event_log", func(l string) string { return `{"bucket":"event_log","key":"` + b64(itob(1)) + `","bytes":"AQU="}` }), "event block is corrupt"},
		{"event id with a key in it", set("event_log", func(l string) string {
			return `{"bucket":"event_log","key":"` + b64(itob(1)) + `","bytes":"` + b64(block.bytes()) + `"}`
		}), "event id: has a control character"},
		{"brief id 2^62", set("briefs", func(l string) string {
			return strings.Replace(strings.Replace(l, b64(itob(1)), b64(itob(1<<62)), 1), `"id":1,`, `"id":4611686018427387904,`, 1)
		}), "not a record id"},
		{"brief id not its key", set("briefs", func(l string) string { return strings.Replace(l, `"id":1,`, `"id":2,`, 1) }), "is not the id 1"},
		{"missing stage index entry", func(l []string) ([]string, int) {
			i := recordLine(t, l, "briefs_by_stage")
			return append(l[:i:i], l[i+1:]...), recordLine(t, l, "briefs") + 1
		}, "missing from the stage index"},
		{"duplicate key", func(l []string) ([]string, int) {
			i := recordLine(t, l, "briefs")
			return append(l[:i+1:i+1], l[i:]...), i + 2
		}, "repeats"},
		{"key not base64", set("people", func(l string) string { return strings.Replace(l, b64(itob(1)), "not a key!", 1) }), "not base64"},
		{"non-key experiment", set("experiments", func(l string) string {
			return strings.ReplaceAll(strings.Replace(l, b64([]byte("spring-email")), b64([]byte("Spring Email\n")), 1), `"key":"spring-email"`, `"key":"Spring Email\n"`)
		}), "experiment key: is not a key"},
		{"unknown field", set("people", func(l string) string { return strings.Replace(l, `{"id":1,`, `{"id":1,"admin":true,`, 1) }), `people record 1: unknown key "admin"`},
		{"user key smuggles a line", func(l []string) ([]string, int) {
			u := `{"bucket":"users","key":"` + b64([]byte("eve")) + `","json":{"name":"eve","role":"admin","keys":["ssh-ed25519 AAAA\nssh-ed25519 BBBB"],"added":"2026-11-02T09:30:00Z"}}`
			i := slices.Index(l, `{"bucket":"users","sequence":0}`) + 1
			return append(l[:i:i], append([]string{u}, l[i:]...)...), i + 1
		}, "keys[0]: has a line break"},
		{"sequence behind its records", func(l []string) ([]string, int) {
			for i, line := range l {
				if line == `{"bucket":"briefs","sequence":1}` {
					l[i] = `{"bucket":"briefs","sequence":0}`
					return l, i + 1
				}
			}
			t.Fatal("no briefs sequence")
			return nil, 0
		}, "would overwrite"},
		{"unknown bucket", func(l []string) ([]string, int) {
			return append(l, `{"bucket":"secrets","key":"YQ==","json":{}}`), len(l) + 1
		}, "bucket"},
		{"invalid brief", func(l []string) ([]string, int) {
			return append(l, `{"bucket":"briefs","key":"AAAAAAAAAAk=","json":{"id":9,"title":"","stage":"intake"}}`), len(l) + 1
		}, "title"},
		{"webhook URL with credentials", set("webhooks", func(l string) string {
			return strings.Replace(l, `"url":"https://hooks.example/in/token"`, `"url":"https://root:pw@hooks.example/in"`, 1)
		}), "holds credentials"},
		{"queued alert under another key", set("webhook_queue", func(l string) string { return strings.Replace(l, `"seq":1,`, `"seq":2,`, 1) }), "not the key"},
		{"webhook secret smuggled in", func(l []string) ([]string, int) {
			return append(l, `{"bucket":"webhook_secrets","key":"`+b64(itob(1))+`","bytes":"`+b64([]byte("attacker-chosen-secret"))+`"}`), len(l) + 1
		}, "bucket"},
		{"person named as another but for case", func(l []string) ([]string, int) {
			i := recordLine(t, l, "people")
			l[slices.Index(l, `{"bucket":"people","sequence":1}`)] = `{"bucket":"people","sequence":2}`
			dup := `{"bucket":"people","key":"` + b64(itob(2)) + `","json":{"id":2,"version":1,"name":"bo","lane":"freelance","weekly_hours":10}}`
			return append(l[:i+1:i+1], append([]string{dup}, l[i+1:]...)...), i + 2
		}, `already person 1's name, "Bo"`},
		{"review at a stage its flow lacks", set("reviews", func(l string) string { return strings.Replace(l, `"stage":0,`, `"stage":99,`, 1) }), "approval flow 1 has stages 0 to 0"},
		{"review of a flow not there", set("reviews", func(l string) string { return strings.Replace(l, `"flow_id":1,`, `"flow_id":99,`, 1) }), "approval flow 99, which is not there"},
		{"review of a brief not there", set("reviews", func(l string) string {
			return strings.Replace(strings.Replace(l, b64(itob(1)), b64(itob(9)), 1), `"brief_id":1,`, `"brief_id":9,`, 1)
		}), "brief 9, which is not there"},
		{"review in an unknown status", set("reviews", func(l string) string { return strings.Replace(l, `"status":"approved"`, `"status":"bogus"`, 1) }), `review status: is "bogus"`},
		{"review in round 0", set("reviews", func(l string) string { return strings.Replace(l, `"round":1,"stage"`, `"round":0,"stage"`, 1) }), "review round: is 0"},
		{"edited audit", func(l []string) ([]string, int) { return tamperAudit(l), 0 }, "audit trail does not verify"},
		{"truncated line", func(l []string) ([]string, int) { return append(l, `{"bucket":"briefs","key`), len(l) + 1 }, "not an export line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited, blame := tt.edit(append([]string(nil), lines...))
			mustRefuseImport(t, sealed(edited), blame, tt.problem)
		})
	}
}

// mustRefuseImport imports input into a fresh store and fails unless the
// import is refused with problem, naming line (when it is not 0), and
// writes nothing.
// mustImportBreakingARule imports input, which an earlier tandem could
// have written, and wants Check to name problem as a record breaking a
// write rule (RuleError): the import, and the workspace, stand.
func mustImportBreakingARule(t *testing.T, input, problem string) {
	t.Helper()
	ctx := context.Background()
	fresh, err := Open(filepath.Join(t.TempDir(), "fresh.db"), Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if _, err := fresh.Import(ctx, strings.NewReader(input)); err != nil {
		t.Fatalf("import: %v; want it to stand", err)
	}
	if err := fresh.Check(ctx); !IsRuleError(err) || !strings.Contains(err.Error(), problem) {
		t.Fatalf("check after the import: %v; want a record breaking a rule, %q", err, problem)
	}
}

func mustRefuseImport(t *testing.T, input string, line int, problem string) {
	t.Helper()
	ctx := context.Background()
	fresh := mustOpenStoreAt(t, filepath.Join(t.TempDir(), "fresh.db"))
	_, err := fresh.Import(ctx, strings.NewReader(input))
	var ie *ImportError
	switch {
	case err == nil:
		t.Fatal("bad import accepted")
	case !strings.Contains(err.Error(), problem):
		t.Fatalf("import: %v; want %q", err, problem)
	case strings.Contains(err.Error(), "json:") || strings.Contains(err.Error(), "struct field"):
		t.Fatalf("import: %v; names Go's decoder, not the export's keys", err)
	case line != 0 && (!errors.As(err, &ie) || ie.Line != line):
		t.Fatalf("import: %v; want it to name line %d", err, line)
	}
	if audit, _ := fresh.Audit(ctx); len(audit) != 0 {
		t.Fatal("a failed import wrote records")
	}
}

// Ensure that an export cut short anywhere, or altered after it was
// written, is refused naming the line, and that a version 1 export (which
// had no trailer) is refused saying why.
func TestStore_Import_Complete(t *testing.T) {
	s := mustOpenStore(t)
	seedAll(t, s)
	var exp bytes.Buffer
	if err := s.Export(context.Background(), &exp); err != nil {
		t.Fatal(err)
	}
	all := strings.SplitAfter(exp.String(), "\n")
	all = all[:len(all)-1] // the empty string after the last newline
	n := len(all)
	t.Run("no trailer", func(t *testing.T) {
		mustRefuseImport(t, strings.Join(all[:n-1], ""), n-1, "without the export trailer")
	})
	t.Run("cut mid-file", func(t *testing.T) {
		mustRefuseImport(t, strings.Join(all[:n/2], ""), n/2, "without the export trailer")
	})
	t.Run("cut mid-line", func(t *testing.T) {
		cut := strings.Join(all, "")
		mustRefuseImport(t, cut[:len(cut)-len(all[n-1])-10], n-1, "not an export line")
	})
	t.Run("line dropped", func(t *testing.T) {
		mustRefuseImport(t, strings.Join(append(all[:3:3], all[4:]...), ""), n-1, "lines were added or removed")
	})
	t.Run("line altered", func(t *testing.T) {
		i := recordLine(t, all, "people")
		edited := append([]string(nil), all...)
		edited[i] = strings.Replace(edited[i], `"Bo"`, `"Eve"`, 1)
		mustRefuseImport(t, strings.Join(edited, ""), n, "checksum")
	})
	t.Run("line after the trailer", func(t *testing.T) {
		mustRefuseImport(t, exp.String()+all[2], n+1, "after the trailer")
	})
	t.Run("version 1", func(t *testing.T) {
		v1 := strings.Replace(strings.Join(all[:n-1], ""), `"version":2`, `"version":1`, 1)
		mustRefuseImport(t, v1, 1, "version 1 has no trailer")
	})
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

// FuzzImport checks that any input either is refused or imports into a
// store that passes Check and whose audit trail verifies: whatever
// imports, checks. The seeds are the attackers' files.
func FuzzImport(f *testing.F) {
	f.Add([]byte(sealed([]string{`{"format":"tandem-export","version":2,"schema":5}`, `{"bucket":"briefs","sequence":1}`})))
	f.Add([]byte(sealed([]string{`{"format":"tandem-export","version":2,"schema":5}`, `{"bucket":"briefs","key":"AAAAAAAAAAE=","json":{"id":1,"title":"x","stage":"intake"}}`})))
	f.Add([]byte(sealed([]string{`{"format":"tandem-export","version":2,"schema":5}`, `{"bucket":"briefs","sequence":1}`,
		`{"bucket":"briefs","key":"AAAAAAAAAAE=","json":{"id":1,"title":"x","stage":"intake"}}`, `{"bucket":"briefs_by_stage","key":"AAAAAAAAAAAB","bytes":""}`})))
	f.Add([]byte(sealed([]string{`{"format":"tandem-export","version":2,"schema":5}`, `{"bucket":"experiments","key":"ZQ==","json":{"key":"e","name":"","variants":[{"key":"a","weight":1}]}}`,
		`{"bucket":"variant_totals","key":"ZQBh","json":{"exposures":-1,"converters":5,"conversions":5,"revenue":1e30,"revenue_sq":0}}`})))
	f.Add([]byte(sealed([]string{`{"format":"tandem-export","version":2,"schema":5}`, `{"bucket":"event_log","sequence":1}`, `{"bucket":"event_log","key":"AAAAAAAAAAE=","bytes":"AQU="}`})))
	f.Add([]byte(sealed([]string{`{"format":"tandem-export","version":2,"schema":5}`, `{"bucket":"briefs","key":"QAAAAAAAAAA=","json":{"id":4611686018427387904,"title":"x","stage":0}}`})))
	f.Add([]byte(sealed([]string{`{"format":"tandem-export","version":2,"schema":5}`, `{"bucket":"users","key":"ZXZl","json":{"name":"eve","role":"admin","keys":["k\nk"],"added":"2026-11-02T09:30:00Z"}}`})))
	f.Add([]byte(`{"format":"tandem-export","version":1}` + "\n" + `{"bucket":"briefs","key":"AAAAAAAAAAE=","json":{"id":1,"title":"x","stage":"intake"}}`))
	f.Add([]byte("garbage"))
	dir := f.TempDir()
	n := 0
	f.Fuzz(func(t *testing.T, data []byte) {
		// As given, and resealed: most mutations break the checksum, and
		// resealing lets them reach the record checks behind it.
		body := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		if last := body[len(body)-1]; strings.HasPrefix(last, `{"end":`) {
			body = body[:len(body)-1]
		}
		for _, input := range []string{string(data), sealed(body)} {
			if _, _, err := readExport(strings.NewReader(input)); err != nil {
				continue // refused before a store is opened
			}
			n++
			mustImportChecked(t, filepath.Join(dir, fmt.Sprintf("fuzz-%d.db", n)), input)
		}
	})
}

// mustImportChecked imports input into a new store at path and, if it is
// accepted, fails unless the store checks clean and reads back.
func mustImportChecked(t *testing.T, path, input string) {
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Import(ctx, strings.NewReader(input)); err != nil {
		return
	}
	if err := s.Check(ctx); err != nil {
		t.Fatalf("imported, then Check: %v", err)
	}
	if err := s.VerifyAudit(ctx); err != nil {
		t.Fatalf("imported, then the audit trail: %v", err)
	}
	if _, err := s.Briefs(ctx); err != nil {
		t.Fatalf("imported, then list briefs: %v", err)
	}
	if _, err := s.Experiments(ctx); err != nil {
		t.Fatalf("imported, then list experiments: %v", err)
	}
}

func briefTitled(title string) core.Brief { return core.Brief{Title: title} }

// Ensure that an export from schema 3, which kept one JSON value per event
// and the unit flags, imports into the event log: its events are known.
func TestStore_Import_SchemaThree(t *testing.T) {
	ctx := context.Background()
	key := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	ev := event("a", "u1", core.EventExposure, 0)
	lines := []string{
		`{"format":"tandem-export","version":2,"schema":3}`,
		`{"bucket":"experiments","key":"` + key("spring-email") + `","json":{"key":"spring-email","name":"spring-email","variants":[{"key":"a","weight":1,"control":true},{"key":"b","weight":1}]}}`,
		`{"bucket":"variant_totals","key":"` + key("spring-email\x00a") + `","json":{"exposures":1,"converters":0,"conversions":0,"revenue":0,"revenue_sq":0}}`,
		`{"bucket":"events","key":"` + key("k1") + `","json":` + string(mustJSON(t, ev)) + `}`,
		`{"bucket":"units","key":"` + key("spring-email\x00a\x00u1") + `","bytes":"AQ=="}`,
	}
	s := mustOpenStoreAt(t, filepath.Join(t.TempDir(), "fresh.db"))
	if _, err := s.Import(ctx, strings.NewReader(sealed(lines))); err != nil {
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
