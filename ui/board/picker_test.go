package board

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tandem-ops/tandem/core"
)

// addBriefTemplates adds two brief templates, one used once, and a
// retired one the picker leaves out.
func addBriefTemplates(t *testing.T, h *harness) {
	t.Helper()
	ctx := context.Background()
	for _, tm := range []core.Template{
		{Kind: core.TemplateBrief, Name: "Spring email", Brief: &core.BriefTemplate{TitlePattern: "Spring email: {title}", Objective: "Lift repeat orders",
			Channel: "email", Estimates: []core.SkillEstimate{{Skill: "copy", Hours: 4}, {Skill: "design", Hours: 6}},
			Checklist: []core.ChecklistItem{{Name: "Legal ok", Required: true}}}},
		{Kind: core.TemplateBrief, Name: "Webinar invite", Brief: &core.BriefTemplate{Objective: "Fill the seats"}},
		{Kind: core.TemplateBrief, Name: "Old banner", Brief: &core.BriefTemplate{}},
	} {
		if _, err := h.be.AddTemplate(ctx, admin, tm); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.be.RetireTemplate(ctx, admin, core.TemplateBrief, "Old banner"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.be.AddBriefFromTemplate(ctx, admin, "Webinar invite", core.Brief{Title: "December webinar"}); err != nil {
		t.Fatal(err)
	}
	h.reload()
}

// Ensure that `n` offers blank or a template, filters them fuzzily, and
// that a brief filed from the picked template is pre-filled and records
// the template and version.
func TestBoard_NewBriefFromTemplate(t *testing.T) {
	h := newHarness(t, true, admin)
	addBriefTemplates(t, h)
	h.press("n")
	if h.board.picker == nil || !h.board.CapturesInput() {
		t.Fatal("n did not open the template picker")
	}
	view := h.board.View()
	for _, want := range []string{"Blank brief", "Spring email", "v1 · used by 0 briefs", "Webinar invite", "used by 1 brief"} {
		if !strings.Contains(view, want) {
			t.Errorf("the picker lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "Old banner") {
		t.Errorf("the picker offers a retired template:\n%s", view)
	}
	h.press("s", "p", "r")
	if got := h.board.View(); strings.Contains(got, "Webinar") || strings.Contains(got, "Blank brief") {
		t.Fatalf("the filter spr kept others:\n%s", got)
	}
	h.press("enter")
	if h.board.form == nil {
		t.Fatal("picking a template did not open the form")
	}
	if v := h.board.form.v; v.objective != "Lift repeat orders" || v.channel != "email" || v.estimate != "10" || v.skill != "copy" || v.title != "" {
		t.Fatalf("the form was not pre-filled: %+v", *v)
	}
	if !strings.Contains(h.board.View(), "New brief from Spring email (version 1)") {
		t.Errorf("the form does not say what it is made from:\n%s", h.board.View())
	}
	h.board.form.v.title = "Week 1"
	h.run(saveCmd(context.Background(), h.be, admin, h.board.form.brief()))
	b := h.focused()
	if b.Title != "Spring email: Week 1" || b.Template != "Spring email" || b.TemplateVersion != 1 || len(b.Checklist) != 1 || b.EstimateHours != 10 {
		t.Fatalf("stored brief = %+v", b)
	}
}

// Ensure that esc closes the picker and blank opens an empty form.
func TestBoard_NewBriefPicker_BlankAndCancel(t *testing.T) {
	h := newHarness(t, true, admin)
	addBriefTemplates(t, h)
	h.press("n", "esc")
	if h.board.picker != nil || h.board.form != nil {
		t.Fatal("esc did not close the picker")
	}
	h.press("n", "enter")
	if h.board.form == nil || h.board.form.base.Template != "" || h.board.form.v.objective != "" {
		t.Fatal("blank did not open an empty form")
	}
}

// Ensure that without templates `n` opens the blank form at once, as
// before templates.
func TestBoard_NewBrief_NoTemplates(t *testing.T) {
	h := newHarness(t, true, admin)
	h.press("n")
	if h.board.picker != nil || h.board.form == nil {
		t.Fatal("without templates n should open the form")
	}
}

// TestBoard_PickerGolden renders the picker at 80x24.
func TestBoard_PickerGolden(t *testing.T) {
	h := newHarness(t, true, admin)
	addBriefTemplates(t, h)
	h.board.SetSize(80, 24)
	h.press("n", "down")
	golden.RequireEqual(t, []byte(h.board.View()))
}

// Ensure that bidi and zero-width characters pasted into the new-brief
// form or the template picker never reach the terminal: the form's title
// and the picker's filter keep the visible text only.
func TestBoard_PastedBidiNotEchoed(t *testing.T) {
	paste := func(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true} }
	hostile := "Spring\u202egnirpS\u200b\u2066x\u2069\u200d"
	unsafe := func(view string) bool { return strings.ContainsAny(view, "\u202e\u200b\u2066\u2069\u200d\x1b]") }

	t.Run("picker", func(t *testing.T) {
		h := newHarness(t, true, admin)
		addBriefTemplates(t, h)
		h.press("n")
		h.board.Update(paste(hostile))
		if got := h.board.picker.input.Value(); got != "SpringgnirpSx" {
			t.Errorf("picker filter = %q, want the visible text only", got)
		}
		if view := h.board.View(); unsafe(view) {
			t.Errorf("the picker echoes a bidi or zero-width character:\n%q", view)
		}
	})
	t.Run("form", func(t *testing.T) {
		h := newHarness(t, false, admin)
		h.press("n") // no templates: a blank form
		if h.board.form == nil {
			t.Fatal("n did not open the form")
		}
		h.board.Update(paste(hostile))
		if got := h.board.form.v.title; got != "SpringgnirpSx" {
			t.Errorf("title = %q, want the visible text only", got)
		}
		if view := h.board.View(); unsafe(view) {
			t.Errorf("the form echoes a bidi or zero-width character:\n%q", view)
		}
	})
}
