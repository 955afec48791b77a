package cli

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/control"
)

// runLocal runs args as the local CLI does: open the file at dbPath, or
// forward to its holder.
func runLocal(t *testing.T, dbPath string, args ...string) (int, string, string, time.Duration) {
	t.Helper()
	var out, errOut bytes.Buffer
	var opened []*backend.Backend
	env := &Env{Identity: core.Identity{Name: "cli-user", Role: core.RoleAdmin}, Out: &out, Err: &errOut, Now: time.Now, DBPath: dbPath}
	args = append([]string{"--db", dbPath}, args...)
	env.Connect = ConnectLocal(env, args, func(be *backend.Backend) { opened = append(opened, be) })
	start := time.Now()
	code := Execute(context.Background(), NewRoot(env), env, args)
	elapsed := time.Since(start)
	for _, st := range opened {
		st.Close()
	}
	return code, out.String(), errOut.String(), elapsed
}

// shortTempDir returns a directory whose paths fit in a unix socket address.
func shortTempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "tdm")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// Ensure that a command run while another process holds the database is
// forwarded over the control socket, runs in the holder, and its change
// reaches the holder's change feed.
func TestConnectLocal_ForwardsToHolder(t *testing.T) {
	path := filepath.Join(shortTempDir(t), "held.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	be := backend.New(st)
	sub := st.Subscribe(16)
	ln, err := control.Listen(store.SocketPath(path))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- control.Serve(ctx, ln, ControlHandler(be))
	}()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Error(err)
		}
	}()

	code, out, errOut, _ := runLocal(t, path, "brief", "add", "--title", "From another terminal")
	if code != 0 || !strings.Contains(out, "added brief 1") {
		t.Fatalf("forwarded add: exit %d, out %q, err %q", code, out, errOut)
	}
	select {
	case c := <-sub.C():
		// The actor is who the kernel says is calling, not a name the
		// request could claim.
		if c.Action != "brief.add" || c.Actor != loginName(os.Getuid()) {
			t.Fatalf("holder saw %+v", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the holder's feed never saw the forwarded write")
	}
	// Failures come back with their exit code and message.
	code, _, errOut, _ = runLocal(t, path, "brief", "show", "42")
	if code != ExitFailure || !strings.Contains(errOut, "not found") {
		t.Fatalf("forwarded failure: %d %q", code, errOut)
	}
	code, _, _, _ = runLocal(t, path, "brief", "move", "1")
	if code != ExitUsage {
		t.Fatalf("forwarded usage error: exit %d", code)
	}
}

// Ensure that when the holder does not answer on its socket, the command
// fails within about a second with the error that says what to do.
func TestConnectLocal_HolderNotAnswering(t *testing.T) {
	path := filepath.Join(shortTempDir(t), "hung.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// A holder that accepts but never greets, like a stopped process.
	ln, err := net.Listen("unix", store.SocketPath(path))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	code, _, errOut, elapsed := runLocal(t, path, "brief", "list")
	if code != ExitUnavailable || !strings.Contains(errOut, "in use by another tandem (pid") || !strings.Contains(errOut, "tandem serve") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if elapsed > 3*time.Second {
		t.Fatalf("took %v to give up", elapsed)
	}
}

// Ensure that a file that is not a database is reported and left untouched.
func TestConnectLocal_NotDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	content := []byte("my notes\n")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut, _ := runLocal(t, path, "brief", "list")
	if code != ExitUsage || !strings.Contains(errOut, "not a tandem database") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, content) {
		t.Fatal("the file was modified")
	}
}

// Ensure that another program's bbolt file named with --db is refused
// (exit 2) and left as it was: `status` used to add tandem's buckets to it.
func TestConnectLocal_ForeignDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("sessions"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("v"))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	content, _ := os.ReadFile(path)
	for _, args := range [][]string{{"status"}, {"brief", "list"}, {"brief", "add", "--title", "x"}} {
		code, _, errOut, _ := runLocal(t, path, args...)
		if code != ExitUsage || !strings.Contains(errOut, "is a bbolt database of another program; tandem opens only its own") || strings.Count(errOut, "\n") != 1 {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, content) {
		t.Fatal("the file was modified")
	}
}

func TestDefaultDBPath(t *testing.T) {
	env := map[string]string{"HOME": "/home/ana"}
	getenv := func(k string) string { return env[k] }
	if got := DefaultDBPath(getenv); got != "/home/ana/.local/share/tandem/tandem.db" {
		t.Errorf("DefaultDBPath = %s", got)
	}
	env["XDG_DATA_HOME"] = "/data"
	if got := DemoDBPath(getenv); got != "/data/tandem/demo.db" {
		t.Errorf("DemoDBPath = %s", got)
	}
	env["TANDEM_DB"] = "/x/y.db"
	if got := DefaultDBPath(getenv); got != "/x/y.db" {
		t.Errorf("with TANDEM_DB = %s", got)
	}
}

// Ensure that a command forwarded to the holder runs with the caller's
// model settings, not the holder's: OLLAMA_HOST=… tandem generate asks the
// caller's server.
func TestConnectLocal_ForwardsCallersModels(t *testing.T) {
	path := filepath.Join(shortTempDir(t), "held.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	be := backend.NewWith(st, backend.Settings{Models: backend.ModelSettings{Host: "127.0.0.1:1", Model: "holders-model"}})
	if _, err := be.AddBrief(context.Background(), admin, core.Brief{Title: "x"}); err != nil {
		t.Fatal(err)
	}
	ln, err := control.Listen(store.SocketPath(path))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- control.Serve(ctx, ln, ControlHandler(be)) }()
	defer func() { cancel(); <-served }()

	var out, errOut bytes.Buffer
	env := &Env{Identity: admin, Out: &out, Err: &errOut, Now: time.Now, DBPath: path,
		Models: backend.ModelSettings{Host: "127.0.0.2:9"}}
	args := []string{"--db", path, "generate", "--brief", "1"}
	env.Connect = ConnectLocal(env, args, func(*backend.Backend) { t.Error("opened the held file") })
	code := Execute(context.Background(), NewRoot(env), env, args)
	if code != ExitUnavailable || !strings.Contains(errOut.String(), "127.0.0.2:9") {
		t.Fatalf("exit %d, stderr %q; want the caller's Ollama host named", code, errOut.String())
	}
}
