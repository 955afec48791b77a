// Package control is the unix socket beside the database on which the
// process that holds it runs commands for other processes. `tandem brief
// add` while the cockpit is open is forwarded here, runs in the cockpit's
// process, and the cockpit sees the change live.
//
// The protocol is JSON lines: the server greets with its pid, the client
// sends one Request, and the server streams output frames and ends with the
// exit code. The socket is mode 0600, so only the file's owner can connect.
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
	"sync"
	"time"
)

// Request is one command to run in the holder's process.
type Request struct {
	Args []string `json:"args"`
	// User is the caller's login name, recorded in the audit trail.
	User string `json:"user"`
	// Dir is the caller's working directory, for relative paths in Args.
	Dir string `json:"dir"`
	// Stdin says the caller's standard input follows the request on the
	// connection, until the caller closes its side for writing.
	Stdin bool `json:"stdin,omitempty"`
}

// frame is one line the server sends.
type frame struct {
	Hello  int    `json:"hello,omitempty"`
	Stdout string `json:"out,omitempty"`
	Stderr string `json:"err,omitempty"`
	Exit   *int   `json:"exit,omitempty"`
}

// Handler runs a request, reading stdin (nil when the caller sent none) and
// writing its output to stdout and stderr, and returns its exit code.
type Handler func(ctx context.Context, req Request, stdin io.Reader, stdout, stderr io.Writer) int

// Listen opens the control socket at path, readable by its owner only. A
// socket file left by a process that died is replaced: the caller holds the
// database lock, so no live holder can be using it.
func Listen(path string) (net.Listener, error) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	return ln, nil
}

// Serve accepts connections on ln and runs each request with h until ctx
// ends or ln is closed. It waits for running requests before returning.
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
	var stdin io.Reader
	if req.Stdin {
		stdin = r
	}
	code := h(ctx, req, stdin, streamWriter{out, false}, streamWriter{out, true})
	_ = out.send(frame{Exit: &code})
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
	mu  sync.Mutex
	enc *json.Encoder
}

func (w *frameWriter) send(f frame) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.enc.Encode(f)
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
