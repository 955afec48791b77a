// Package control is the unix socket beside the database on which the
// process that holds it runs commands for other processes. `tandem brief
// add` while the cockpit is open is forwarded here, runs in the cockpit's
// process, and the cockpit sees the change live.
//
// The protocol is JSON lines: the server greets with its pid, the client
// sends one Request, and the server streams output frames and ends with the
// exit code. Only the holder's own user may connect: the socket is made
// mode 0600 before it has its name, and every connection's peer is checked
// with the kernel (SO_PEERCRED) before anything runs.
package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"
)

// Request is one command to run in the holder's process. Who runs it is
// not part of the request: it is the peer the kernel reports.
type Request struct {
	Args []string `json:"args"`
	// Dir is the caller's working directory, for relative paths in Args.
	Dir string `json:"dir"`
	// Stdin says the caller's standard input follows the request on the
	// connection, until the caller closes its side for writing.
	Stdin bool `json:"stdin,omitempty"`
	// Model, OllamaHost and EmbedModel are the caller's own model
	// settings, empty where it has none: the command runs with them.
	Model      string `json:"model,omitempty"`
	OllamaHost string `json:"ollama_host,omitempty"`
	EmbedModel string `json:"embed_model,omitempty"`
}

// frame is one line the server sends.
type frame struct {
	Hello  int    `json:"hello,omitempty"`
	Stdout string `json:"out,omitempty"`
	Stderr string `json:"err,omitempty"`
	Exit   *int   `json:"exit,omitempty"`
}

// Peer is the process on the other end of a connection, as the kernel
// reports it.
type Peer struct {
	UID int
	PID int
}

// Handler runs a request from peer, reading stdin (nil when the caller sent
// none) and writing its output to stdout and stderr, and returns its exit
// code. Its context ends when the caller goes away.
type Handler func(ctx context.Context, peer Peer, req Request, stdin io.Reader, stdout, stderr io.Writer) int

// Listen opens the control socket at path for this user only. The socket
// is made in a new private folder beside path (mode 0700, whatever the
// umask), set to 0600 there and only then renamed to path, so there is no
// moment in which another user could connect. A socket file left by a
// process that died is replaced: the caller holds the database lock, so no
// live holder can be using it.
func Listen(path string) (net.Listener, error) {
	dir, err := os.MkdirTemp(filepath.Dir(path), ".tandem-sock-*")
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o700); err != nil { // our own new folder
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	tmp := filepath.Join(dir, "s")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: tmp, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	ln.SetUnlinkOnClose(false) // it is renamed; the holder removes path itself
	if err := os.Chmod(tmp, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	return &socketListener{UnixListener: ln, path: path}, nil
}

// socketListener removes its socket file when closed.
type socketListener struct {
	*net.UnixListener
	path string
	once sync.Once
}

// Close implements net.Listener.
func (l *socketListener) Close() error {
	err := l.UnixListener.Close()
	l.once.Do(func() { os.Remove(l.path) })
	return err
}

// Serve accepts connections on ln and runs each request with h until ctx
// ends or ln is closed. A connection from another user is refused before
// its request is read. It waits for running requests before returning.
func Serve(ctx context.Context, ln net.Listener, h Handler) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("control socket: %w", err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			serveConn(ctx, conn, h)
		}()
	}
}

// maxRequest bounds a request line.
const maxRequest = 1 << 20

func serveConn(ctx context.Context, conn net.Conn, h Handler) {
	out := &frameWriter{enc: json.NewEncoder(conn)}
	peer, err := peerOf(conn)
	if err == nil && peer.UID != os.Getuid() {
		err = fmt.Errorf("uid %d is not the holder's user (uid %d)", peer.UID, os.Getuid())
	}
	if err != nil {
		code := 4
		_ = out.send(frame{Hello: os.Getpid()})
		_ = out.send(frame{Stderr: fmt.Sprintf("tandem: refused: %v\n", err), Exit: &code})
		return
	}
	if out.send(frame{Hello: os.Getpid()}) != nil {
		return
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReaderSize(conn, 64<<10)
	var req Request
	line, err := readRequestLine(r)
	if err == nil {
		err = json.Unmarshal(line, &req)
	}
	if err != nil {
		code := 2
		_ = out.send(frame{Stderr: fmt.Sprintf("tandem: bad control request: %v\n", err), Exit: &code})
		return
	}
	_ = conn.SetReadDeadline(time.Time{})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out.onError = cancel // the caller is gone once its output cannot be sent
	var stdin io.Reader
	if req.Stdin {
		stdin = r
	} else {
		go watchHangUp(r, cancel)
	}
	stdout := newCoalescer(streamWriter{out, false})
	stderr := newCoalescer(streamWriter{out, true})
	code := run(ctx, h, peer, req, stdin, stdout, stderr)
	stdout.Flush()
	stderr.Flush()
	_ = out.send(frame{Exit: &code})
}

// watchHangUp cancels once the caller closes its side: it sends nothing
// after the request unless it streams stdin.
func watchHangUp(r io.Reader, cancel context.CancelFunc) {
	_, _ = io.Copy(io.Discard, r)
	cancel()
}

// run calls h, containing a panic to this request: the stack goes to the
// holder's standard error, the caller gets a short error.
func run(ctx context.Context, h Handler, peer Peer, req Request, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "tandem: control request panicked: %v\n%s", r, debug.Stack())
			fmt.Fprint(stderr, "tandem: internal error in the process holding the database; it was logged there\n")
			code = 1
		}
	}()
	return h(ctx, peer, req, stdin, stdout, stderr)
}

// readRequestLine reads the request's JSON line, refusing one past
// maxRequest so a bad peer cannot make us buffer without end.
func readRequestLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxRequest {
			return nil, fmt.Errorf("request longer than %d bytes", maxRequest)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return line, err
	}
}

// frameWriter serializes frames from a command's two output streams.
type frameWriter struct {
	mu      sync.Mutex
	enc     *json.Encoder
	onError func()
}

func (w *frameWriter) send(f frame) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	err := w.enc.Encode(f)
	if err != nil && w.onError != nil {
		w.onError()
	}
	return err
}

// streamWriter is one output stream of a command, sent as frames.
type streamWriter struct {
	w      *frameWriter
	stderr bool
}

func (s streamWriter) Write(p []byte) (int, error) {
	f := frame{Stdout: string(p)}
	if s.stderr {
		f = frame{Stderr: string(p)}
	}
	if err := s.w.send(f); err != nil {
		return 0, err
	}
	return len(p), nil
}
