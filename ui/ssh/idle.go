package ssh

import (
	"io"
	"math"
	"os"
	"sync/atomic"
	"time"
)

// activity records when a person last typed. The idle timeout counts from
// it: what the server draws (the cockpit's clock, live changes) is not the
// person being there.
type activity struct{ last atomic.Int64 }

func newActivity(now time.Time) *activity {
	a := &activity{}
	a.last.Store(now.UnixNano())
	return a
}

func (a *activity) touch() { a.last.Store(time.Now().UnixNano()) }

// watch calls onIdle once no input has come for timeout, and returns a
// function that stops watching. It wakes only when the timeout could have
// passed, not on a tick.
func (a *activity) watch(timeout time.Duration, onIdle func()) (stop func()) {
	var t *time.Timer
	t = time.AfterFunc(math.MaxInt64, func() {
		idle := time.Since(time.Unix(0, a.last.Load()))
		if idle >= timeout {
			onIdle()
			return
		}
		t.Reset(timeout - idle)
	})
	t.Reset(timeout) // after t is set, so the callback always sees it
	return func() { t.Stop() }
}

// reader returns in with every read that brings bytes recorded. A terminal
// file stays a file (bubbletea puts it in raw mode through its descriptor).
func (a *activity) reader(in io.Reader) io.Reader {
	if f, ok := in.(*os.File); ok {
		return &activityFile{File: f, a: a}
	}
	return &activityReader{r: in, a: a}
}

type activityReader struct {
	r io.Reader
	a *activity
}

func (r *activityReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.a.touch()
	}
	return n, err
}

type activityFile struct {
	*os.File
	a *activity
}

func (f *activityFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	if n > 0 {
		f.a.touch()
	}
	return n, err
}
