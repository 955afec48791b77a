package control

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Ensure that the socket is its owner's alone from the moment it has its
// name, even under a umask that would leave it open to everyone, and that
// the folder it lives in keeps its own mode.
func TestListen_Umask000(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, os.ModeSticky|0o777); err != nil { // a shared folder
		t.Fatal(err)
	}
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	path := filepath.Join(dir, "t.sock")
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket %v, %v", fi.Mode(), err)
	}
	if di, _ := os.Stat(dir); di.Mode()&os.ModeSticky == 0 || di.Mode().Perm() != 0o777 {
		t.Fatalf("the folder's mode changed to %v", di.Mode())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left beside the socket: %v", entries)
	}
	ln.Close()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the socket outlived its listener: %v", err)
	}
}

// Ensure that a process of another user that reaches the socket anyway is
// refused before its request is read: the peer is checked with the kernel.
func TestServe_RefusesOtherUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to connect as another user")
	}
	// A folder the other user can reach, holding the socket and a copy of
	// this test binary for the other user to run.
	dir, err := os.MkdirTemp("", "tandem-peer-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "control.test")
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	ran := make(chan struct{}, 1)
	path := filepath.Join(dir, "t.sock")
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		Serve(ctx, ln, func(context.Context, Peer, Request, io.Reader, io.Writer, io.Writer) int { ran <- struct{}{}; return 0 })
		close(done)
	}()
	defer func() { cancel(); <-done }()
	// Open the socket's mode as a misconfigured system might.
	if err := os.Chmod(path, 0o666); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run", "^TestPeerDialHelper$")
	cmd.Env = append(os.Environ(), "TANDEM_PEER_DIAL="+path)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "exit 4") || !strings.Contains(string(out), "not the holder's user") {
		t.Fatalf("another user: %v\n%s", err, out)
	}
	select {
	case <-ran:
		t.Fatal("the request of another user ran")
	case <-time.After(100 * time.Millisecond):
	}
}

// TestPeerDialHelper runs in a child process as another user: it sends a
// request and prints the frames it gets back.
func TestPeerDialHelper(t *testing.T) {
	path := os.Getenv("TANDEM_PEER_DIAL")
	if path == "" {
		t.Skip("run by TestServe_RefusesOtherUser")
	}
	conn, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintln(conn, `{"args":["user","add","pwn","--role","admin"]}`)
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		var f frame
		if json.Unmarshal(sc.Bytes(), &f) == nil && f.Exit != nil {
			fmt.Printf("exit %d: %s", *f.Exit, f.Stderr)
		}
	}
}
