package board

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

// newRunHarness is a board whose backend generates on the Ollama server
// at host, with brief 1 made from a template whose recipe makes two
// variants and a flow Ben approves, and the checklist given.
func newRunHarness(t *testing.T, host string, checklist ...core.ChecklistItem) *harness {
	t.Helper()
	h := newHarness(t, false, admin)
	h.be = backend.NewWith(h.st, backend.Settings{Models: backend.ModelSettings{Host: host, Model: "tiny"}})
	h.board = New(testCommon(context.Background(), h.be, admin))
	h.board.SetSize(120, 36)
	ctx := context.Background()
	flow := core.Template{Kind: core.TemplateFlow, Name: "Email review", Flow: &core.FlowTemplate{AssetType: "email",
		Stages: []core.ApprovalStage{{Name: "Brand", Mode: core.ModeParallel, Rule: core.RuleAll, Approvers: []string{"Ben Okafor"}, SLAHours: 8}}}}
	brief := core.Template{Kind: core.TemplateBrief, Name: "Boots email", Brief: &core.BriefTemplate{Channel: "email", AssetType: "email",
		Flow: "Email review", Recipe: &core.RunRecipe{Variants: 2, Submit: 1}, Checklist: checklist}}
	for _, tm := range []core.Template{flow, brief} {
		if _, err := h.be.AddTemplate(ctx, admin, tm); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.be.AddFlowFromTemplate(ctx, admin, "Email review"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.be.AddBriefFromTemplate(ctx, admin, "Boots email", core.Brief{Title: "Winter"}); err != nil {
		t.Fatal(err)
	}
	h.reload()
	return h
}

// runUntilDone feeds cmd's messages back to the board until the run it
// started reports its end, and returns every notice it showed.
func (h *harness) runUntilDone(cmd tea.Cmd) []string {
	h.t.Helper()
	var notices []string
	deadline := time.After(30 * time.Second)
	for cmd != nil {
		msgs := make(chan tea.Msg, 1)
		go func() { msgs <- cmd() }()
		select {
		case msg := <-msgs:
			_, cmd = h.board.Update(msg)
			notices = append(notices, h.board.notice)
		case <-deadline:
			h.t.Fatalf("the run did not end; notices so far: %q", notices)
		}
	}
	return notices
}

// Ensure that R on a card runs its recipe in the background, showing each
// variant and step as a notice and where the run ended.
func TestBoard_RunKey(t *testing.T) {
	h := newRunHarness(t, commontest.FakeOllama(t, commontest.CopyReply, nil))
	notices := h.runUntilDone(h.keyCmd("R"))
	all := strings.Join(notices, "\n")
	for _, want := range []string{"run #1: made variant 1", "run #1: generate ✓ made 2 variants with tiny", "run #1: submit ✓ submitted #1", "run #1: waits: approval of round 1 at stage Brand by Ben Okafor"} {
		if !strings.Contains(all, want) {
			t.Errorf("the notices lack %q:\n%s", want, all)
		}
	}
	if h.board.failed {
		t.Errorf("a run waiting for approval shows as failed: %q", h.board.notice)
	}
	if r, err := h.be.Run(context.Background(), 1); err != nil || r.Status != core.RunWaiting || len(r.Variants) != 2 {
		t.Fatalf("run = %+v, %v; want it waiting with two variants", r, err)
	}
	// The detail's history says what each step did and cost.
	h.reload()
	h.press("enter")
	if view := h.board.View(); !strings.Contains(view, "run generate: made 2 variants with tiny (") || !strings.Contains(view, "tokens, cost") {
		t.Errorf("the history does not give the run's steps with their cost:\n%s", view)
	}
	h.press("esc")
	// Pressed again while it waits, it says so and makes nothing more.
	h.runUntilDone(h.keyCmd("R"))
	if vs, _ := h.be.GeneratedFor(context.Background(), 1); len(vs) != 2 || !strings.Contains(h.board.notice, "waits") {
		t.Fatalf("a second R: %d variants, notice %q", len(vs), h.board.notice)
	}
}

// Ensure that without Ollama the notice says so, as an error.
func TestBoard_RunKey_OllamaDown(t *testing.T) {
	h := newRunHarness(t, "127.0.0.1:1")
	h.runUntilDone(h.keyCmd("R"))
	if !h.board.failed || !strings.Contains(h.board.notice, "stopped at generate") || !strings.Contains(h.board.notice, "ollama serve") {
		t.Fatalf("notice = %q (failed %v); want the run stopped, saying to start Ollama", h.board.notice, h.board.failed)
	}
}

// Ensure that a run held by the brief's checklist asks for the reason to
// skip it and, given one, resumes to the review with the skip audited.
func TestBoard_RunKey_ChecklistAsks(t *testing.T) {
	h := newRunHarness(t, commontest.FakeOllama(t, commontest.CopyReply, nil), core.ChecklistItem{Name: "Legal ok", Required: true})
	h.runUntilDone(h.keyCmd("R"))
	if h.board.skip == nil || !strings.Contains(h.board.View(), "#1 has unticked required items: Legal ok") {
		t.Fatalf("the held run did not ask for a reason:\n%s", h.board.View())
	}
	h.board.skip.reason.SetValue("legal is out") // typed
	h.runUntilDone(h.keyCmd("enter"))
	r, err := h.be.Run(context.Background(), 1)
	if err != nil || r.Status != core.RunWaiting || r.Step != core.RunApproval {
		t.Fatalf("run = %+v, %v; want it resumed to wait for approval", r, err)
	}
	if b, _ := h.be.Brief(context.Background(), 1); b.Checklist[0].Skipped != "legal is out" {
		t.Fatalf("checklist = %+v; want the item skipped with the reason", b.Checklist)
	}
	if vs, _ := h.be.GeneratedFor(context.Background(), 1); len(vs) != 2 {
		t.Fatalf("%d variants; the resumed run made some twice", len(vs))
	}
}
