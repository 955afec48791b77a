package control

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func listen(t *testing.T, h Handler) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "ctl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "t.sock")
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { Serve(ctx, ln, h); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return path
}

// Ensure that a request's output streams and exit code come back, and the
// socket is its owner's alone.
func TestForward(t *testing.T) {
	path := listen(t, func(_ context.Context, peer Peer, req Request, stdin io.Reader, out, errOut io.Writer) int {
		in, _ := io.ReadAll(stdin)
		io.WriteString(out, strings.Join(req.Args, " ")+" by uid "+strconv.Itoa(peer.UID)+" with "+string(in)+"\n")
		io.WriteString(errOut, "warning\n")
		return 3
	})
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket mode = %v, %v", fi.Mode().Perm(), err)
	}
	var out, errOut bytes.Buffer
	code, err := Forward(context.Background(), path, Request{Args: []string{"brief", "list"}, Stdin: true}, strings.NewReader("piped input"), &out, &errOut)
	if err != nil || code != 3 || out.String() != "brief list by uid "+strconv.Itoa(os.Getuid())+" with piped input\n" || errOut.String() != "warning\n" {
		t.Fatalf("Forward = %d, %v, out %q, err %q", code, err, out.String(), errOut.String())
	}
}

// Ensure that a malformed request gets a usage exit, not a crash.
func TestServe_BadRequest(t *testing.T) {
	path := listen(t, func(context.Context, Peer, Request, io.Reader, io.Writer, io.Writer) int {
		t.Error("handler ran")
		return 0
	})
	conn, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "{not json\n")
	sc := bufio.NewScanner(conn)
	var last frame
	for sc.Scan() {
		if err := json.Unmarshal(sc.Bytes(), &last); err != nil {
			t.Fatal(err)
		}
		if last.Exit != nil {
			break
		}
	}
	if last.Exit == nil || *last.Exit != 2 || !strings.Contains(last.Stderr, "bad control request") {
		t.Fatalf("last frame = %+v", last)
	}
}

// Ensure that nothing listening gives ErrNoAnswer at once.
func TestForward_NoSocket(t *testing.T) {
	_, err := Forward(context.Background(), filepath.Join(t.TempDir(), "none.sock"), Request{}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "does not answer") {
		t.Fatalf("err = %v", err)
	}
}
