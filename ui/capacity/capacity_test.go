package capacity

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

var testNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func newModel(t *testing.T) (*Model, *backend.Backend) {
	t.Helper()
	_, be := commontest.Workspace(t, testNow)
	m := New(commontest.Common(be, commontest.Admin, testNow))
	m.SetSize(120, 40)
	reload(t, m, be)
	return m, be
}

func reload(t *testing.T, m *Model, be *backend.Backend) {
	t.Helper()
	m.Update(commontest.Snapshot(t, be))
}

func press(m *Model, keys ...string) tea.Cmd {
	var last tea.Cmd
	for _, k := range keys {
		msg := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		}
		_, last = m.Update(msg)
	}
	return last
}

// focusOverbooked moves the focus to the first overbooked cell.
func focusOverbooked(t *testing.T, m *Model) {
	t.Helper()
	for i, p := range m.plan.People {
		for w, l := range m.plan.Load[p.ID] {
			if l.Over() && len(l.Briefs) > 0 {
				m.row, m.col = i, w
				m.syncCell(true)
				return
			}
		}
	}
	t.Fatal("the demo has no overbooked week")
}

func TestCapacity_Golden(t *testing.T) {
	t.Run("heatmap", func(t *testing.T) {
		m, _ := newModel(t)
		focusOverbooked(t, m)
		golden.RequireEqual(t, []byte(m.View()))
	})
	t.Run("what-if", func(t *testing.T) {
		m, _ := newModel(t)
		focusOverbooked(t, m)
		press(m, "w", "a")
		golden.RequireEqual(t, []byte(m.View()))
	})
}

// Ensure that what-if changes stay staged until enter, esc discards them,
// and a committed reassignment is stored.
func TestCapacity_WhatIf(t *testing.T) {
	m, be := newModel(t)
	focusOverbooked(t, m)
	id := m.cellBriefs()[0].BriefID
	owner := m.briefByID(id).Owner
	press(m, "w", "a")
	if !strings.Contains(m.View(), "→") {
		t.Fatal("what-if shows no before→after")
	}
	if b, _ := be.Brief(context.Background(), id); b.Owner != owner {
		t.Fatal("a staged change was stored")
	}
	press(m, "esc")
	if len(m.staged) != 0 || strings.Contains(m.View(), "WHAT-IF") {
		t.Fatal("esc did not discard")
	}
	press(m, "w", "a")
	cmd := press(m, "enter")
	if msg, ok := cmd().(savedMsg); !ok || msg.err != nil || msg.n != 1 {
		t.Fatalf("commit: %+v", msg)
	}
	if b, _ := be.Brief(context.Background(), id); b.Owner == owner {
		t.Fatal("the committed reassignment was not stored")
	}
}

// Ensure that the plan is kept through writes it does not read (event
// batches) and redone when people or briefs change.
func TestCapacity_ReplansWhenItsInputsChange(t *testing.T) {
	m, be := newModel(t)
	ctx := context.Background()
	base := m.base
	ev := core.Event{TS: testNow, Experiment: "spring-email", Variant: "a", Unit: "replan", Type: core.EventExposure}
	if _, err := be.Ingest(ctx, commontest.Admin, []core.Event{ev}, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	reload(t, m, be)
	if m.base != base {
		t.Fatal("an event batch replanned capacity")
	}
	if _, err := be.AddPerson(ctx, commontest.Admin, core.Person{Name: "Zed New", Lane: core.LaneFreelance, WeeklyHours: 10, Skills: []string{"copy"}}); err != nil {
		t.Fatal(err)
	}
	reload(t, m, be)
	if m.base == base || len(m.base.People) != len(base.People)+1 {
		t.Fatal("a new person did not replan capacity")
	}
}

// Ensure that L swaps the skill shortfall for the learning plan: traffic
// per channel and audience and each planned test's expected decision,
// marked when it falls after the quarter, as `tandem plan learning` says.
func TestCapacity_Learning(t *testing.T) {
	m, _ := newModel(t)
	read := press(m, "L")
	if v := m.View(); !strings.Contains(v, "Reading the experiments' daily traffic") {
		t.Errorf("the plan shows before its traffic is read:\n%s", v)
	}
	m.Update(read())
	v := m.View()
	for _, want := range []string{"LEARNING to Dec 31", "CHANNEL / AUDIENCE", "email / smb owners", "spring-email: its rule has decided", "trial-nudge: decision ~", "✗ "} {
		if !strings.Contains(v, want) {
			t.Errorf("the learning section lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "skill shortfall") {
		t.Error("the skill shortfall shows beside the learning plan")
	}
	golden.RequireEqual(t, []byte(v))
	press(m, "L")
	if !strings.Contains(m.View(), "skill shortfall") {
		t.Error("L does not bring the skills back")
	}
}

// Ensure that the Learning section plans what `tandem plan learning`
// plans for the same quarter: the same traffic by weekday, the same
// decisions.
func TestCapacity_LearningAgreesWithPlanLearning(t *testing.T) {
	m, be := newModel(t)
	m.Update(press(m, "L")())
	want, err := be.PlanLearning(context.Background(), testNow, testNow, common.QuarterEnd(testNow), 0)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(m.learnBase)
	if w, _ := json.Marshal(want); string(got) != string(w) {
		t.Fatalf("the tab plans\n%s\n`plan learning` plans\n%s", got, w)
	}
}

// Ensure that + and - try the learning plan at another MDE and show the
// decision dates before → after, and that coming back to the workspace's
// MDE shows the plan as it is.
func TestCapacity_LearningMDE(t *testing.T) {
	m, _ := newModel(t)
	m.Update(press(m, "L")())
	press(m, "+", "+", "+")
	v := m.View()
	if !strings.Contains(v, "MDE 10% → 25%") || !strings.Contains(v, "trial-nudge: decision ~Apr 4 → ~") {
		t.Fatalf("a larger MDE:\n%s", v)
	}
	press(m, "-", "-", "-")
	if v := m.View(); !strings.Contains(v, "MDE 10% · +=/- other MDE") || strings.Contains(v, "→ ~") {
		t.Fatalf("back at the workspace's MDE:\n%s", v)
	}
}

// Ensure that at 80x24 the learning plan asked for with L fits below the
// heatmap, which shows the people around the focused one instead of all.
func TestCapacity_Learning80x24(t *testing.T) {
	m, _ := newModel(t)
	m.SetSize(80, 24)
	m.Update(press(m, "L")())
	for range 10 {
		press(m, "j")
	}
	v := m.View()
	if lines := strings.Count(v, "\n") + 1; lines > 24 {
		t.Fatalf("%d lines at 80x24:\n%s", lines, v)
	}
	for _, want := range []string{"of 12", "▸", "CHANNEL / AUDIENCE", "retarget-banner", "devsummit-post",
		"display / lapsed customers", "✗ over: the tests planned need more traffic"} {
		if !strings.Contains(v, want) {
			t.Errorf("at 80x24 the view lacks %q:\n%s", want, v)
		}
	}
	if !strings.Contains(v, m.plan.People[m.row].Name) {
		t.Errorf("the focused person %q is off screen:\n%s", m.plan.People[m.row].Name, v)
	}
	// Every overbooked channel and audience says so in full, not "✗ …".
	over := 0
	for _, c := range m.learn.Cells {
		if c.Overbooked {
			over++
		}
	}
	if marked := strings.Count(v, "✗ over\n"); over == 0 || marked != over {
		t.Errorf("%d overbooked rows, %d marked ✗ over at 80 columns:\n%s", over, marked, v)
	}
}

// Ensure that a heatmap cell says its level in text as its colour does,
// so it reads with NO_COLOR: ! from 80 % to 100 %, ✗ past it; and that
// the title carries the legend.
func TestCapacity_LevelsWithoutColour(t *testing.T) {
	for _, tt := range []struct {
		demand, supply float64
		want           string
	}{
		{0, 0, "-"}, {10, 40, "25%"}, {31.6, 40, "79%"}, {32, 40, "!80%"}, {40, 40, "!100%"}, {41, 40, "✗102%"}, {5, 0, "✗ ∞"},
	} {
		if got := pct(core.Load{Demand: tt.demand, Supply: tt.supply}); got != tt.want {
			t.Errorf("%gh of %gh shows %q, want %q", tt.demand, tt.supply, got, tt.want)
		}
	}
	m, _ := newModel(t)
	if title, _, _ := strings.Cut(m.View(), "\n"); !strings.Contains(title, "! 80–100%") || !strings.Contains(title, "✗ over 100%") {
		t.Errorf("the title has no legend: %q", title)
	}
}
