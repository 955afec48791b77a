package experiments

import (
	"context"
	"errors"
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

var testNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

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
	h.t.Helper()
	snap, err := h.be.Snapshot(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	h.run(func() tea.Msg { return snap })
}

// run executes cmd and feeds its message (and any it leads to) back.
func (h *harness) run(cmd tea.Cmd) {
	for cmd != nil {
		_, cmd = h.m.Update(cmd())
	}
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
		h.run(cmd)
	}
}

// focus puts the list's cursor on the experiment with key, as j and k
// would.
func (h *harness) focus(key string) {
	h.t.Helper()
	for i, a := range h.m.analyses {
		if a.Experiment.Key == key {
			h.m.list.Select(i)
			return
		}
	}
	h.t.Fatalf("no experiment %s", key)
}

var admin = core.Identity{Name: "ana", Role: core.RoleAdmin}

// The demo's experiments are seeded to show each status: a winner, an SRM,
// and two still collecting.
func TestExperiments_Golden(t *testing.T) {
	t.Run("list", func(t *testing.T) {
		h := newHarness(t, admin)
		golden.RequireEqual(t, []byte(h.m.View()))
	})
	t.Run("detail", func(t *testing.T) {
		h := newHarness(t, admin)
		h.focus("spring-email")
		h.press("enter") // spring-email
		golden.RequireEqual(t, []byte(h.m.View()))
	})
	t.Run("explain", func(t *testing.T) {
		h := newHarness(t, admin)
		h.focus("spring-email")
		h.press("enter", "j", "x")
		golden.RequireEqual(t, []byte(h.m.View()))
	})
	t.Run("detail 80x24", func(t *testing.T) {
		h := newHarness(t, admin)
		h.m.SetSize(80, 24)
		h.focus("trial-nudge")
		h.press("enter") // trial-nudge: three arms
		golden.RequireEqual(t, []byte(h.m.View()))
	})
	t.Run("explain 80x24", func(t *testing.T) {
		h := newHarness(t, admin)
		h.m.SetSize(80, 24)
		h.focus("trial-nudge")
		h.press("enter", "j", "x")
		golden.RequireEqual(t, []byte(h.m.View()))
	})
	t.Run("list 80x24", func(t *testing.T) {
		h := newHarness(t, admin)
		h.m.SetSize(80, 24)
		golden.RequireEqual(t, []byte(h.m.View()))
	})
}

// Ensure that new events move the numbers without a key press.
func TestExperiments_Live(t *testing.T) {
	h := newHarness(t, admin)
	h.focus("spring-email")
	h.press("enter")
	before := h.m.View()
	sim := commontest.Traffic(h.be, 9)
	if err := sim.Events(context.Background(), testNow); err != nil {
		t.Fatal(err)
	}
	h.reload()
	if h.m.View() == before {
		t.Fatal("the detail did not change after new events")
	}
}

// Ensure that declaring asks first, records the winner, and is refused for
// a role that may not.
func TestExperiments_Declare(t *testing.T) {
	h := newHarness(t, core.Identity{Name: "cy", Role: core.RoleCreative})
	h.focus("spring-email")
	h.press("enter", "j", "d")
	if h.m.confirm || !strings.Contains(h.m.notice.String(), "may not declare winners") {
		t.Fatalf("creative: confirm %v, notice %q", h.m.confirm, h.m.notice.String())
	}
	h = newHarness(t, admin)
	h.focus("spring-email")
	h.press("enter", "j", "d")
	if !h.m.CapturesInput() || !strings.Contains(h.m.View(), "Declare b the winner of spring-email?") {
		t.Fatalf("no confirmation:\n%s", h.m.View())
	}
	h.press("y")
	e, err := h.st.Experiment(context.Background(), "spring-email")
	if err != nil || e.Winner != "b" {
		t.Fatalf("winner = %q, %v", e.Winner, err)
	}
	h.reload()
	if !strings.Contains(h.m.View(), "★ declared") {
		t.Fatalf("declared status not shown:\n%s", h.m.View())
	}
}

// Ensure that no arm, the control included, can be declared while the
// experiment is still collecting, and that the panel says why.
func TestExperiments_DeclareRefusedWhileCollecting(t *testing.T) {
	h := newHarness(t, admin)
	h.focus("trial-nudge")
	h.press("enter", "d") // trial-nudge, the control focused, 5 days in
	if h.m.confirm || !strings.Contains(h.m.notice.String(), "cannot be decided yet") {
		t.Fatalf("confirm %v, notice %q", h.m.confirm, h.m.notice.String())
	}
	if _, err := h.be.DeclareWinner(context.Background(), admin, "trial-nudge", "control", testNow); !errors.Is(err, backend.ErrUndecided) {
		t.Fatalf("backend declared a collecting experiment: %v", err)
	}
}

// Ensure that the detail names the rule in use and `x` explains which
// rule decided and why.
func TestExperiments_ShowsRule(t *testing.T) {
	h := newHarness(t, admin)
	h.focus("spring-email")
	h.press("enter")
	if v := h.m.View(); !strings.Contains(v, "rule: sequential (always valid)") || !strings.Contains(v, "LIFT [95% AV]") || !strings.Contains(v, "▲ wins") {
		t.Fatalf("rule or verdict not shown:\n%s", v)
	}
	h.press("j", "x")
	if v := h.m.View(); !strings.Contains(v, "Rule: sequential") || !strings.Contains(v, "however often you look") {
		t.Fatalf("explanation does not name the rule:\n%s", v)
	}
}
