package cli

import (
	"context"
	"fmt"
	"io"
	"os"
)

// openInput opens a path argument, or stdin for "-", for reading until
// ctx ends: a read waiting on a pipe or a person's stdin returns the
// context's cause as soon as the command's deadline passes, its session
// ends or its user is removed, instead of when the input closes.
func (env *Env) openInput(ctx context.Context, arg string) (io.Reader, string, func(), error) {
	if arg == "-" {
		if env.In == nil {
			return nil, "", nil, usageErrorf("no standard input here; pass a file path")
		}
		return &contextReader{ctx: ctx, r: env.In}, "stdin", func() {}, nil
	}
	path, err := env.path(arg)
	if err != nil {
		return nil, "", nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", nil, fmt.Errorf("open %s: %w", arg, err)
	}
	return &contextReader{ctx: ctx, r: f}, arg, func() { f.Close() }, nil
}

// readInput reads all of the path argument arg (or stdin for "-"), at
// most limit bytes, until ctx ends; it returns the input's name for
// messages. More than limit bytes is a usage error naming what, the kind
// of content expected.
func (env *Env) readInput(ctx context.Context, arg string, limit int64, what string) ([]byte, string, error) {
	in, name, closeIn, err := env.openInput(ctx, arg)
	if err != nil {
		return nil, "", err
	}
	defer closeIn()
	data, err := io.ReadAll(io.LimitReader(in, limit+1))
	if err != nil {
		return nil, name, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, name, usageErrorf("%s is over %d bytes; %s is smaller", name, limit, what)
	}
	return data, name, nil
}

// contextReader reads from r until ctx ends. Each read runs on a goroutine
// of its own so that one blocked on r (a pipe held open) cannot hold the
// command past its context; that goroutine ends when r next returns.
type contextReader struct {
	ctx context.Context
	r   io.Reader
	buf []byte
	// abandoned says a read left running on r when ctx ended owns buf;
	// nothing more is read.
	abandoned bool
}

type readResult struct {
	n   int
	err error
}

// Read implements io.Reader.
func (c *contextReader) Read(p []byte) (int, error) {
	if c.abandoned || c.ctx.Err() != nil {
		return 0, context.Cause(c.ctx)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if cap(c.buf) < len(p) {
		c.buf = make([]byte, len(p))
	}
	buf := c.buf[:len(p)]
	done := make(chan readResult, 1)
	go func() {
		n, err := c.r.Read(buf)
		done <- readResult{n, err}
	}()
	select {
	case res := <-done:
		return copy(p, buf[:res.n]), res.err
	case <-c.ctx.Done():
		c.abandoned, c.buf = true, nil
		return 0, context.Cause(c.ctx)
	}
}
