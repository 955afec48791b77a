package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// heldInput is stdin held open: a read blocks until the test ends, and
// entered closes once a read has begun.
type heldInput struct {
	entered chan struct{}
	once    sync.Once
	release chan struct{}
}

func (h *heldInput) Read([]byte) (int, error) {
	h.once.Do(func() { close(h.entered) })
	<-h.release
	return 0, io.EOF
}

// Ensure that a read already waiting on an input that never comes returns
// the context's cause as soon as it ends, and that every read after it
// does too.
func TestContextReader_EndsWithContext(t *testing.T) {
	held := &heldInput{entered: make(chan struct{}), release: make(chan struct{})}
	defer close(held.release)
	removed := errors.New("your access to this workspace was removed")
	ctx, cancel := context.WithCancelCause(context.Background())
	env := &Env{In: held}
	read := make(chan error, 1)
	go func() {
		_, _, err := env.readInput(ctx, "-", 1<<10, "a guideline file")
		read <- err
	}()
	<-held.entered // the read waits on the input
	cancel(removed)
	select {
	case err := <-read:
		if !errors.Is(err, removed) {
			t.Fatalf("read: %v; want the context's cause", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the read did not end with its context")
	}
	r := &contextReader{ctx: ctx, r: strings.NewReader("more")}
	if n, err := r.Read(make([]byte, 4)); n != 0 || !errors.Is(err, removed) {
		t.Fatalf("a read after the end: %d, %v", n, err)
	}
}

// Ensure that readInput reads a whole input within its bound, and refuses
// one past it as a usage error naming the bound.
func TestReadInput_Bounded(t *testing.T) {
	env := &Env{In: strings.NewReader("0123456789")}
	data, name, err := env.readInput(context.Background(), "-", 10, "a key file")
	if err != nil || string(data) != "0123456789" || name != "stdin" {
		t.Fatalf("read %q from %s: %v", data, name, err)
	}
	env.In = strings.NewReader("0123456789!")
	_, _, err = env.readInput(context.Background(), "-", 10, "a key file")
	var usage *usageError
	if !errors.As(err, &usage) || err.Error() != "stdin is over 10 bytes; a key file is smaller" {
		t.Fatalf("an input past its bound: %v", err)
	}
}

// BenchmarkContextReader measures reading a large input line by line
// through contextReader, as ingest reads stdin, against the plain reader.
func BenchmarkContextReader(b *testing.B) {
	input := bytes.Repeat([]byte(`{"experiment":"e","variant":"a","unit":"u1","kind":"exposure"}`+"\n"), 1<<16)
	for _, wrapped := range []bool{false, true} {
		name := "plain"
		if wrapped {
			name = "context"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(input)))
			for b.Loop() {
				var r io.Reader = bytes.NewReader(input)
				if wrapped {
					r = &contextReader{ctx: context.Background(), r: r}
				}
				sc := bufio.NewScanner(r)
				for sc.Scan() {
				}
			}
		})
	}
}
