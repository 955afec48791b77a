package board

import (
	"context"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that a move the board thought would fit, refused by the store
// because someone filled the stage meanwhile, asks the same y/n.
func TestBoard_WIPLimitFilledMeanwhile(t *testing.T) {
	h := newHarness(t, false, admin)
	ctx := context.Background()
	if err := h.st.SetWIPLimits(ctx, "ana", core.WIPLimits{core.StagePlanned: 1}); err != nil {
		t.Fatal(err)
	}
	addBriefs(t, h.st, core.StageIntake, "Wants in", "Got in first")
	h.reload()
	if _, err := h.st.MoveBrief(ctx, "bo", 2, core.StagePlanned); err != nil { // the board has not seen it
		t.Fatal(err)
	}
	h.board.Update(FocusMsg{ID: 1})
	msg := moveCmd(ctx, h.be, admin, h.focused(), core.StagePlanned, core.MoveOptions{})()
	h.board.Update(msg)
	h.reload()
	if h.board.confirm == nil || !strings.Contains(h.board.View(), "WIP limit") {
		t.Fatalf("the refused move did not ask:\n%s", h.board.View())
	}
	if b, _ := h.st.Brief(ctx, 1); b.Stage != core.StageIntake {
		t.Fatalf("the refused move happened: %s", b.Stage)
	}
	h.press("y")
	if b, _ := h.st.Brief(ctx, 1); b.Stage != core.StagePlanned {
		t.Fatalf("the confirmed move did not happen: %s", b.Stage)
	}
}
