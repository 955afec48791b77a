package ssh

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
)

// The tests in this file are attacks by people with a key, over a real SSH
// connection: each must fail, and leave the server as it was.

// Ensure that no command lets a remote person name a file on the server,
// to write it or to read it.
func TestAttack_ServerPaths(t *testing.T) {
	ts := startServer(t, Options{})
	mo := ts.newKey(t, "mo", core.RoleMOps)
	root := ts.newKey(t, "boss", core.RoleAdmin)
	victim := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(victim, []byte("root:*:secret-line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		who gossh.Signer
		cmd string
	}{
		{mo, "backup " + victim},
		{mo, "backup " + ts.be.Path()},
		{mo, "ingest --format csv " + victim},
		{mo, "ingest " + victim},
		{mo, "guideline set " + victim},
		{root, "import " + victim},
		{root, "user add eve --role admin --key " + victim},
		{root, "restore " + victim + " --force"},
	} {
		out, errOut, code := ts.runCommand(t, tc.who, tc.cmd)
		if code == 0 || strings.Contains(out+errOut, "secret-line") || strings.Contains(out+errOut, "root:") {
			t.Errorf("%s: exit %d, out %q, err %q", tc.cmd, code, out, errOut)
		}
	}
	if data, err := os.ReadFile(victim); err != nil || string(data) != "root:*:secret-line\n" {
		t.Fatalf("the server's file changed: %q, %v", data, err)
	}
	// The remote way works: stdout, not a path.
	out, errOut, code := ts.runCommand(t, mo, "backup -")
	if code != 0 || !bytes.HasPrefix([]byte(out)[16:], []byte{0xed, 0xda, 0x0c, 0xed}) {
		t.Fatalf("backup -: exit %d, %d bytes, err %q", code, len(out), errOut)
	}
}

// Ensure that a viewer cannot write the server's config or make it pull a
// model, and that nobody configures the server over SSH.
func TestAttack_ViewerServerActions(t *testing.T) {
	ts := startServer(t, Options{})
	vic := ts.newKey(t, "vic", core.RoleViewer)
	root := ts.newKey(t, "boss", core.RoleAdmin)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, tc := range []struct {
		who  gossh.Signer
		cmd  string
		want string
	}{
		{vic, "config init", "runs only in a terminal on the server"},
		{root, "config init", "runs only in a terminal on the server"},
		{vic, "models pull tinyllama", "may not pull models"},
	} {
		_, errOut, code := ts.runCommand(t, tc.who, tc.cmd)
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, err %q", tc.cmd, code, errOut)
		}
	}
	if entries, _ := os.ReadDir(os.Getenv("XDG_CONFIG_HOME")); len(entries) > 0 {
		t.Fatalf("a config was written on the server: %v", entries)
	}
}

// Ensure that a huge command line is refused before it is parsed, quickly.
func TestAttack_LongCommandLine(t *testing.T) {
	ts := startServer(t, Options{})
	vic := ts.newKey(t, "vic", core.RoleViewer)
	line := "brief list " + strings.Repeat("'a' \"b\" ", 30_000) // 240 KB
	start := time.Now()
	_, errOut, code := ts.runCommand(t, vic, line)
	took := time.Since(start)
	if code != 2 || !strings.Contains(errOut, "longer than 16384 bytes") {
		t.Fatalf("long line: exit %d, err %q", code, errOut)
	}
	// Generous for a loaded machine; the quadratic splitter took 19 s.
	if took > 2*time.Second {
		t.Fatalf("refusing a long line took %v", took)
	}
}

// Ensure that a report over all of time costs what the data spans.
func TestAttack_ReportSinceYearOne(t *testing.T) {
	ts := startServer(t, Options{})
	vic := ts.newKey(t, "vic", core.RoleViewer)
	if _, err := ts.be.AddBrief(context.Background(), admin, core.Brief{Title: "One brief"}); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := ts.runCommand(t, vic, "report kpis --since 0001-01-01 --until 9999-12-31 --json")
	if code != 0 {
		t.Fatalf("report: exit %d, err %q", code, errOut)
	}
	var report struct{ From, To time.Time }
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatal(err)
	}
	if span := report.To.Sub(report.From); span > 60*24*time.Hour {
		t.Fatalf("the report covers %v (%v to %v), not the data's span", span, report.From, report.To)
	}
}

// Ensure that a command stops at its deadline, and that a person's commands
// end, and give back their slots, when the client goes away.
func TestAttack_DeadlineAndHangUp(t *testing.T) {
	ts := startServer(t, Options{StreamDeadline: 300 * time.Millisecond, CommandsPerPerson: 2})
	mo := ts.newKey(t, "mo", core.RoleMOps)

	// A stream that never ends is stopped at its deadline.
	sess, errOut := ts.startHeld(t, mo, "ingest -")
	if err := sess.Wait(); err == nil || !strings.Contains(errOut.String(), "past its deadline") {
		t.Fatalf("endless ingest: %v, %q", err, errOut.String())
	}

	// Two held streams fill mo's slots; a third is refused; once their
	// clients hang up, mo can run commands again.
	var clients []*gossh.Client
	for range 2 {
		c, err := ts.dial(mo)
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		if err := s.Start("ingest -"); err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	waitFor(t, "two commands running", func() bool { return ts.srv.limits.running("mo") == 2 })
	if _, errOut, code := ts.runCommand(t, mo, "status"); code != 5 || !strings.Contains(errOut, "running 2 commands") {
		t.Fatalf("third command: exit %d, err %q", code, errOut)
	}
	for _, c := range clients {
		c.Close()
	}
	waitFor(t, "the hung-up commands to end", func() bool { return ts.srv.limits.running("mo") == 0 })
	if _, errOut, code := ts.runCommand(t, mo, "status"); code != 0 {
		t.Fatalf("after hang-up: exit %d, err %q", code, errOut)
	}
}

// Ensure that thousands of connections that never authenticate neither
// use up the server nor keep a real person out.
func TestAttack_UnauthenticatedFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 5,000 connections")
	}
	ts := startServer(t, Options{HandshakeTimeout: 2 * time.Second})
	ana := ts.newKey(t, "ana", core.RoleCreative)
	// The flood comes from another loopback address than the person.
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}, Timeout: time.Second}
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for range 5000 {
		c, err := d.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatalf("dial %d: %v", len(held), err)
		}
		held = append(held, c)
	}
	waiting := func() int { ts.srv.gate.mu.Lock(); defer ts.srv.gate.mu.Unlock(); return ts.srv.gate.n }
	if n := waiting(); n > 16 {
		t.Fatalf("%d unauthenticated connections held from one address", n)
	}
	if out, errOut, code := ts.runCommand(t, ana, "status"); code != 0 || !strings.Contains(out, "briefs") {
		t.Fatalf("a real login during the flood: exit %d, err %q", code, errOut)
	}
	// Those the gate let in are closed at the handshake deadline.
	waitFor(t, "the waiting connections to time out", func() bool { return waiting() == 0 })
}

// Ensure that silent connections from a person's own address (a VPN or a
// jump host puts everyone behind one) do not keep them out: a new
// connection at the limit closes the oldest that has not spoken.
func TestAttack_SilentFloodFromSameAddress(t *testing.T) {
	ts := startServer(t, Options{HandshakeTimeout: 5 * time.Second})
	ana := ts.newKey(t, "ana", core.RoleCreative)
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for range 40 {
		c, err := net.DialTimeout("tcp", ts.addr, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	for range 3 {
		if out, errOut, code := ts.runCommand(t, ana, "status"); code != 0 || !strings.Contains(out, "briefs") {
			t.Fatalf("a login beside 40 silent connections: exit %d, err %q", code, errOut)
		}
	}
}

// Ensure that the idle timeout closes a cockpit whose person typed nothing,
// though the cockpit keeps drawing (its clock, live changes).
func TestAttack_IdleCockpitCloses(t *testing.T) {
	ts := startServer(t, Options{IdleTimeout: 1500 * time.Millisecond})
	ana := ts.newKey(t, "ana", core.RoleCreative)
	screen, _ := ts.openCockpit(t, ana, 80, 24)
	screen.waitFor(t, "ana · creative")
	screen.waitFor(t, "closed after 1.5s without input")
}

// Ensure that a panic in one session is answered with a short error, is
// logged with its stack, and leaves the server serving everyone else.
func TestAttack_PanicContained(t *testing.T) {
	var log syncBuffer
	ts := startServer(t, Options{Log: newTestLogger(&log)})
	ana := ts.newKey(t, "ana", core.RoleCreative)
	sess := &panickySession{}
	ts.srv.handle(sess)
	if !strings.Contains(sess.stderr.String(), "internal error") || sess.exit != 1 {
		t.Fatalf("the person was told %q, exit %d", sess.stderr.String(), sess.exit)
	}
	if !strings.Contains(log.String(), "session panicked") || !strings.Contains(log.String(), "goroutine") {
		t.Fatalf("log: %q", log.String())
	}
	if _, _, code := ts.runCommand(t, ana, "status"); code != 0 {
		t.Fatal("the server stopped serving after a panic")
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
