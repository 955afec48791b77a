package ssh

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"sync"

	gliderssh "github.com/charmbracelet/ssh"
)

// running is how many commands name has running now.
func (l *personLimits) running(name string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.people[name]; b != nil {
		return b.commands
	}
	return 0
}

// syncBuffer is a buffer the server's goroutines can log to.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newTestLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

// panickySession is a session whose key lookup panics, as a bug in a
// session's code would.
type panickySession struct {
	gliderssh.Session
	stderr syncBuffer
	exit   int
}

func (s *panickySession) Context() gliderssh.Context     { return emptyContext{} }
func (s *panickySession) RemoteAddr() net.Addr           { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }
func (s *panickySession) PublicKey() gliderssh.PublicKey { panic("boom") }
func (s *panickySession) Stderr() io.ReadWriter {
	return struct{ io.ReadWriter }{readWriter{&s.stderr}}
}
func (s *panickySession) Exit(code int) error { s.exit = code; return nil }

type readWriter struct{ w io.Writer }

func (rw readWriter) Read([]byte) (int, error)    { return 0, io.EOF }
func (rw readWriter) Write(p []byte) (int, error) { return rw.w.Write(p) }

// emptyContext holds no values.
type emptyContext struct{ gliderssh.Context }

func (emptyContext) Value(any) any { return nil }
