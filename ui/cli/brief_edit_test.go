package cli

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// briefOf reads a brief through `brief show --json`.
func briefOf(t *testing.T, run func(args ...string) (int, string, string), id string) core.Brief {
	t.Helper()
	code, out, errOut := run("brief", "show", id, "--json")
	if code != ExitOK {
		t.Fatalf("brief show: exit %d: %s", code, errOut)
	}
	var b core.Brief
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("brief show --json: %v\n%s", err, out)
	}
	return b
}

// Ensure that `brief edit` sets only the fields named, counts the
// version, merges a stale edit of other fields, refuses a stale edit of
// the same field with exit 3 and one line naming it, and never reverts.
func TestBriefEdit_Versions(t *testing.T) {
	be := mustOpenBackend(t)
	ana := func(args ...string) (int, string, string) { return run(t, be, admin, args...) }
	bo := func(args ...string) (int, string, string) {
		return run(t, be, core.Identity{Name: "bo", Role: core.RoleCreative}, args...)
	}
	if code, _, errOut := ana("brief", "add", "--title", "Win-back offer", "--estimate", "4", "--due", "2026-12-01"); code != ExitOK {
		t.Fatal(errOut)
	}
	if b := briefOf(t, ana, "1"); b.Version != 1 {
		t.Fatalf("new brief version %d, want 1", b.Version)
	}

	code, out, errOut := ana("brief", "edit", "1", "--title", "Title by A")
	if code != ExitOK || out != "saved brief 1 (version 2)\n" {
		t.Fatalf("edit: exit %d, %q, %q", code, out, errOut)
	}
	// bo edits the estimate from version 1, before ana's title.
	code, out, errOut = bo("brief", "edit", "1", "--estimate", "12", "--if-version", "1")
	if code != ExitOK || !strings.Contains(out, "version 3") || !strings.Contains(out, "merged with ana's change to title") {
		t.Fatalf("stale disjoint edit: exit %d, %q, %q", code, out, errOut)
	}
	b := briefOf(t, ana, "1")
	if b.Title != "Title by A" || b.EstimateHours != 12 || b.Due.IsZero() || b.Version != 3 {
		t.Fatalf("after the merge: %+v", b)
	}

	// bo retitles from version 1 too: ana changed the title since.
	code, out, errOut = bo("brief", "edit", "1", "--title", "Title by B", "--if-version", "1")
	if code != ExitConflict || out != "" {
		t.Fatalf("overlapping edit: exit %d (want %d), stdout %q", code, ExitConflict, out)
	}
	if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "title") || !strings.Contains(errOut, `"Title by A" there`) ||
		!strings.Contains(errOut, `"Title by B" here`) || !strings.Contains(errOut, "--if-version 3") {
		t.Fatalf("conflict stderr = %q", errOut)
	}
	if b := briefOf(t, ana, "1"); b.Title != "Title by A" || b.Version != 3 {
		t.Fatalf("a refused edit changed the brief: %+v", b)
	}
	// Keeping mine: the same edit from the current version.
	if code, _, errOut := bo("brief", "edit", "1", "--title", "Title by B", "--if-version", "3"); code != ExitOK {
		t.Fatalf("edit from the current version: exit %d, %s", code, errOut)
	}
	if b := briefOf(t, ana, "1"); b.Title != "Title by B" || b.EstimateHours != 12 {
		t.Fatalf("after keeping mine: %+v", b)
	}
}

// Ensure that `brief edit` clears fields given empty, refuses a call
// that changes nothing or names a version that never was, and checks
// the role.
func TestBriefEdit_Fields(t *testing.T) {
	be := mustOpenBackend(t)
	ana := func(args ...string) (int, string, string) { return run(t, be, admin, args...) }
	ana("person", "add", "ana", "--lane", "in-house", "--hours", "40")
	if code, _, errOut := ana("brief", "add", "--title", "t", "--due", "2026-12-01", "--tag", "q4", "--owner", "ana"); code != ExitOK {
		t.Fatal(errOut)
	}
	code, _, errOut := ana("brief", "edit", "1", "--due", "", "--tag", "", "--objective", "Win back lapsed buyers", "--start", "2026-11-20")
	if code != ExitOK {
		t.Fatal(errOut)
	}
	b := briefOf(t, ana, "1")
	if !b.Due.IsZero() || len(b.Tags) != 0 || b.Owner != "ana" || b.Objective != "Win back lapsed buyers" || b.Start.IsZero() {
		t.Fatalf("after clearing: %+v", b)
	}
	for _, args := range [][]string{{"brief", "edit", "1"}, {"brief", "edit", "1", "--title", "x", "--if-version", "99"}, {"brief", "edit", "1", "--due", "soon"}} {
		if code, _, errOut := ana(args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, ExitUsage, errOut)
		}
	}
	if code, out, _ := ana("brief", "edit", "1", "--owner", "ana"); code != ExitOK || !strings.Contains(out, "unchanged") {
		t.Errorf("an edit to the same value: exit %d, %q", code, out)
	}
	viewer := core.Identity{Name: "vi", Role: core.RoleViewer}
	if code, _, _ := run(t, be, viewer, "brief", "edit", "1", "--title", "x"); code == ExitOK {
		t.Error("a viewer edited a brief")
	}
}

// Ensure that `brief move --if-version` moves a brief no one wrote since
// that version, and refuses with exit 3 and one line naming who moved it
// when someone did, leaving their move in place.
func TestBriefMove_IfVersion(t *testing.T) {
	be := mustOpenBackend(t)
	ana := func(args ...string) (int, string, string) { return run(t, be, admin, args...) }
	bo := func(args ...string) (int, string, string) {
		return run(t, be, core.Identity{Name: "bo", Role: core.RoleCreative}, args...)
	}
	if code, _, errOut := ana("brief", "add", "--title", "Win-back offer"); code != ExitOK {
		t.Fatal(errOut)
	}
	if code, _, errOut := ana("brief", "move", "1", "planned", "--if-version", "1"); code != ExitOK {
		t.Fatalf("move from the current version: exit %d: %s", code, errOut)
	}
	if code, _, errOut := bo("brief", "move", "1", "in-production", "--force"); code != ExitOK {
		t.Fatalf("move without a version: exit %d: %s", code, errOut)
	}
	code, out, errOut := ana("brief", "move", "1", "intake", "--if-version", "2")
	if code != ExitConflict || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "by bo") ||
		!strings.Contains(errOut, `"in production" there`) {
		t.Fatalf("stale move: exit %d (want %d), %q, %q", code, ExitConflict, out, errOut)
	}
	if b := briefOf(t, ana, "1"); b.Stage != core.StageInProduction {
		t.Fatalf("after the refused move: %s, want bo's in production", b.Stage)
	}
	// 0 and -1 are refused alike, with words that say why; a version the
	// brief has not reached is a bad value too, not a conflict.
	for _, bad := range []string{"0", "-1"} {
		code, _, errOut := ana("brief", "move", "1", "intake", "--if-version", bad)
		if want := `--if-version: "` + bad + `" is not a version: a whole number of 1 or more`; code != ExitUsage || !strings.Contains(errOut, want) {
			t.Fatalf("--if-version %s: exit %d (want %d), %q", bad, code, ExitUsage, errOut)
		}
	}
	code, _, errOut = ana("brief", "move", "1", "intake", "--if-version", "99")
	if code != ExitUsage || !strings.Contains(errOut, "is 99, which it has not reached; it is at version 3") {
		t.Fatalf("--if-version 99: exit %d (want %d), %q", code, ExitUsage, errOut)
	}
}

// Ensure that moving a brief to the stage it is in is a no-op that says
// so: exit 0, no version or audit entry, the brief unchanged as JSON; and
// that a stale version whose stage is as it was says the brief was edited.
func TestBriefMove_SameStage(t *testing.T) {
	be := mustOpenBackend(t)
	ana := func(args ...string) (int, string, string) { return run(t, be, admin, args...) }
	bo := func(args ...string) (int, string, string) {
		return run(t, be, core.Identity{Name: "bo", Role: core.RoleCreative}, args...)
	}
	for _, args := range [][]string{{"brief", "add", "--title", "Win-back offer"}, {"brief", "add", "--title", "Banner"}, {"brief", "add", "--title", "Landing page", "--stage", "review"}} {
		if code, _, errOut := ana(args...); code != ExitOK {
			t.Fatal(errOut)
		}
	}
	before := briefOf(t, ana, "3")
	_, audit, _ := ana("audit", "export", "--json")
	if code, out, errOut := bo("brief", "move", "3", "review"); code != ExitOK || out != "#3 is already in review\n" {
		t.Fatalf("move to the stage it is in: exit %d, %q, %q", code, out, errOut)
	}
	code, out, errOut := bo("brief", "move", "3", "review", "--json")
	var got core.Brief
	if err := json.Unmarshal([]byte(out), &got); code != ExitOK || err != nil || !reflect.DeepEqual(got, before) {
		t.Fatalf("move --json to the stage it is in: exit %d, %v, %q, %q", code, err, out, errOut)
	}
	if _, again, _ := ana("audit", "export", "--json"); again != audit {
		t.Fatal("a move to the stage it is in was audited")
	}
	if code, _, errOut := bo("brief", "edit", "3", "--objective", "Sign-ups"); code != ExitOK {
		t.Fatal(errOut)
	}
	code, _, errOut = ana("brief", "move", "3", "approved", "--if-version", "1")
	if want := `(now 2, by bo): its stage is "review", as you saw it, but the brief was edited;`; code != ExitConflict || !strings.Contains(errOut, want) {
		t.Fatalf("stale move after an edit: exit %d, %q; want %q", code, errOut, want)
	}
}
