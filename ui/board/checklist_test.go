package board

import (
	"context"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that moving a brief into review with required checklist items
// unticked asks for a reason, keeps the brief where it is on esc, and on
// enter moves it with the items marked skipped by who, for that reason.
func TestBoard_ChecklistSkipPrompt(t *testing.T) {
	h := newHarness(t, false, admin)
	ctx := context.Background()
	tmpl := core.Template{Kind: core.TemplateBrief, Name: "Spring email", Brief: &core.BriefTemplate{
		Checklist: []core.ChecklistItem{{Name: "Legal ok", Required: true}, {Name: "Spellcheck"}}}}
	if _, err := h.be.AddTemplate(ctx, admin, tmpl); err != nil {
		t.Fatal(err)
	}
	b, err := h.be.AddBriefFromTemplate(ctx, admin, "Spring email", core.Brief{Title: "Week 1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.be.MoveBrief(ctx, admin, b.ID, core.StageInProduction, true); err != nil {
		t.Fatal(err)
	}
	h.reload()
	h.board.Update(FocusMsg{ID: b.ID})
	h.press("m")
	if h.board.skip == nil || !h.board.CapturesInput() || !strings.Contains(h.board.View(), "#1 has unticked required items: Legal ok. Skip them? reason:") {
		t.Fatalf("the held move did not ask for a reason:\n%s", h.board.View())
	}
	h.board.SetSize(80, 24)
	if top := strings.Split(h.board.View(), "\n")[0]; !strings.Contains(top, "reason:") {
		t.Fatalf("at 80 columns the reason being typed is off the line: %q", top)
	}
	h.press("esc")
	if got, _ := h.be.Brief(ctx, b.ID); got.Stage != core.StageInProduction || h.board.skip != nil {
		t.Fatalf("esc moved the brief to %s", got.Stage)
	}
	h.press("m")
	h.press("enter") // no reason yet: nothing happens
	if h.board.skip == nil {
		t.Fatal("enter without a reason closed the prompt")
	}
	h.board.skip.reason.SetValue("counsel on leave") // typed
	h.press("enter")
	got, err := h.be.Brief(ctx, b.ID)
	if err != nil || got.Stage != core.StageReview {
		t.Fatalf("brief = %+v, %v; want it moved into review", got, err)
	}
	if it := got.Checklist[0]; it.Skipped != "counsel on leave" || it.By != "ana" {
		t.Fatalf("skipped item = %+v; want the reason and who", it)
	}
	history, _ := h.be.History(ctx, b.ID)
	if last := history[len(history)-1]; last.Action != "brief.move.skip-checklist" {
		t.Fatalf("the move is audited as %q; want brief.move.skip-checklist", last.Action)
	}
}
