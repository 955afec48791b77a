package ssh

import (
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
)

// waitExit waits for sess to end and returns its exit status.
func waitExit(t *testing.T, sess *gossh.Session) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- sess.Wait() }()
	select {
	case err := <-done:
		var exit *gossh.ExitError
		if asExit(err, &exit) {
			return exit.ExitStatus()
		}
		if err != nil {
			t.Fatalf("session ended without an exit status: %v", err)
		}
		return 0
	case <-time.After(10 * time.Second):
		t.Fatal("the session did not end")
		return -1
	}
}

// lastSeq returns the sequence number of the latest audit entry.
func lastSeq(t *testing.T, be *backend.Backend) uint64 {
	t.Helper()
	entries, err := be.Audit(context.Background())
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit: %d entries, %v", len(entries), err)
	}
	return entries[len(entries)-1].Seq
}

// auditedAfter returns the audit entries by actor after sequence seq.
func auditedAfter(t *testing.T, be *backend.Backend, actor string, seq uint64) []core.AuditEntry {
	t.Helper()
	entries, err := be.Audit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var by []core.AuditEntry
	for _, e := range entries {
		if e.Seq > seq && e.Actor == actor {
			by = append(by, e)
		}
	}
	return by
}

// Ensure that an admin cannot give a key that is already a user's to
// another (the reviewer's `cat viewer.pub | ssh … user add aaa --role
// admin --key -`): exit 2 naming the owner, and the key still logs in as
// its owner.
func TestAccess_KeyTakenRefused(t *testing.T) {
	ts := startServer(t, Options{})
	boss := ts.newKey(t, "boss", core.RoleAdmin)
	vic := ts.newKey(t, "vic", core.RoleViewer)
	said, code := ts.runWithStdin(t, boss, "user add aaa --role admin --key -", gossh.MarshalAuthorizedKey(vic.PublicKey()))
	if code != 2 || !strings.Contains(said, "is already vic's; one key is one person") {
		t.Fatalf("user add aaa with vic's key: exit %d, %q", code, said)
	}
	if _, errOut, code := ts.runCommand(t, vic, "brief add --title Mine"); code != 4 || !strings.Contains(errOut, "vic (viewer) may not") {
		t.Fatalf("vic's key after the refused add: exit %d, %q", code, errOut)
	}
}

// Ensure that removing a user ends their open cockpit at once, with one
// line saying why and exit 4, and that what they type next is not saved
// as them.
func TestAccess_RemovedUserCockpitEnds(t *testing.T) {
	var log syncBuffer
	ts := startServer(t, Options{Log: newTestLogger(&log)})
	boss := ts.newKey(t, "boss", core.RoleAdmin)
	cy := ts.newKey(t, "cy", core.RoleCreative)
	screen, in, sess := ts.openCockpitSession(t, cy, 80, 24)
	screen.waitFor(t, "cy · creative")

	if _, errOut, code := ts.runCommand(t, boss, "user remove cy"); code != 0 {
		t.Fatalf("user remove cy: exit %d, %q", code, errOut)
	}
	removed := lastSeq(t, ts.be)
	// The reviewer's attack: a retro note typed right after the removal,
	// before or as the session ends.
	_, _ = io.WriteString(in, "6nstill here\r")
	screen.waitFor(t, "tandem: your access to this workspace was removed")
	if code := waitExit(t, sess); code != 4 {
		t.Fatalf("the removed user's cockpit exited %d, want 4", code)
	}
	if by := auditedAfter(t, ts.be, "cy", removed); len(by) > 0 {
		t.Fatalf("written as cy after the removal: %+v", by)
	}
	if !strings.Contains(log.String(), "session ended") || !strings.Contains(log.String(), "user=cy") {
		t.Fatalf("the end is not logged: %q", log.String())
	}
}

// Ensure that removing a user ends their running command, which says why
// and exits 4.
func TestAccess_RemovedUserCommandEnds(t *testing.T) {
	ts := startServer(t, Options{})
	boss := ts.newKey(t, "boss", core.RoleAdmin)
	mo := ts.newKey(t, "mo", core.RoleMOps)
	sess, errOut := ts.startHeld(t, mo, "ingest -") // the ingest waits for more
	waitFor(t, "mo's ingest to run", func() bool { return ts.srv.limits.running("mo") == 1 })

	if _, out, code := ts.runCommand(t, boss, "user remove mo"); code != 0 {
		t.Fatalf("user remove mo: exit %d, %q", code, out)
	}
	if code := waitExit(t, sess); code != 4 || strings.TrimSpace(errOut.String()) != "tandem: your access to this workspace was removed" {
		t.Fatalf("the removed user's ingest: exit %d, stderr %q", code, errOut.String())
	}
}

// Ensure that a role change ends the open cockpit, saying so, and the
// next one has the new role.
func TestAccess_RoleChangeEndsCockpit(t *testing.T) {
	ts := startServer(t, Options{})
	cy := ts.newKey(t, "cy", core.RoleApprover)
	screen, _, sess := ts.openCockpitSession(t, cy, 80, 24)
	screen.waitFor(t, "cy · approver")

	if _, err := ts.be.SetUserRole(context.Background(), admin, "cy", core.RoleViewer); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, sess); code != 4 {
		t.Fatalf("the cockpit exited %d, want 4", code)
	}
	screen.mu.Lock()
	said := screen.buf.String()
	screen.mu.Unlock()
	if !strings.Contains(said, "your role changed to viewer; reconnect") {
		t.Fatalf("the cockpit ended without saying why:\n%s", said)
	}
	again, _ := ts.openCockpit(t, cy, 80, 24)
	again.waitFor(t, "cy · viewer")
}

// Ensure that a key two users share (a workspace from before keys were
// checked) logs in as nobody, and that the refusal is logged for the admin
// naming both.
func TestAccess_SharedKeyRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	signer := newSigner(t)
	vic := core.User{Name: "vic", Role: core.RoleViewer, Keys: []string{string(gossh.MarshalAuthorizedKey(signer.PublicKey()))}}
	if _, err := backend.New(st).AddUser(context.Background(), admin, vic); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	// What an older tandem let `user add aaa --role admin --key vic.pub` do.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	aaa := vic
	aaa.Name, aaa.Role = "aaa", core.RoleAdmin
	v, _ := json.Marshal(aaa)
	if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("users")).Put([]byte("aaa"), v) }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	var log syncBuffer
	ts := startServerAt(t, path, Options{Log: newTestLogger(&log)})
	if c, err := ts.dial(signer); err == nil {
		c.Close()
		t.Fatal("a key two users share logged in")
	}
	if !strings.Contains(log.String(), "key refused") || !strings.Contains(log.String(), "belongs to aaa and vic") {
		t.Fatalf("the refusal is not logged naming both: %q", log.String())
	}
}

// Ensure that a cockpit over the person's limit is refused with exit 5 and
// one line saying the limit and what to do, and that the refusal is
// logged.
func TestAccess_CockpitLimit(t *testing.T) {
	var log syncBuffer
	ts := startServer(t, Options{CockpitsPerPerson: 1, Log: newTestLogger(&log)})
	ana := ts.newKey(t, "ana", core.RoleCreative)
	first, _ := ts.openCockpit(t, ana, 80, 24)
	first.waitFor(t, "ana · creative")
	second, _, sess := ts.openCockpitSession(t, ana, 80, 24)
	if code := waitExit(t, sess); code != 5 {
		t.Fatalf("a cockpit over the limit exited %d, want 5", code)
	}
	second.waitFor(t, "tandem: you have 1 cockpits open on this server already; close one first")
	if !strings.Contains(log.String(), "cockpit refused") {
		t.Fatalf("the refusal is not logged: %q", log.String())
	}
}
