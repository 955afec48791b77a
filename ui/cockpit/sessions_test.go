package cockpit

import (
	"context"
	"strings"
	"testing"
	"unsafe"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

// Ensure that two sessions on one workspace each keep their own tab,
// board focus and filter through a write, and that a tab hidden during the
// write shows it once opened.
func TestCockpit_SessionsKeepTheirOwnView(t *testing.T) {
	_, be := commontest.Workspace(t, testNow)
	session := func() *Model {
		c := commontest.Common(be, commontest.Admin, testNow)
		m := New(&c, "demo.db")
		t.Cleanup(m.Close)
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		m.applySnapshot(commontest.Snapshot(t, be))
		return m
	}
	press := func(m *Model, keys ...string) {
		for _, k := range keys {
			_, cmd := m.Update(keyMsg(k))
			settle(m, cmd, 3)
		}
	}
	ana, bo := session(), session()
	press(ana, "right", "down")
	press(bo, "/", "n", "e", "w", "s", "enter")
	focused := func(m *Model) string {
		for _, line := range strings.Split(m.View(), "\n") {
			if i := strings.Index(line, "▌ "); i >= 0 {
				return strings.Fields(line[i:])[1]
			}
		}
		return ""
	}
	anaBefore, boBefore := focused(ana), focused(bo)
	if anaBefore == "" || anaBefore == boBefore {
		t.Fatalf("focus before the write: ana %q, bo %q", anaBefore, boBefore)
	}

	if _, err := be.AddBrief(context.Background(), commontest.Admin, core.Brief{Title: "Catch-up copy", Stage: core.StagePlanned}); err != nil {
		t.Fatal(err)
	}
	snap := commontest.Snapshot(t, be)
	for _, m := range []*Model{ana, bo} {
		settle(m, m.applyChanged(changedMsg{snap: snap, count: 1}), 3)
	}
	if got := focused(ana); got != anaBefore {
		t.Errorf("after the write ana's focus is on %q, want %q", got, anaBefore)
	}
	if got := focused(bo); got != boBefore || !strings.Contains(bo.View(), `filter "news"`) {
		t.Errorf("after the write bo's focus is on %q (want %q), or the filter is gone:\n%s", got, boBefore, bo.View())
	}

	press(ana, "5")
	for range 60 { // to the end of the Studio's list
		press(ana, "down")
	}
	if !strings.Contains(ana.View(), "Catch-up copy") {
		t.Errorf("the Studio tab, hidden during the write, does not list the new brief:\n%s", ana.View())
	}
	if bo.active != 0 {
		t.Errorf("bo's tab moved to %d with ana's", bo.active)
	}
}

// Ensure that sessions of one person in the same state share one drawing
// of a snapshot, while a session whose cursor moved, and another person's
// session, draw their own.
func TestCockpit_SharedFrame(t *testing.T) {
	_, be := commontest.Workspace(t, testNow)
	session := func(who core.Identity) *Model {
		c := commontest.Common(be, who, testNow)
		m := New(&c, "demo.db")
		t.Cleanup(m.Close)
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		m.applySnapshot(commontest.Snapshot(t, be))
		return m
	}
	a, b := session(commontest.Admin), session(commontest.Admin)
	bo := session(core.Identity{Name: "bo", Role: core.RoleMOps})
	frame := a.View()
	if v := b.View(); v != frame || unsafe.StringData(v) != unsafe.StringData(frame) {
		t.Fatal("two sessions of one person in the same state drew the frame each")
	}
	if v := bo.View(); v == frame || !strings.Contains(v, "bo · mops") {
		t.Fatalf("another person's session shows the shared frame:\n%s", v)
	}
	b.Update(keyMsg("down"))
	if v := b.View(); v == frame {
		t.Fatal("a session whose cursor moved shows the shared frame")
	}
	if a.View() != frame {
		t.Fatal("another session's key changed this session's frame")
	}
}
