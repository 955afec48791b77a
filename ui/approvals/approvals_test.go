package approvals

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

// A Wednesday, so SLA clocks run.
var testNow = time.Date(2026, 11, 4, 15, 0, 0, 0, time.UTC)

type harness struct {
	t  *testing.T
	st *store.Store
	be *backend.Backend
	m  *Model
}

func newHarness(t *testing.T, who core.Identity) *harness {
	t.Helper()
	st, be := commontest.Workspace(t, testNow)
	h := &harness{t: t, st: st, be: be, m: New(commontest.Common(be, who, testNow))}
	h.m.SetSize(120, 30)
	h.reload()
	return h
}

func (h *harness) reload() {
	snap, err := h.be.Snapshot(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	h.m.Update(snap)
}

func (h *harness) press(keys ...string) {
	for _, k := range keys {
		msg := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		}
		_, cmd := h.m.Update(msg)
		if cmd != nil {
			if res, ok := cmd().(decidedMsg); ok {
				h.m.Update(res)
				h.reload()
			}
		}
	}
}

var admin = core.Identity{Name: "ana-admin", Role: core.RoleAdmin}

// The admin is named on no stage, so their own queue is empty, as their
// inbox is; the team's queue (t) holds every pending review.
func TestApprovals_Golden(t *testing.T) {
	h := newHarness(t, admin)
	if mine := h.m.View(); !strings.Contains(mine, "My queue (0)") || !strings.Contains(mine, "Nothing waits on you. t shows the team's queue (") {
		t.Fatalf("the admin's own queue:\n%s", mine)
	}
	h.press("t")
	golden.RequireEqual(t, []byte(h.m.View()))
}

// Ensure that an item goes through its two stages from the keyboard, and a
// request for changes needs a comment box.
func TestApprovals_Decide(t *testing.T) {
	h := newHarness(t, admin)
	h.press("t") // the team's queue: an admin may decide any review
	var id uint64
	for i, e := range h.m.entries {
		if e.Review.Stage == 0 && len(e.Flow.Stages) == 2 {
			h.m.list.Select(i)
			id = e.Brief.ID
			break
		}
	}
	h.press("a")
	r := reviewOf(t, h, id)
	if r.Stage != 1 || r.Status != core.ReviewPending {
		t.Fatalf("after the first approval: %+v", r)
	}
	for i, e := range h.m.entries {
		if e.Brief.ID == id {
			h.m.list.Select(i)
		}
	}
	h.press("r")
	if !h.m.CapturesInput() {
		t.Fatal("request changes did not open the comment box")
	}
	for _, ch := range "Say who it is for" {
		h.press(string(ch))
	}
	h.press("enter")
	if r := reviewOf(t, h, id); r.Status != core.ReviewChangesRequested {
		t.Fatalf("after request changes: %s (%s)", r.Status, h.m.notice.String())
	}
	// Resubmitted, the next round shows what was asked, in the tab.
	r = reviewOf(t, h, id)
	if _, err := h.be.Submit(context.Background(), admin, id, r.FlowID, "Revised copy for small teams", true); err != nil {
		t.Fatal(err)
	}
	h.reload()
	for i, e := range h.m.entries {
		if e.Brief.ID == id {
			h.m.list.Select(i)
		}
	}
	if v := h.m.View(); !strings.Contains(v, "Changes asked in round 1") || !strings.Contains(v, "ana-admin: Say who it is for") {
		t.Fatalf("the next round does not show the request:\n%s", v)
	}
}

// Ensure that the approval completing a run's review says, in the notice,
// where the run got: done when the approver may start experiments,
// waiting for someone who may otherwise.
func TestApprovals_DecideGoesOnWithRun(t *testing.T) {
	for _, tt := range []struct {
		who  core.Identity
		want string
	}{
		{admin, "its run is done: experiment brief-%d-run"},
		{core.Identity{Name: "ben", Role: core.RoleApprover}, "its run waits at experiment: approved, ready to start: `tandem run --brief %d --resume`"},
	} {
		t.Run(string(tt.who.Role), func(t *testing.T) {
			h := newHarness(t, tt.who)
			id := mustWaitingRun(t, h.be)
			h.reload()
			h.press("t")
			for i, e := range h.m.entries {
				if e.Brief.ID == id {
					h.m.list.Select(i)
				}
			}
			h.press("a")
			if want := fmt.Sprintf(tt.want, id); !strings.Contains(h.m.notice.String(), want) {
				t.Fatalf("notice %q lacks %q", h.m.notice.String(), want)
			}
		})
	}
}

// mustWaitingRun adds a brief template whose recipe submits one variant
// to a flow ben approves, and a brief from it whose run, made by a
// creative, waits for that approval; it returns the brief's ID.
func mustWaitingRun(t *testing.T, be *backend.Backend) uint64 {
	t.Helper()
	ctx := context.Background()
	stage := core.ApprovalStage{Name: "Brand", Mode: core.ModeSequential, Rule: core.RuleAll, Approvers: []string{"ben"}}
	for _, tm := range []core.Template{
		{Kind: core.TemplateFlow, Name: "Run review", Flow: &core.FlowTemplate{AssetType: "email", Stages: []core.ApprovalStage{stage}}},
		{Kind: core.TemplateBrief, Name: "Run brief", Brief: &core.BriefTemplate{Channel: "email", AssetType: "email", Flow: "Run review",
			Recipe: &core.RunRecipe{Variants: 1, Submit: 1, Model: "tiny"}}},
	} {
		if _, err := be.AddTemplate(ctx, admin, tm); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := be.AddFlowFromTemplate(ctx, admin, "Run review"); err != nil {
		t.Fatal(err)
	}
	b, err := be.AddBriefFromTemplate(ctx, admin, "Run brief", core.Brief{Title: "winter boots"})
	if err != nil {
		t.Fatal(err)
	}
	client, err := backend.ModelSettings{Host: commontest.FakeOllama(t, commontest.CopyReply, nil)}.Client()
	if err != nil {
		t.Fatal(err)
	}
	creative := core.Identity{Name: "bo", Role: core.RoleCreative}
	var waiting *core.RunWaitingError // past the demo's review WIP limit
	if _, err := be.RunBrief(ctx, creative, client, backend.RunRequest{BriefID: b.ID, Seed: 1, Move: core.MoveOptions{Force: true}}); !errors.As(err, &waiting) {
		t.Fatalf("the creative's run: %v; want it waiting for approval", err)
	}
	return b.ID
}

// Ensure that a viewer's decision is refused and said so.
func TestApprovals_ViewerRefused(t *testing.T) {
	h := newHarness(t, core.Identity{Name: "vic", Role: core.RoleViewer})
	h.press("t", "a")
	if !strings.Contains(h.m.notice.String(), "vic (viewer) may not decide approvals") {
		t.Fatalf("notice = %q", h.m.notice.String())
	}
}

func reviewOf(t *testing.T, h *harness, id uint64) core.Review {
	t.Helper()
	reviews, err := h.st.Reviews(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reviews {
		if r.BriefID == id {
			return r
		}
	}
	t.Fatalf("no review of %d", id)
	return core.Review{}
}

// Ensure that the detail lists the claims in the copy with their state in
// words, so an approver sees what lacks evidence before deciding.
func TestApprovals_Claims(t *testing.T) {
	h := newHarness(t, admin)
	ctx := context.Background()
	b, err := h.be.AddBrief(ctx, admin, core.Brief{Title: "Claims check", Owner: "Ana Ruiz"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.be.Submit(ctx, admin, b.ID, 1, "The fastest planner for teams. Try it today.", true); err != nil {
		t.Fatal(err)
	}
	h.reload()
	h.press("t")
	for i, e := range h.m.entries {
		if e.Brief.ID == b.ID {
			h.m.list.Select(i)
		}
	}
	if v := h.m.View(); !strings.Contains(v, "Claims") || !strings.Contains(v, "✗ unsupported The fastest planner for teams.") {
		t.Fatalf("the detail does not show the claim:\n%s", v)
	}
}

// Ensure that on an 80x24 screen (20 lines for the tab) the queue sits
// above the detail at full width, so titles are readable and the focused
// item's copy shows, not "#5 Pa… ✗ breached" beside a squeezed detail.
func TestApprovals_Stacked80x24(t *testing.T) {
	h := newHarness(t, admin)
	h.m.SetSize(80, 20)
	h.press("t", "down")
	view := h.m.View()
	if !strings.Contains(view, "▌#50  Welcome series") || !strings.Contains(view, "Copy, round") {
		t.Fatalf("stacked queue and detail:\n%s", view)
	}
	golden.RequireEqual(t, []byte(view))
}
