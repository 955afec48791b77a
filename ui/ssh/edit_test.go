package ssh

import (
	"bytes"
	"context"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
)

// runIn runs cmd in a new session of an open connection.
func runIn(t *testing.T, client *gossh.Client, cmd string) (string, string, int) {
	t.Helper()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var out, errOut bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errOut
	code := 0
	if err := sess.Run(cmd); err != nil {
		var exit *gossh.ExitError
		if !asExit(err, &exit) {
			t.Fatalf("run %q: %v", cmd, err)
		}
		code = exit.ExitStatus()
	}
	return out.String(), errOut.String(), code
}

// Ensure that two people connected at once, editing the same brief from
// the same version with `brief edit`, merge disjoint fields, get exit 3
// on an overlapping field, and never revert each other: the lost update
// of issue 18.
func TestServer_TwoSessionsEditOneBrief(t *testing.T) {
	ts := startServer(t, Options{})
	ctx := context.Background()
	if _, err := ts.be.AddBrief(ctx, admin, core.Brief{Title: "Win-back offer", EstimateHours: 4}); err != nil {
		t.Fatal(err)
	}
	connect := func(name string, role core.Role) *gossh.Client {
		c, err := ts.dial(ts.newKey(t, name, role))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	ana, bo := connect("ana", core.RoleMOps), connect("bo", core.RoleCreative)

	// Both read version 1; ana saves the title first.
	if out, errOut, code := runIn(t, ana, `brief edit 1 --title "Title by A" --if-version 1`); code != 0 || !strings.Contains(out, "version 2") {
		t.Fatalf("ana's edit: %d %q %q", code, out, errOut)
	}
	// bo, from version 1, changes only the estimate: it merges.
	out, errOut, code := runIn(t, bo, `brief edit 1 --estimate 12 --if-version 1`)
	if code != 0 || !strings.Contains(out, "merged with ana's change to title") {
		t.Fatalf("bo's disjoint edit: %d %q %q", code, out, errOut)
	}
	// bo, from version 1, retitles: ana changed the title, so it conflicts.
	out, errOut, code = runIn(t, bo, `brief edit 1 --title "Title by B" --if-version 1`)
	if code != 3 || out != "" || !strings.Contains(errOut, `title is "Title by A" there, "Title by B" here`) || !strings.Contains(errOut, "by ana") {
		t.Fatalf("bo's overlapping edit: %d %q %q", code, out, errOut)
	}
	// ana, without --if-version, edits from what she just read: no conflict.
	if _, errOut, code := runIn(t, ana, `brief edit 1 --due 2026-12-01`); code != 0 {
		t.Fatalf("ana's second edit: %d %q", code, errOut)
	}
	b, err := ts.be.Brief(ctx, 1)
	if err != nil || b.Title != "Title by A" || b.EstimateHours != 12 || b.Due.IsZero() || b.Version != 4 {
		t.Fatalf("the brief after both sessions: %+v, %v", b, err)
	}
	entries, _ := ts.be.History(ctx, 1)
	if last := entries[len(entries)-1]; last.Actor != "ana" || last.Version != 4 {
		t.Fatalf("last audit entry %+v", last)
	}
	var merged bool
	for _, e := range entries {
		merged = merged || (e.Actor == "bo" && e.Version == 3 && e.From == 1)
	}
	if !merged {
		t.Fatalf("no audit entry records bo's merged edit from version 1: %+v", entries)
	}
}
