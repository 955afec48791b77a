package sanitize

import (
	"io"
	"sync"
	"unicode/utf8"
)

// filter is what a Writer does to the runes going through it.
type filter interface {
	// step appends what r becomes to dst; invalid marks a byte that is not
	// UTF-8.
	step(dst []byte, r rune, invalid bool) []byte
	// passes reports whether p would come through unchanged, so that it
	// can be written as it is.
	passes(p []byte) bool
}

// Writer filters a stream of text on its way to an underlying writer. A
// rune or escape sequence split across two writes is handled as if it had
// come in one. Nothing is held back but the first bytes of a rune not yet
// complete, so output appears as it is written. It is safe for concurrent
// use, as the os.Stdout it usually replaces is.
type Writer struct {
	mu      sync.Mutex
	w       io.Writer
	f       filter
	partial []byte // the start of a rune the next write completes
	out     []byte // reused output buffer
}

// NewWriter returns a Writer that removes from everything written to it
// what Text removes, keeping newlines and tabs.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w, f: &stripper{keepLines: true}}
}

// Write implements io.Writer: it writes p, cleaned, to the underlying
// writer and reports all of p written unless that write fails.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.partial) == 0 && w.f.passes(p) {
		if _, err := w.w.Write(p); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	in := p
	if len(w.partial) > 0 {
		in = append(w.partial, p...)
		w.partial = nil
	}
	out := w.out[:0]
	for i := 0; i < len(in); {
		if c := in[i]; c < utf8.RuneSelf {
			out = w.f.step(out, rune(c), false)
			i++
			continue
		}
		if !utf8.FullRune(in[i:]) {
			w.partial = append([]byte(nil), in[i:]...)
			break
		}
		r, size := utf8.DecodeRune(in[i:])
		out = w.f.step(out, r, size == 1 && r == utf8.RuneError)
		i += size
	}
	w.out = out
	if len(out) > 0 {
		if _, err := w.w.Write(out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush ends the stream: the start of a rune that never completed is
// treated as the invalid UTF-8 it is, and the Writer starts afresh, as if
// new. Call it once everything has been written.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []byte
	for _, c := range w.partial {
		out = w.f.step(out, rune(c), true)
	}
	w.partial = nil
	if s, ok := w.f.(*stripper); ok {
		s.st = ground // an unfinished sequence is dropped
	}
	if len(out) == 0 {
		return nil
	}
	_, err := w.w.Write(out)
	return err
}
