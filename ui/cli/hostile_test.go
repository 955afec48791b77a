package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common/commontest"
	"github.com/tandem-ops/tandem/ui/sanitize/sanitizetest"
)

// Ensure that no read command prints a hostile string raw: with hostile
// text in every field a person can write, neither stdout nor stderr of any
// command, as a table or as JSON, holds an escape sequence, a control
// character but newline and tab, DEL, C1, a bidi control or an invisible
// character, and the hostile text is still printed (cleaned).
func TestHostile_ReadCommands(t *testing.T) {
	now := time.Now()
	be := commontest.HostileWorkspace(t, now)
	who := commontest.HostileActor()
	year, week := now.ISOWeek()
	period := fmt.Sprintf("%d-W%02d", year, week)
	// shows says whether the command's output holds user text at all.
	for _, c := range []struct {
		shows bool
		args  []string
	}{
		{false, []string{"status"}},
		{false, []string{"status", "--json"}},
		{true, []string{"brief", "list"}},
		{true, []string{"brief", "list", "--json"}},
		{true, []string{"brief", "show", "1"}},
		{true, []string{"brief", "show", "3", "--json"}},
		{false, []string{"board", "wip"}},
		{false, []string{"board", "wip", "--json"}},
		{true, []string{"capacity"}},
		{true, []string{"capacity", "--json"}},
		{true, []string{"person", "list"}},
		{true, []string{"person", "list", "--json"}},
		{true, []string{"approvals", "list"}},
		{true, []string{"approvals", "list", "--json"}},
		{false, []string{"approvals", "due"}},
		{false, []string{"approvals", "due", "--json"}},
		{true, []string{"approvals", "flows"}},
		{true, []string{"approvals", "flows", "--json"}},
		{true, []string{"experiment", "list"}},
		{true, []string{"experiment", "list", "--json"}},
		{false, []string{"experiment", "show", commontest.HostileExperiment}},
		{true, []string{"experiment", "show", commontest.HostileExperiment, "--json"}},
		{false, []string{"report", "kpis"}},
		{false, []string{"report", "kpis", "--json"}},
		{true, []string{"report", "kpis", "--by", "campaign"}},
		{true, []string{"report", "kpis", "--by", "campaign", "--json"}},
		{true, []string{"report", "kpis", "--by", "channel"}},
		{true, []string{"report", "kpis", "--by", "team", "--json"}},
		{true, []string{"retro", "export", period}},
		{true, []string{"retro", "notes", period}},
		{true, []string{"retro", "notes", period, "--json"}},
		{true, []string{"taxonomy", "show"}},
		{true, []string{"taxonomy", "show", "--json"}},
		{true, []string{"guideline", "show"}},
		{true, []string{"guideline", "show", "--json"}},
		{true, []string{"audit", "export", "--json"}},
		{false, []string{"audit", "verify"}},
		{true, []string{"user", "list"}},
		{true, []string{"user", "list", "--json"}},
		{true, []string{"template", "list"}},
		{true, []string{"template", "list", "--json"}},
		{true, []string{"template", "show", "brief", commontest.HostileTemplate}},
		{true, []string{"template", "show", "brief", commontest.HostileTemplate, "--json"}},
		{true, []string{"template", "show", "experiment", commontest.HostileTemplate}},
		{true, []string{"template", "show", "experiment", commontest.HostileTemplate, "--versions", "--json"}},
		{true, []string{"inbox"}},
		{true, []string{"inbox", "--json"}},
		{true, []string{"export"}},
		// Errors and echoes carry user text too.
		// A name with escape sequences is refused at the door, naming the
		// character but never echoing it.
		{false, []string{"person", "add", sanitizetest.Corpus()[1], "--lane", "in-house", "--hours", "10"}},
		{false, []string{"brief", "add", "--title", sanitizetest.Corpus()[0]}},
		{false, []string{"brief", "edit", "1", "--objective", sanitizetest.Corpus()[0]}},
		{false, []string{"brief", "edit", "1", "--title", sanitizetest.Corpus()[0], "--if-version", "1"}},
		{true, []string{"user", "remove", sanitizetest.Corpus()[4]}},
		{true, []string{"experiment", "show", sanitizetest.Corpus()[3]}},
		{true, []string{sanitizetest.Corpus()[2]}},
	} {
		args := c.args
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := run(t, be, who, args...)
			if why := sanitizetest.Check(out, true); why != "" {
				t.Errorf("stdout: %s", why)
			}
			if why := sanitizetest.Check(errOut, true); why != "" {
				t.Errorf("stderr: %s", why)
			}
			if hostileArgs := strings.Contains(strings.Join(args, " "), "ok"); code != ExitOK && !hostileArgs {
				t.Errorf("exit %d: %s", code, errOut)
			}
			if c.shows && !strings.Contains(out+errOut, "ok") {
				t.Errorf("the hostile text is not printed at all:\n%s", out)
			}
			if args[len(args)-1] == "--json" && !json.Valid([]byte(out)) {
				t.Errorf("--json output is not JSON:\n%s", out)
			}
		})
	}
}

// Ensure that --json escapes hostile text rather than dropping it: what a
// command prints decodes to exactly what the workspace holds.
func TestHostile_JSONRoundTrip(t *testing.T) {
	ctx := context.Background()
	be := commontest.HostileWorkspace(t, time.Now())
	who := commontest.HostileActor()
	check := func(t *testing.T, got, want any, args ...string) {
		t.Helper()
		_, out, errOut := run(t, be, who, args...)
		if err := json.Unmarshal([]byte(out), got); err != nil {
			t.Fatalf("%v: %v\n%s%s", args, err, out, errOut)
		}
		if g := reflect.ValueOf(got).Elem().Interface(); !reflect.DeepEqual(g, want) {
			t.Errorf("%v decodes to\n%#v\nwant\n%#v", args, g, want)
		}
	}
	briefs, _ := be.Briefs(ctx)
	check(t, new([]core.Brief), briefs, "brief", "list", "--json")
	people, _ := be.People(ctx)
	check(t, new([]core.Person), people, "person", "list", "--json")
	exp, _ := be.Experiment(ctx, commontest.HostileExperiment)
	var a struct{ Experiment core.Experiment }
	check(t, &a, struct{ Experiment core.Experiment }{exp}, "experiment", "show", commontest.HostileExperiment, "--json")
	tax, _ := be.Taxonomy(ctx)
	check(t, new(core.Taxonomy), tax, "taxonomy", "show", "--json")
	g, _ := be.Guideline(ctx)
	check(t, new(core.BrandGuideline), g, "guideline", "show", "--json")
	users, _ := be.Users(ctx)
	check(t, new([]core.User), users, "user", "list", "--json")
	audit, _ := be.Audit(ctx)
	check(t, new([]core.AuditEntry), audit, "audit", "export", "--json")
	notes, _ := be.RetroNotes(ctx)
	year, week := notes[0].Time.ISOWeek()
	check(t, new([]core.RetroNote), notes, "retro", "notes", fmt.Sprintf("%d-W%02d", year, week), "--json")
}

// Ensure that export prints safely and still imports to the same
// workspace: what it cannot print raw it escapes.
func TestHostile_ExportImports(t *testing.T) {
	ctx := context.Background()
	be := commontest.HostileWorkspace(t, time.Now())
	code, out, errOut := run(t, be, commontest.HostileActor(), "export")
	if code != ExitOK {
		t.Fatalf("export: %d %s", code, errOut)
	}
	if why := sanitizetest.Check(out, true); why != "" {
		t.Fatalf("export: %s", why)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "imported.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Import(ctx, bytes.NewReader([]byte(out))); err != nil {
		t.Fatalf("import the export: %v", err)
	}
	for name, read := range map[string]func(*backend.Backend) (any, error){
		"briefs": func(b *backend.Backend) (any, error) { return b.Briefs(ctx) },
		"people": func(b *backend.Backend) (any, error) { return b.People(ctx) },
		"notes":  func(b *backend.Backend) (any, error) { return b.RetroNotes(ctx) },
		"audit":  func(b *backend.Backend) (any, error) { return b.Audit(ctx) },
	} {
		want, err1 := read(be)
		got, err2 := read(backend.New(st))
		if err1 != nil || err2 != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s after export and import: %v %v\n%#v\nwant\n%#v", name, err1, err2, got, want)
		}
	}
}

// Ensure that Execute sanitizes whatever a command writes to Out and Err,
// even text no command cleaned itself, keeps RawOut raw, and puts the
// caller's writers back afterwards.
func TestExecute_SanitizingWriters(t *testing.T) {
	var out, errOut bytes.Buffer
	env := &Env{Out: &out, Err: &errOut}
	root := NewRoot(env)
	root.AddCommand(&cobra.Command{Use: "leak", RunE: func(*cobra.Command, []string) error {
		fmt.Fprint(env.Out, "out\x1b]52;c;YQ==")
		fmt.Fprint(env.Out, "\x07 \xe2\x80")
		fmt.Fprint(env.Out, "\xae\n")
		fmt.Fprint(env.RawOut, "raw\x1b[0m\n")
		return errors.New("err\x1b[2J\u202e")
	}})
	if code := Execute(context.Background(), root, env, []string{"leak"}); code != ExitFailure {
		t.Fatalf("exit %d", code)
	}
	if got, want := out.String(), "out \nraw\x1b[0m\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if got, want := errOut.String(), "tandem: err\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	if env.Out != &out || env.Err != &errOut {
		t.Error("Execute did not put the caller's writers back")
	}
}
