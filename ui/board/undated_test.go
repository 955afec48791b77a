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

// Ensure that at 80 columns, where cards are compact, an undated card
// still names its owner beside the warning.
func TestBoard_UndatedCompactKeepsOwner(t *testing.T) {
	h := newHarness(t, false, admin)
	if _, err := h.st.AddBrief(context.Background(), "ana", core.Brief{Title: "Win-back offer", Owner: "Hana Ito", EstimateHours: 30, Stage: core.StagePlanned}); err != nil {
		t.Fatal(err)
	}
	h.board.SetSize(80, 24)
	h.reload()
	if view := h.board.View(); !strings.Contains(view, "Hana ⚠ no due") {
		t.Fatalf("the compact undated card lost its owner:\n%s", view)
	}
}
