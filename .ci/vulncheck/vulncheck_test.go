package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stream is govulncheck JSON output with one reachable x/crypto finding, one
// reachable standard-library finding and one imported but not called.
const stream = `{"config":{"scanner_version":"v1.9.0","db":"file:///db","go_version":"go1.26.8","scan_level":"symbol"}}
{"osv":{"id":"GO-2026-5013","summary":"panic in golang.org/x/crypto/ssh"}}
{"osv":{"id":"GO-2026-6603","summary":"HTTP/2 server memory exhaustion"}}
{"finding":{"osv":"GO-2026-5013","fixed_version":"v0.52.0","trace":[
 {"module":"golang.org/x/crypto","version":"v0.43.0","package":"golang.org/x/crypto/ssh","function":"NewServerConn"},
 {"module":"github.com/tandem-ops/tandem","package":"github.com/tandem-ops/tandem/ui/ssh","function":"ListenAndServe","receiver":"*Server","position":{"filename":"ui/ssh/server.go","line":97,"column":14}}]}}
{"finding":{"osv":"GO-2026-6603","fixed_version":"v1.26.9","trace":[
 {"module":"stdlib","version":"v1.26.8","package":"net/http","function":"Do","receiver":"*Client"},
 {"module":"github.com/tandem-ops/tandem","package":"github.com/tandem-ops/tandem/models","function":"Pull","receiver":"*Client","position":{"filename":"models/client.go","line":159,"column":19}}]}}
{"finding":{"osv":"GO-2025-9999","trace":[{"module":"example.com/m","version":"v1.0.0","package":"example.com/m/p"}]}}
`

func writeList(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "vuln-exceptions")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runCheck(t *testing.T, list string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run([]string{"check", "-exceptions", writeList(t, list)}, strings.NewReader(stream), &out, &errOut)
	return code, out.String(), errOut.String()
}

// Ensure that a reachable finding missing from the list fails the check with
// its advisory, module, fixed version, call path and what to do.
func TestCheck_Unlisted(t *testing.T) {
	code, out, errOut := runCheck(t, "GO-2026-6603 stdlib server side; not exposed\n")
	if code != exitFindings {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitFindings, errOut)
	}
	for _, want := range []string{
		"FAIL GO-2026-5013: panic in golang.org/x/crypto/ssh",
		"found in:  golang.org/x/crypto@v0.43.0",
		"fixed in:  golang.org/x/crypto@v0.52.0",
		"ui/ssh/server.go:97:14: ui/ssh.Server.ListenAndServe → golang.org/x/crypto/ssh.NewServerConn",
		"go get golang.org/x/crypto@v0.52.0 && go mod tidy",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "FAIL GO-2026-6603") || strings.Contains(errOut, "GO-2025-9999") {
		t.Errorf("stderr fails a listed or an uncalled advisory:\n%s", errOut)
	}
	if !strings.Contains(out, "accepted GO-2026-6603 in stdlib, fixed in go1.26.9") {
		t.Errorf("stdout does not show the accepted advisory:\n%s", out)
	}
}

// Ensure that a standard-library finding asks for an exception line, since
// tandem stays on its Go version.
func TestCheck_UnlistedStdlib(t *testing.T) {
	_, _, errOut := runCheck(t, "GO-2026-5013 golang.org/x/crypto test\n")
	if !strings.Contains(errOut, "GO-2026-6603 stdlib <which tandem function reaches it") {
		t.Errorf("stderr does not say how to list it:\n%s", errOut)
	}
}

// Ensure that a full list passes and that an exception with no finding is
// reported as stale without failing.
func TestCheck_AllListedAndStale(t *testing.T) {
	code, out, errOut := runCheck(t, "# comment\n\nGO-2026-5013 golang.org/x/crypto test\nGO-2026-6603 stdlib test\nGO-2024-0001 stdlib gone\n")
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "stale exception GO-2024-0001") {
		t.Errorf("stdout does not report the stale exception:\n%s", out)
	}
}

// Ensure that an exception for another module does not hide a finding.
func TestCheck_WrongModule(t *testing.T) {
	code, _, errOut := runCheck(t, "GO-2026-5013 golang.org/x/net test\nGO-2026-6603 stdlib test\n")
	if code != exitFindings || !strings.Contains(errOut, "lists GO-2026-5013 for module golang.org/x/net") {
		t.Errorf("exit %d; stderr:\n%s", code, errOut)
	}
}

// Ensure that malformed lists and input are errors, not silent passes.
func TestCheck_BadInput(t *testing.T) {
	for name, list := range map[string]string{
		"no reason": "GO-2026-5013 golang.org/x/crypto\n",
		"bad id":    "CVE-2026-1 stdlib reason\n",
		"twice":     "GO-2026-5013 stdlib a\nGO-2026-5013 stdlib b\n",
	} {
		t.Run(name, func(t *testing.T) {
			if code, _, _ := runCheck(t, list); code != exitFailure {
				t.Errorf("exit %d, want %d", code, exitFailure)
			}
		})
	}
	var out, errOut bytes.Buffer
	code := run([]string{"check", "-exceptions", writeList(t, "")}, strings.NewReader(`{"progress":{}}`), &out, &errOut)
	if code != exitFailure {
		t.Errorf("input without config: exit %d, want %d", code, exitFailure)
	}
}

// Ensure that builddb writes the layout govulncheck reads, listing an entry
// once per module even when it has several ranges for that module.
func TestBuildDB(t *testing.T) {
	osvDir := t.TempDir()
	entries := map[string]string{
		"GO-2026-0001": `{"id":"GO-2026-0001","modified":"2026-01-02T00:00:00Z","aliases":["CVE-1"],"affected":[{"package":{"name":"stdlib"}},{"package":{"name":"stdlib"}},{"package":{"name":"golang.org/x/net"}}]}`,
		"GO-2026-0002": `{"id":"GO-2026-0002","modified":"2026-03-04T00:00:00Z","affected":[{"package":{"name":"golang.org/x/net"}}]}`,
	}
	for id, e := range entries {
		if err := os.WriteFile(filepath.Join(osvDir, id+".json"), []byte(e), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "db")
	if n, err := buildDB(osvDir, out); err != nil || n != 2 {
		t.Fatalf("buildDB = %d, %v", n, err)
	}
	var modules []moduleMeta
	readJSON(t, filepath.Join(out, "index", "modules.json"), &modules)
	got := map[string][]string{}
	for _, m := range modules {
		for _, v := range m.Vulns {
			got[m.Path] = append(got[m.Path], v.ID)
		}
	}
	if strings.Join(got["stdlib"], ",") != "GO-2026-0001" || strings.Join(got["golang.org/x/net"], ",") != "GO-2026-0001,GO-2026-0002" {
		t.Errorf("modules.json = %v", got)
	}
	var db dbMeta
	readJSON(t, filepath.Join(out, "index", "db.json"), &db)
	if db.Modified.Format("2006-01-02") != "2026-03-04" {
		t.Errorf("db.json modified = %v, want the newest entry's", db.Modified)
	}
	if _, err := os.Stat(filepath.Join(out, "ID", "GO-2026-0002.json")); err != nil {
		t.Error(err)
	}
	if _, err := buildDB(osvDir, out); err == nil {
		t.Error("building over an existing database succeeded")
	}

	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "GO-2026-0003.json"), []byte(entries["GO-2026-0001"]), 0o644)
	if _, err := buildDB(bad, filepath.Join(t.TempDir(), "db")); err == nil {
		t.Error("an entry in a file named for another ID was accepted")
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}
