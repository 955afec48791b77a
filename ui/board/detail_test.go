package board

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that m moves the brief a detail shows, the detail stays open on
// the moved brief with its history saying from → to, and e edits it.
func TestBoard_DetailMoveAndEdit(t *testing.T) {
	h := newHarness(t, false, admin)
	addBriefs(t, h.st, core.StageIntake, "Launch email")
	h.reload()
	h.press("enter", "m")
	if b, _ := h.st.Brief(context.Background(), 1); b.Stage != core.StagePlanned {
		t.Fatalf("m in the detail: stored stage %s", b.Stage)
	}
	if h.board.detail == nil || h.board.detail.brief.Stage != core.StagePlanned {
		t.Fatal("the detail closed or shows the old stage after the move")
	}
	view := h.board.View()
	for _, want := range []string{"moved #1 to planned", "ana moved intake → planned", "ana brief add in intake"} {
		if !strings.Contains(view, want) {
			t.Errorf("detail lacks %q:\n%s", want, view)
		}
	}
	h.press("e")
	if h.board.form == nil || h.board.detail != nil || h.board.form.v.title != "Launch email" {
		t.Fatal("e in the detail did not open the brief's form")
	}
}

// Ensure that a move into a full stage from the detail asks there.
func TestBoard_DetailMoveAsks(t *testing.T) {
	h := newHarness(t, false, admin)
	if err := h.st.SetWIPLimits(context.Background(), "ana", core.WIPLimits{core.StagePlanned: 1}); err != nil {
		t.Fatal(err)
	}
	addBriefs(t, h.st, core.StagePlanned, "Already planned")
	addBriefs(t, h.st, core.StageIntake, "Wants in")
	h.reload()
	h.press("enter", "m")
	if view := h.board.View(); h.board.confirm == nil || !strings.Contains(view, "Move #2 there anyway? y/n") {
		t.Fatalf("no question in the detail:\n%s", view)
	}
	h.press("y")
	if b, _ := h.st.Brief(context.Background(), 2); b.Stage != core.StagePlanned {
		t.Fatalf("confirmed move from the detail: %s", b.Stage)
	}
}

// Ensure that each audit entry is matched with the stage change written
// with it, so history names both stages of a move.
func TestHistoryLines(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)
	entries := []core.AuditEntry{
		{Time: t0, Actor: "ana", Action: "brief.add"},
		{Time: t1, Actor: "bo", Action: "brief.move"},
		{Time: t2, Actor: "ana", Action: "brief.edit"},
		{Time: t2, Actor: "ana", Action: "brief.edit"},
	}
	moves := []core.StageChange{
		{Time: t0, Actor: "ana", From: core.StageIntake, To: core.StageIntake},
		{Time: t1, Actor: "bo", From: core.StageIntake, To: core.StageReview},
		{Time: t2, Actor: "ana", From: core.StageReview, To: core.StagePlanned},
	}
	got := historyLines(entries, moves)
	want := []string{"brief add in intake", "moved intake → review", "brief edit, review → planned", "brief edit"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("history = %q, want %q", got, want)
	}
}

// Ensure that a left click (with --mouse) focuses the card under it, and a
// click on a column's header or empty space does not move the focus.
func TestBoard_ClickFocuses(t *testing.T) {
	h := newHarness(t, true, admin)
	click := func(x, y int) {
		h.board.Update(tea.MouseMsg{X: x, Y: y, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	}
	w := columnWidths(120, h.board.visibleColumns())[0]
	want := h.board.cols[core.StageReview].cards[1]
	click(3*w+2, h.board.cardsTop()+cardHeight+1) // review, second card, its owner line
	if got := h.focused(); got.ID != want.ID || h.board.col != int(core.StageReview) {
		t.Fatalf("click focused #%d in column %d, want #%d in review", got.ID, h.board.col, want.ID)
	}
	click(2, 1) // intake's header
	if h.focused().ID != want.ID {
		t.Fatal("a click on a header moved the focus")
	}
	if view := h.board.View(); !strings.Contains(view, "▌ "+want.Title[:10]) {
		t.Fatalf("the clicked card is not marked:\n%s", view)
	}
}
