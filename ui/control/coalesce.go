package control

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// coalesceDelay is the longest output waits to be sent with more: a
// command's table goes in one frame, and progress still shows as it comes.
const coalesceDelay = 20 * time.Millisecond

// coalescer gathers a command's many small writes (a table writes cell by
// cell) into few frames: it sends once it holds a full buffer, or
// coalesceDelay after the first write it holds.
type coalescer struct {
	mu    sync.Mutex
	buf   *bufio.Writer
	timer *time.Timer
	err   error
}

func newCoalescer(w io.Writer) *coalescer {
	return &coalescer{buf: bufio.NewWriterSize(w, 32<<10)}
}

// Write implements io.Writer.
func (c *coalescer) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.buf.Write(p)
	if err != nil {
		c.err = err
		return n, err
	}
	if c.buf.Buffered() > 0 && c.timer == nil {
		c.timer = time.AfterFunc(coalesceDelay, c.Flush)
	}
	return n, nil
}

// Flush sends what is held.
func (c *coalescer) Flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	if c.err == nil {
		c.err = c.buf.Flush()
	}
}
