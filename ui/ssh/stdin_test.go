package ssh

import (
	"context"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
)

// readersOfStdin are commands that read their input from stdin; each
// must end when its context does, whether or not the input has.
var readersOfStdin = []string{
	"guideline set -",
	"template add brief Spring -",
	"user add newcomer --key -",
	"notify add --webhook https://example.com/hook --on srm --secret -",
	"import -",
	"ingest -",
	"ingest --aggregates -",
}

// startHeld starts cmd as signer in a session whose stdin is held open and
// never written, as `ssh … cmd < fifo` with the fifo's writer away.
func (ts *testServer) startHeld(t *testing.T, signer gossh.Signer, cmd string) (*gossh.Session, *syncBuffer) {
	t.Helper()
	client, err := ts.dial(signer)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	errOut := &syncBuffer{}
	sess.Stderr = errOut
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close() })
	if err := sess.Start(cmd); err != nil {
		t.Fatal(err)
	}
	return sess, errOut
}

// Ensure that a command reading stdin that never ends stops at its
// deadline, saying so on one line, instead of waiting for the input.
func TestStdin_HeldOpenEndsAtDeadline(t *testing.T) {
	ts := startServer(t, Options{CommandDeadline: 300 * time.Millisecond, StreamDeadline: 300 * time.Millisecond, CommandsPerPerson: len(readersOfStdin)})
	boss := ts.newKey(t, "boss", core.RoleAdmin)
	for _, cmd := range readersOfStdin {
		t.Run(cmd, func(t *testing.T) {
			t.Parallel()
			sess, errOut := ts.startHeld(t, boss, cmd)
			code := waitExit(t, sess)
			said := errOut.String()
			if code != 1 || !strings.HasPrefix(said, "tandem: the command ran past its deadline of 300ms") || strings.Count(said, "\n") != 1 {
				t.Fatalf("exit %d, stderr %q", code, said)
			}
		})
	}
}

// Ensure that removing a user ends their command that reads stdin held
// open, with one line saying why and exit 4, and that the end is logged
// once however many user changes follow.
func TestStdin_RemovedUserEnds(t *testing.T) {
	var log syncBuffer
	ts := startServer(t, Options{Log: newTestLogger(&log)})
	boss := ts.newKey(t, "boss", core.RoleAdmin)
	for i, cmd := range readersOfStdin[:3] {
		name := "ad" + string(rune('a'+i))
		t.Run(cmd, func(t *testing.T) {
			ad := ts.newKey(t, name, core.RoleAdmin)
			sess, errOut := ts.startHeld(t, ad, cmd)
			waitFor(t, name+"'s command to run", func() bool { return ts.srv.limits.running(name) == 1 })
			if _, out, code := ts.runCommand(t, boss, "user remove "+name); code != 0 {
				t.Fatalf("user remove %s: exit %d, %q", name, code, out)
			}
			if code := waitExit(t, sess); code != 4 || errOut.String() != "tandem: your access to this workspace was removed\n" {
				t.Fatalf("exit %d, stderr %q", code, errOut.String())
			}
		})
	}
	for _, name := range []string{"ada", "adb", "adc"} {
		if n := countLines(log.String(), "session ended", "user="+name+" "); n != 1 {
			t.Fatalf("%s's end is logged %d times, want once:\n%s", name, n, log.String())
		}
	}
}

// Ensure that the watcher forgets a session once it ended it: later user
// changes neither log its end again nor keep it.
func TestAccess_EndedSessionForgotten(t *testing.T) {
	var log syncBuffer
	ts := startServer(t, Options{Log: newTestLogger(&log)})
	// Once a session was served, the watcher follows the changes.
	if _, errOut, code := ts.runCommand(t, ts.newKey(t, "boss", core.RoleAdmin), "status"); code != 0 {
		t.Fatalf("status: exit %d, %q", code, errOut)
	}
	watch := func(name string) *liveSession {
		signer := ts.newKey(t, name, core.RoleCreative)
		_, cancel := context.WithCancelCause(context.Background())
		ls := &liveSession{who: core.Identity{Name: name, Role: core.RoleCreative}, key: signer.PublicKey(),
			log: newTestLogger(&log).With("user", name), end: cancel}
		ts.srv.mu.Lock()
		ts.srv.live[ls] = struct{}{}
		ts.srv.mu.Unlock()
		return ls
	}
	remove := func(name string) {
		if err := ts.be.RemoveUser(context.Background(), admin, name); err != nil {
			t.Fatal(err)
		}
	}
	// A session whose command does not return at once (it was stuck in a
	// read) stays open past its end.
	stuck := watch("cy")
	remove("cy")
	waitFor(t, "cy's session to be forgotten", func() bool {
		ts.srv.mu.Lock()
		defer ts.srv.mu.Unlock()
		_, watched := ts.srv.live[stuck]
		return !watched
	})
	ts.newKey(t, "dee", core.RoleViewer)
	watch("eve")
	remove("eve") // changes are rechecked in order: once eve's ends, dee's add was seen
	waitFor(t, "eve's session to end", func() bool { return strings.Contains(log.String(), "user=eve") })
	if n := strings.Count(log.String(), "session ended"); n != 2 {
		t.Fatalf("%d ends logged, want cy's and eve's once each:\n%s", n, log.String())
	}
}

// countLines counts the lines of s that hold every one of parts.
func countLines(s string, parts ...string) int {
	n := 0
	for _, line := range strings.Split(s, "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			n++
		}
	}
	return n
}
