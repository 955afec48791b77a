package sanitize

import (
	"bytes"
	"errors"
	"testing"
)

// writeSplit writes s to a new writer from newWriter in two writes, cut at
// byte i, flushes it and returns what came out.
func writeSplit(t *testing.T, newWriter func(*bytes.Buffer) *Writer, s string, i int) string {
	t.Helper()
	var buf bytes.Buffer
	w := newWriter(&buf)
	for _, part := range []string{s[:i], s[i:]} {
		if n, err := w.Write([]byte(part)); err != nil || n != len(part) {
			t.Fatalf("Write(%q) = %d, %v", part, n, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// cuts are the places to cut s at: every byte of a short string, and of a
// long one its first and last bytes and a stride between.
func cuts(s string) []int {
	var at []int
	for i := 0; i <= len(s); i++ {
		if len(s) <= 256 || i < 64 || i > len(s)-64 || i%61 == 0 {
			at = append(at, i)
		}
	}
	return at
}

func newTextWriter(b *bytes.Buffer) *Writer { return NewWriter(b) }

// Ensure that a Writer removes what Text removes wherever the text is cut:
// an escape sequence or a rune split across writes is handled whole.
func TestWriter_Split(t *testing.T) {
	for _, s := range append(fuzzSeeds(), "a\x1b]52;c;YQ==\x1b\\b", "é\u202e👍", "x\u009b2Jy") {
		want := Text(s)
		for _, i := range cuts(s) {
			if got := writeSplit(t, newTextWriter, s, i); got != want {
				t.Fatalf("cut at %d of %q: got %q, want %q", i, s, got, want)
			}
		}
	}
}

// Ensure that bytes of a rune cut short by the end of the stream, and a
// sequence left open, do not leak into the next use after Flush.
func TestWriter_Flush(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.Write([]byte("a\xe2\x80"))
	w.Flush()
	w.Write([]byte("\xaeb\x1b]0;"))
	w.Flush()
	w.Write([]byte("c"))
	if got := buf.String(); got != "abc" {
		t.Fatalf("got %q, want %q", got, "abc")
	}
}

// Ensure that plain text goes through without a copy and that a failed
// write is reported.
func TestWriter_Errors(t *testing.T) {
	boom := errors.New("boom")
	w := NewWriter(failWriter{boom})
	for _, s := range []string{"plain", "\x1b[2Jnot plain"} {
		if n, err := w.Write([]byte(s)); !errors.Is(err, boom) || n != 0 {
			t.Errorf("Write(%q) = %d, %v; want 0, %v", s, n, err, boom)
		}
	}
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

func FuzzWriter(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, uint(len(s)/2))
	}
	f.Fuzz(func(t *testing.T, s string, cut uint) {
		i := int(cut % uint(len(s)+1))
		if got, want := writeSplit(t, newTextWriter, s, i), Text(s); got != want {
			t.Fatalf("cut at %d of %q: got %q, want %q", i, s, got, want)
		}
	})
}

func BenchmarkWriter(b *testing.B) {
	line := []byte("12  in production  Spring launch email  ana  email  2026-12-01\n")
	w := NewWriter(new(bytes.Buffer))
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		w.Write(line)
	}
}
