package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
)

// Ensure that `brief edit` forwarded over the control socket to the
// process holding the database merges disjoint stale edits, refuses an
// overlapping one with exit 3, and reverts nothing.
func TestBriefEdit_ControlSocket(t *testing.T) {
	path := filepath.Join(shortTempDir(t), "w.db")
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	be := backend.New(st)
	if _, err := be.AddBrief(context.Background(), admin, core.Brief{Title: "Win-back offer", EstimateHours: 4}); err != nil {
		t.Fatal(err)
	}
	stop, err := ServeControl(context.Background(), be)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	// forward runs a command the way `tandem` in another terminal does:
	// it finds the database held and forwards.
	forward := func(args ...string) (int, string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		env := &Env{Identity: admin, Out: &out, Err: &errOut, Now: time.Now, DBPath: path}
		args = append([]string{"--db", path}, args...)
		env.Connect = ConnectLocal(env, args, func(*backend.Backend) { t.Error("the command opened the held database instead of forwarding") })
		return Execute(context.Background(), NewRoot(env), env, args), out.String(), errOut.String()
	}
	if code, _, errOut := forward("brief", "edit", "1", "--title", "Title by A", "--if-version", "1"); code != ExitOK {
		t.Fatalf("first edit: exit %d: %s", code, errOut)
	}
	code, out, errOut := forward("brief", "edit", "1", "--estimate", "9", "--if-version", "1")
	if code != ExitOK || !strings.Contains(out, "merged with") || !strings.Contains(out, "change to title") {
		t.Fatalf("stale disjoint edit: exit %d, %q, %q", code, out, errOut)
	}
	code, out, errOut = forward("brief", "edit", "1", "--title", "Title by B", "--if-version", "1")
	if code != ExitConflict || out != "" || !strings.Contains(errOut, `title is "Title by A" there, "Title by B" here`) {
		t.Fatalf("overlapping edit: exit %d, %q, %q", code, out, errOut)
	}
	b, err := be.Brief(context.Background(), 1)
	if err != nil || b.Title != "Title by A" || b.EstimateHours != 9 || b.Version != 3 {
		t.Fatalf("the held brief is %+v, %v", b, err)
	}
}
