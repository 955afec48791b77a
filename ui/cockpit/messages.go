package cockpit

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
)

// changeMsg reports committed writes: the latest change and how many
// arrived together.
type changeMsg struct {
	change core.Change
	count  int
}

// feedClosedMsg reports that the change-feed subscription ended.
type feedClosedMsg struct{ dropped bool }

// loadFailedMsg reports the error that stopped a snapshot load; a load
// that succeeds delivers the core.Snapshot itself.
type loadFailedMsg struct{ err error }

// clockMsg repaints the status bar clock.
type clockMsg time.Time

// waitForChangeCmd waits for the next change on sub. Changes that are
// already queued behind it are folded into the same message, so a burst of
// writes costs one reload.
func waitForChangeCmd(sub *backend.Subscription) tea.Cmd {
	return func() tea.Msg {
		c, ok := <-sub.C()
		if !ok {
			return feedClosedMsg{dropped: sub.Dropped()}
		}
		n := 1
		for {
			select {
			case next, ok := <-sub.C():
				if !ok {
					return changeMsg{change: c, count: n}
				}
				c, n = next, n+1
			default:
				return changeMsg{change: c, count: n}
			}
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

// clockCmd ticks the status bar clock.
func clockCmd(d time.Duration) tea.Cmd {
	return tea.Tick(d, func(t time.Time) tea.Msg { return clockMsg(t) })
}
