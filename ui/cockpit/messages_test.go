package cockpit

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

// Ensure that a session behind by several writes catches up with one
// message holding the latest snapshot and how many writes it shows, and
// that a change the last wait took but its read did not show starts the
// next wait without blocking.
func TestWaitForChange_FoldsWrites(t *testing.T) {
	_, be := commontest.Workspace(t, testNow)
	ctx := context.Background()
	sub := be.Subscribe(16)
	t.Cleanup(sub.Close)
	for i := range 3 {
		if _, err := be.AddBrief(ctx, commontest.Admin, core.Brief{Title: fmt.Sprint("Behind ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	msg, ok := runWithin(t, waitForChangeCmd(ctx, be, sub, false)).(changedMsg)
	if !ok || msg.err != nil || msg.count != 3 || msg.newer {
		t.Fatalf("after three writes got %+v, want one message counting 3", msg)
	}
	if latest := commontest.Snapshot(t, be); msg.snap.Seq != latest.Seq || len(msg.snap.Briefs) != len(latest.Briefs) {
		t.Fatalf("the message holds the snapshot at %d, want the latest (%d)", msg.snap.Seq, latest.Seq)
	}
	msg, ok = runWithin(t, waitForChangeCmd(ctx, be, sub, true)).(changedMsg)
	if !ok || msg.count != 1 {
		t.Fatalf("a change taken by the last wait gave %+v, want one message counting it", msg)
	}
}

// runWithin runs a command that must not block.
func runWithin(t *testing.T, cmd tea.Cmd) tea.Msg {
	t.Helper()
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		return msg
	case <-time.After(10 * time.Second):
		t.Fatal("the command blocked")
		return nil
	}
}
