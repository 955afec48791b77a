package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// runAt runs args as the local CLI against the file at db.
func runAt(t *testing.T, db string, args ...string) (int, string, string) {
	code, out, errOut, _ := runLocal(t, db, args...)
	return code, out, errOut
}

func TestExportImportCheckRestore(t *testing.T) {
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "c.db")
	runAt(t, a, "brief", "add", "--title", "Keep me")
	code, export, errOut := runAt(t, a, "export", "--json")
	if code != 0 || !strings.HasPrefix(export, `{"format":"tandem-export","version":2`) {
		t.Fatalf("export: %d %q %q", code, export[:min(len(export), 80)], errOut)
	}
	file := filepath.Join(dir, "w.jsonl")
	if err := os.WriteFile(file, []byte(export), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runAt(t, b, "import", file); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	if _, again, _ := runAt(t, b, "export"); again != export {
		t.Fatal("export → import → export differs")
	}
	if code, out, _ := runAt(t, b, "check"); code != 0 || !strings.Contains(out, "consistent") {
		t.Fatalf("check: %d %q", code, out)
	}
	backup := filepath.Join(dir, "backup.db")
	runAt(t, a, "backup", backup)
	if code, _, errOut := runAt(t, c, "restore", backup); code != 0 {
		t.Fatalf("restore: %s", errOut)
	}
	if code, _, errOut := runAt(t, c, "restore", backup); code != ExitFailure || !strings.Contains(errOut, "--force") {
		t.Fatalf("restore over an existing file: %d %q", code, errOut)
	}
	if code, _, errOut := runAt(t, c, "restore", file, "--force"); code != ExitUsage || !strings.Contains(errOut, "is not a complete tandem database (truncated, or not a bbolt file)") {
		t.Fatalf("restore from a non-database: %d %q", code, errOut)
	}
	empty := filepath.Join(dir, "e.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, notBackup := range []string{empty, os.DevNull} {
		code, out, errOut := runAt(t, c, "restore", notBackup, "--force")
		if code != ExitUsage || out != "" || !strings.Contains(errOut, "is not a tandem database (empty, or written by another program)") {
			t.Fatalf("restore from %s: %d %q %q", notBackup, code, out, errOut)
		}
	}
	if code, out, _ := runAt(t, c, "brief", "list"); code != 0 || !strings.Contains(out, "Keep me") {
		t.Fatalf("restored data: %q", out)
	}
}

// Ensure that restoring a backup with damaged pages exits 2 with one line
// that says so and what to do, never bbolt's panic text, and leaves the
// workspace as it was.
func TestRestore_DamagedBackup(t *testing.T) {
	dir := t.TempDir()
	work, backup := filepath.Join(dir, "work.db"), filepath.Join(dir, "backup.db")
	runAt(t, work, "brief", "add", "--title", "Keep me")
	if code, _, errOut := runAt(t, work, "backup", backup); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	content, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	page := os.Getpagesize() // tandem's files use the system page size
	clear(content[2*page:])  // keep bbolt's two meta pages, wipe the rest
	if err := os.WriteFile(backup, content, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runAt(t, work, "restore", backup, "--force")
	if code != ExitUsage || !strings.Contains(errOut, "is damaged: page ") || !strings.HasSuffix(errOut, "take another backup (nothing was restored)\n") ||
		strings.Contains(errOut, "panic") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("restore of a damaged backup: %d %q", code, errOut)
	}
	if code, out, _ := runAt(t, work, "brief", "list"); code != 0 || !strings.Contains(out, "Keep me") {
		t.Fatalf("the workspace after a refused restore: %q", out)
	}
}

// Ensure that a backup to a full disk fails with a clear error and leaves
// the workspace as it was.
func TestBackup_DiskFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	be := mustOpenBackend(t)
	if _, err := be.AddBrief(context.Background(), admin, core.Brief{Title: "Safe"}); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var out bytes.Buffer
	env := &Env{Identity: admin, Out: f, Err: &out, Now: time.Now, Backend: be}
	if code := Execute(context.Background(), NewRoot(env), env, []string{"export"}); code != ExitFailure || !strings.Contains(out.String(), "no space left") {
		t.Fatalf("export to a full disk: %d %q", code, out.String())
	}
	if b, err := be.Brief(context.Background(), 1); err != nil || b.Title != "Safe" {
		t.Fatalf("workspace after the failure: %+v %v", b, err)
	}
}
