package cockpit

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
)

// changedMsg is the workspace after committed writes: the snapshot read
// after them (or the error that stopped the read), how many writes it
// shows that this session had not seen, and whether a newer change
// arrived after the read, which the next wait then starts from.
type changedMsg struct {
	snap  core.Snapshot
	err   error
	count int
	newer bool
}

// feedClosedMsg reports that the change-feed subscription ended.
type feedClosedMsg struct{ dropped bool }

// loadFailedMsg reports the error that stopped a snapshot load; a load
// that succeeds delivers the core.Snapshot itself.
type loadFailedMsg struct{ err error }

// clockMsg repaints the status bar clock.
type clockMsg time.Time

// waitForChangeCmd waits for the next change on sub (or not at all when
// taken is set: the last wait took a change its read did not show) and
// reads the snapshot after it, as one message: a write costs a session
// one message and one frame. Changes queued behind it, and those that
// arrive while it reads, are folded into the same message, so a session
// that fell behind by several writes catches up with one read and one
// frame.
func waitForChangeCmd(ctx context.Context, be *backend.Backend, sub *backend.Subscription, taken bool) tea.Cmd {
	return func() tea.Msg {
		if !taken {
			if _, ok := <-sub.C(); !ok {
				return feedClosedMsg{dropped: sub.Dropped()}
			}
		}
		n := 1 + drain(sub)
		snap, err := be.Snapshot(ctx)
		if err != nil {
			return changedMsg{err: err, count: n}
		}
		// Changes the read already shows are folded in; the first newer one
		// is left to the next wait.
		for {
			select {
			case c, ok := <-sub.C():
				if !ok {
					return changedMsg{snap: snap, count: n}
				}
				if c.Seq > snap.Seq {
					return changedMsg{snap: snap, count: n, newer: true}
				}
				n++
			default:
				return changedMsg{snap: snap, count: n}
			}
		}
	}
}

// drain takes the changes already queued on sub without waiting, and
// returns how many; a closed subscription shows up at the next wait.
func drain(sub *backend.Subscription) int {
	for n := 0; ; {
		select {
		case _, ok := <-sub.C():
			if !ok {
				return n
			}
			n++
		default:
			return n
		}
	}
}

// loadCmd reads a fresh snapshot.
func loadCmd(ctx context.Context, be *backend.Backend) tea.Cmd {
	return func() tea.Msg {
		snap, err := be.Snapshot(ctx)
		if err != nil {
			return loadFailedMsg{err: err}
		}
		return snap
	}
}

// clockCmd ticks the status bar clock every d, in step with the system
// clock.
func clockCmd(d time.Duration) tea.Cmd {
	return tea.Every(d, func(t time.Time) tea.Msg { return clockMsg(t) })
}
