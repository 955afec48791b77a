package ssh

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
)

var admin = core.Identity{Name: "root", Role: core.RoleAdmin}

type testServer struct {
	addr string
	be   *backend.Backend
	srv  *Server
}

// startServer runs a real server on 127.0.0.1 over a real store.
func startServer(t testing.TB, opts Options) *testServer {
	t.Helper()
	return startServerAt(t, filepath.Join(t.TempDir(), "t.db"), opts)
}

// startServerAt is startServer over the store at path.
func startServerAt(t testing.TB, path string, opts Options) *testServer {
	t.Helper()
	dir := filepath.Dir(path)
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	be := backend.New(st)
	opts.HostKeyPath = filepath.Join(dir, "host_ed25519")
	opts.Workspace = "t.db"
	srv, err := New(be, opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if err := <-done; err != nil {
			t.Error(err)
		}
		st.Close()
	})
	return &testServer{addr: ln.Addr().String(), be: be, srv: srv}
}

// newKey makes a key pair and registers it for name with role (unless role
// is empty).
func (ts *testServer) newKey(t testing.TB, name string, role core.Role) gossh.Signer {
	t.Helper()
	signer := newSigner(t)
	if role != "" {
		line := string(gossh.MarshalAuthorizedKey(signer.PublicKey()))
		if _, err := ts.be.AddUser(context.Background(), admin, core.User{Name: name, Role: role, Keys: []string{line}}); err != nil {
			t.Fatal(err)
		}
	}
	return signer
}

// newSigner makes a key pair.
func newSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer
}

func (ts *testServer) dial(signer gossh.Signer) (*gossh.Client, error) {
	return gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            "anyone",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	})
}

// runCommand runs a command in a session without a pty, on a connection
// of its own.
func (ts *testServer) runCommand(t *testing.T, signer gossh.Signer, cmd string) (string, string, int) {
	t.Helper()
	client, err := ts.dial(signer)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	return runIn(t, client, cmd)
}

func asExit(err error, target **gossh.ExitError) bool {
	e, ok := err.(*gossh.ExitError)
	if ok {
		*target = e
	}
	return ok
}

func TestServer_KnownKeyRunsCommands(t *testing.T) {
	ts := startServer(t, Options{})
	ana := ts.newKey(t, "ana", core.RoleCreative)
	out, errOut, code := ts.runCommand(t, ana, "brief add --title Launch --json")
	if code != 0 || !strings.Contains(out, `"title": "Launch"`) {
		t.Fatalf("brief add over ssh: %d %q %q", code, out, errOut)
	}
	audit, _ := ts.be.Audit(context.Background())
	if last := audit[len(audit)-1]; last.Actor != "ana" {
		t.Fatalf("the write is audited as %q", last.Actor)
	}
	out, _, code = ts.runCommand(t, ana, "status --json")
	if code != 0 || !strings.Contains(out, `"briefs": 1`) {
		t.Fatalf("status over ssh: %d %q", code, out)
	}
	if _, errOut, code := ts.runCommand(t, ana, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown command: %d %q", code, errOut)
	}
}

// Ensure that a command of blanks is a usage error (not the server's own
// command line parsed for it), and that --db is refused: a person over
// SSH acts on the workspace served.
func TestServer_BlankCommandAndDB(t *testing.T) {
	ts := startServer(t, Options{})
	ana := ts.newKey(t, "ana", core.RoleAdmin)
	if out, errOut, code := ts.runCommand(t, ana, "   "); code != 2 || out != "" || !strings.HasPrefix(errOut, "tandem: the command is blank;") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("blank command: %d %q %q", code, out, errOut)
	}
	if out, errOut, code := ts.runCommand(t, ana, "import - --db elsewhere.db"); code != 2 || out != "" || !strings.Contains(errOut, "you act on the workspace the server serves") {
		t.Errorf("--db over ssh: %d %q %q", code, out, errOut)
	}
}

func TestServer_UnknownKeyRefused(t *testing.T) {
	ts := startServer(t, Options{})
	stranger := ts.newKey(t, "", "")
	if c, err := ts.dial(stranger); err == nil {
		c.Close()
		t.Fatal("an unknown key was admitted")
	}
	// With --allow-unknown-viewer it gets in, read-only.
	ts2 := startServer(t, Options{AllowUnknownViewer: true})
	guest := ts2.newKey(t, "", "")
	if out, _, code := ts2.runCommand(t, guest, "brief list"); code != 0 || !strings.Contains(out, "TITLE") {
		t.Fatalf("guest list: %d %q", code, out)
	}
	if _, errOut, code := ts2.runCommand(t, guest, "brief add --title x"); code != 4 || !strings.Contains(errOut, "(viewer) may not") {
		t.Fatalf("guest add: %d %q", code, errOut)
	}
}

// Ensure that a user removed while the server runs is refused at the next
// connection: authorization reads the store every time.
func TestServer_RemovedUserRefused(t *testing.T) {
	ts := startServer(t, Options{})
	bo := ts.newKey(t, "bo", core.RoleMOps)
	if _, _, code := ts.runCommand(t, bo, "status"); code != 0 {
		t.Fatal("bo refused before removal")
	}
	if err := ts.be.RemoveUser(context.Background(), admin, "bo"); err != nil {
		t.Fatal(err)
	}
	if c, err := ts.dial(bo); err == nil {
		c.Close()
		t.Fatal("a removed user was admitted")
	}
}

func TestServer_ViewerCannotApprove(t *testing.T) {
	ts := startServer(t, Options{})
	vic := ts.newKey(t, "vic", core.RoleViewer)
	_, errOut, code := ts.runCommand(t, vic, "approve 1")
	if code != 4 || !strings.Contains(errOut, "vic (viewer) may not decide approvals") {
		t.Fatalf("viewer approve: %d %q", code, errOut)
	}
}

// Ensure that text with escape sequences is printed harmless over SSH.
func TestServer_SanitizesOutput(t *testing.T) {
	ts := startServer(t, Options{})
	ana := ts.newKey(t, "ana", core.RoleAdmin)
	// Every stored text refuses escapes and bidi controls at the door; free
	// text such as the brand voice may hold zero-width characters, which
	// only the printer removes.
	if _, _, err := ts.be.SaveGuideline(context.Background(), admin, core.BrandGuideline{Voice: "x\u200b\ufeff\u2060y"}); err != nil {
		t.Fatal(err)
	}
	out, _, _ := ts.runCommand(t, ana, "guideline show")
	if strings.ContainsAny(out, "\u200b\ufeff\u2060") || !strings.Contains(out, "xy") {
		t.Fatalf("output %q", out)
	}
}

// ptySession opens a cockpit session and collects what it draws.
type ptySession struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (p *ptySession) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.Write(b)
}

func (p *ptySession) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		found := strings.Contains(p.buf.String(), text)
		p.mu.Unlock()
		if found {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t.Fatalf("never saw %q; screen so far:\n%s", text, p.buf.String())
}

func (ts *testServer) openCockpit(t *testing.T, signer gossh.Signer, w, h int) (*ptySession, io.WriteCloser) {
	t.Helper()
	screen, in, _ := ts.openCockpitSession(t, signer, w, h)
	return screen, in
}

// openCockpitSession opens a cockpit as openCockpit does and returns its
// session too, to wait for its end. The screen shows stderr as well, as a
// terminal does.
func (ts *testServer) openCockpitSession(t *testing.T, signer gossh.Signer, w, h int) (*ptySession, io.WriteCloser, *gossh.Session) {
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
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	out := &ptySession{}
	sess.Stdout, sess.Stderr = out, out
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	// Answer the renderer's questions as a dark terminal would: its
	// background colour (OSC 11) and device attributes (DA1). A session
	// refused at once has closed its input; its screen says why.
	_, _ = io.WriteString(in, "\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;22c")
	return out, in, sess
}

// Ensure that a write in one session shows in every other session without
// a key press, each under its own identity.
func TestServer_FanOut(t *testing.T) {
	ts := startServer(t, Options{})
	ana := ts.newKey(t, "ana", core.RoleCreative)
	bo := ts.newKey(t, "bo", core.RoleMOps)
	screenA, _ := ts.openCockpit(t, ana, 120, 40)
	screenB, _ := ts.openCockpit(t, bo, 80, 24)
	screenA.waitFor(t, "ana · creative")
	screenB.waitFor(t, "bo · mops")
	if _, _, code := ts.runCommand(t, bo, "brief add --title Fanout"); code != 0 {
		t.Fatal("brief add failed")
	}
	screenA.waitFor(t, "bo brief add 1")
	screenB.waitFor(t, "bo brief add 1")
}

// Ensure that a session over the limit is told so and closed with exit 5
// (unavailable: try again), not 1.
func TestServer_MaxSessions(t *testing.T) {
	ts := startServer(t, Options{MaxSessions: 1})
	ana := ts.newKey(t, "ana", core.RoleAdmin)
	screen, _ := ts.openCockpit(t, ana, 80, 24)
	screen.waitFor(t, "ana · admin")
	_, errOut, code := ts.runCommand(t, ana, "status")
	if code != 5 || !strings.Contains(errOut, "at its limit of 1 sessions") {
		t.Fatalf("over the limit: %d %q", code, errOut)
	}
}
