package board

import (
	"context"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that a card whose brief asks for hours without a due date says
// so, as capacity does.
func TestBoard_UndatedEstimateFlagged(t *testing.T) {
	h := newHarness(t, false, admin)
	if _, err := h.st.AddBrief(context.Background(), "ana", core.Brief{Title: "Win-back offer", EstimateHours: 30, Stage: core.StagePlanned}); err != nil {
		t.Fatal(err)
	}
	h.reload()
	if view := h.board.View(); !strings.Contains(view, "⚠ 30h, no due") {
		t.Fatalf("the card does not flag its undated hours:\n%s", view)
	}
}
