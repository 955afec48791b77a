package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
)

var testNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// mustOpenBackend opens a backend over a fresh store in t.TempDir().
func mustOpenBackend(t *testing.T) *backend.Backend {
	t.Helper()
	return mustOpenBackendWith(t, backend.Settings{})
}

// mustOpenBackendWith is mustOpenBackend on settings.
func mustOpenBackendWith(t *testing.T, settings backend.Settings) *backend.Backend {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "tandem.db"), store.Options{Now: func() time.Time { return testNow }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return backend.NewWith(st, settings)
}

// run executes args as who against be and returns exit code, stdout, stderr.
func run(t *testing.T, be *backend.Backend, who core.Identity, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), be, Call{Identity: who, Dir: t.TempDir(), Args: args}, nil, &out, &errOut)
	return code, out.String(), errOut.String()
}

var admin = core.Identity{Name: "ana", Role: core.RoleAdmin}

func TestExecute_Usage(t *testing.T) {
	be := mustOpenBackend(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown subcommand", []string{"brief", "explode"}, `unknown command "explode" for "tandem brief"`},
		{"bare group", []string{"brief"}, "needs a subcommand"},
		{"unknown flag", []string{"brief", "list", "--colour"}, "unknown flag: --colour"},
		{"missing argument", []string{"brief", "show"}, "takes 1 argument"},
		{"bad id", []string{"brief", "show", "abc"}, `"abc" is not a brief ID`},
		{"bad stage", []string{"brief", "move", "1", "done"}, `unknown stage "done"`},
		{"bad date", []string{"brief", "add", "--title", "x", "--due", "next week"}, "--due"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, be, admin, tt.args...)
			if code != ExitUsage {
				t.Errorf("exit = %d, want %d (stderr %q)", code, ExitUsage, errOut)
			}
			if !strings.Contains(errOut, tt.want) || !strings.HasPrefix(errOut, "tandem: ") {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tt.want)
			}
		})
	}
}

func TestBriefCommands(t *testing.T) {
	be := mustOpenBackend(t)
	code, out, errOut := run(t, be, admin, "brief", "add", "--title", "Spring email", "--channel", "email", "--tag", "q4,launch", "--due", "2026-12-01", "--estimate", "6", "--json")
	if code != 0 {
		t.Fatalf("add: exit %d: %s", code, errOut)
	}
	var added core.Brief
	if err := json.Unmarshal([]byte(out), &added); err != nil {
		t.Fatalf("add --json: %v\n%s", err, out)
	}
	if added.ID != 1 || added.Title != "Spring email" || len(added.Tags) != 2 || added.Due.Format(time.DateOnly) != "2026-12-01" {
		t.Fatalf("added = %+v", added)
	}

	if code, out, _ = run(t, be, admin, "brief", "move", "1", "in-production"); code != 0 || !strings.Contains(out, "moved brief 1 to in production") {
		t.Fatalf("move: %d %q", code, out)
	}
	code, out, _ = run(t, be, admin, "brief", "list", "--stage", "in production", "--json")
	var listed []core.Brief
	if err := json.Unmarshal([]byte(out), &listed); code != 0 || err != nil || len(listed) != 1 || listed[0].Stage != core.StageInProduction {
		t.Fatalf("list --stage: %d %v %s", code, err, out)
	}
	if code, out, _ = run(t, be, admin, "brief", "list", "--stage", "live", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("empty list: %d %q", code, out)
	}
	if code, out, _ = run(t, be, admin, "brief", "show", "1"); code != 0 || !strings.Contains(out, "Spring email") || !strings.Contains(out, "launch, q4") {
		t.Fatalf("show: %d %q", code, out)
	}

	code, _, errOut = run(t, be, admin, "brief", "add", "--channel", "email")
	if code != ExitUsage || !strings.Contains(errOut, "brief title: is required") {
		t.Fatalf("add without title: %d %q", code, errOut)
	}
	if code, _, errOut = run(t, be, admin, "brief", "show", "99"); code != ExitFailure || !strings.Contains(errOut, "not found") {
		t.Fatalf("show missing: %d %q", code, errOut)
	}
}

// Ensure that roles are enforced by the table: a viewer reads but cannot
// file, move or back up.
func TestRoles(t *testing.T) {
	be := mustOpenBackend(t)
	viewer := core.Identity{Name: "vic", Role: core.RoleViewer}
	if code, _, errOut := run(t, be, viewer, "brief", "list"); code != 0 {
		t.Fatalf("viewer list: %d %s", code, errOut)
	}
	for _, args := range [][]string{
		{"brief", "add", "--title", "x"},
		{"brief", "move", "1", "live"},
		{"backup", "copy.db"},
		{"demo", "seed"},
	} {
		code, _, errOut := run(t, be, viewer, args...)
		if code != ExitPermission || !strings.Contains(errOut, "vic (viewer) may not") {
			t.Errorf("viewer %v: %d %q", args, code, errOut)
		}
	}
}

// Ensure that a title with escape sequences, or with nothing visible, is
// refused at the door, naming the character without echoing it, and
// nothing is filed.
func TestBriefAdd_RefusesInvisibleTitles(t *testing.T) {
	be := mustOpenBackend(t)
	for title, says := range map[string]string{
		"Hi\x1b]0;pwned\x07\x1b[2J there": "title: has a control character (U+001B) at byte 2",
		"\u200b\u200b":                    "title: has an invisible formatting character (U+200B",
		"\u202etxt.exe":                   "title: has an invisible formatting character (U+202E",
		"\a":                              "title: has a control character (U+0007)",
	} {
		code, out, errOut := run(t, be, admin, "brief", "add", "--title", title)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, says) || strings.ContainsAny(errOut, "\x1b\x07\u200b\u202e") {
			t.Errorf("title %q: exit %d, %q, %q; want %d and %q", title, code, out, errOut, ExitUsage, says)
		}
	}
	if briefs, _ := be.Briefs(context.Background()); len(briefs) != 0 {
		t.Fatalf("refused titles filed %d briefs", len(briefs))
	}
}

func TestBackupCommand(t *testing.T) {
	be := mustOpenBackend(t)
	if _, err := be.AddBrief(context.Background(), admin, core.Brief{Title: "Keep me"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), be, Call{Identity: admin, Dir: dir, Args: []string{"backup", "copy.db"}}, nil, &out, &errOut); code != 0 {
		t.Fatalf("backup: %d %s", code, errOut.String())
	}
	st, err := store.Open(filepath.Join(dir, "copy.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if b, err := st.Brief(context.Background(), 1); err != nil || b.Title != "Keep me" {
		t.Fatalf("backup holds %+v, %v", b, err)
	}
}

func TestStatusAndVersion(t *testing.T) {
	be := mustOpenBackend(t)
	if _, err := be.AddBrief(context.Background(), admin, core.Brief{Title: "Late", Due: testNow.AddDate(0, 0, -1)}); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	env := &Env{Identity: admin, Out: &out, Err: &errOut, Now: func() time.Time { return testNow }, Backend: be}
	if code := Execute(context.Background(), NewRoot(env), env, []string{"status", "--json"}); code != 0 {
		t.Fatalf("status: %d %s", code, errOut.String())
	}
	var st backend.Status
	if err := json.Unmarshal(out.Bytes(), &st); err != nil || st.Briefs != 1 || st.Late != 1 || st.ByStage["intake"] != 1 {
		t.Fatalf("status = %+v, %v", st, err)
	}
	if code, out, _ := run(t, be, admin, "version"); code != 0 || !strings.HasPrefix(out, "tandem ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestBoardWIPAndTaxonomy(t *testing.T) {
	be := mustOpenBackend(t)
	if code, out, errOut := run(t, be, admin, "board", "wip", "review", "3"); code != 0 || !strings.Contains(out, "review         3") {
		t.Fatalf("wip set: %d %q %q", code, out, errOut)
	}
	code, out, _ := run(t, be, admin, "board", "wip", "--json")
	if code != 0 || !strings.Contains(out, `"review": 3`) {
		t.Fatalf("wip --json: %d %q", code, out)
	}
	if code, _, _ := run(t, be, admin, "board", "wip", "review", "lots"); code != ExitUsage {
		t.Fatalf("bad limit: exit %d", code)
	}
	if code, _, errOut := run(t, be, core.Identity{Name: "vic", Role: core.RoleViewer}, "board", "wip", "review", "1"); code != ExitPermission || !strings.Contains(errOut, "may not") {
		t.Fatalf("viewer set wip: %d %q", code, errOut)
	}

	if code, _, errOut := run(t, be, admin, "taxonomy", "add", "channel", "email"); code != 0 {
		t.Fatalf("taxonomy add: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, be, admin, "brief", "add", "--title", "x", "--channel", "tv"); code != ExitUsage || !strings.Contains(errOut, `"tv" is not in the taxonomy`) {
		t.Fatalf("unknown channel: %d %q", code, errOut)
	}
	run(t, be, admin, "taxonomy", "remove", "channel", "EMAIL")
	if code, out, _ := run(t, be, admin, "taxonomy", "show", "--json"); code != 0 || !strings.Contains(out, `"channels": []`) {
		t.Fatalf("taxonomy after remove: %q", out)
	}
	if code, _, _ := run(t, be, admin, "taxonomy", "add", "colour", "red"); code != ExitUsage {
		t.Fatalf("unknown kind: exit %d", code)
	}
}
