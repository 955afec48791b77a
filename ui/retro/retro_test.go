package retro

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

var testNow = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func newModel(t *testing.T) (*Model, *backend.Backend) {
	t.Helper()
	_, be := commontest.Workspace(t, testNow)
	m := New(commontest.Common(be, commontest.Admin, testNow))
	m.SetSize(120, 45)
	run(m, m.loadCmd())
	return m, be
}

func run(m *Model, cmd tea.Cmd) {
	for cmd != nil {
		_, cmd = m.Update(cmd())
	}
}

func press(m *Model, k string) {
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
	run(m, cmd)
}

func TestRetro_Golden(t *testing.T) {
	m, _ := newModel(t)
	golden.RequireEqual(t, []byte(m.View()))
}

// Ensure that b on a stalled item files an action brief on the board.
func TestRetro_ActionBrief(t *testing.T) {
	m, be := newModel(t)
	if len(m.stalled) == 0 {
		t.Fatal("the demo has nothing stalled")
	}
	m.cursor = len(m.trends)
	press(m, "b")
	briefs, _ := be.Briefs(context.Background())
	last := briefs[len(briefs)-1]
	if !strings.HasPrefix(last.Title, "Unblock: ") || last.Tags[0] != "retro-action" || !strings.Contains(m.notice.String(), "filed action brief") {
		t.Fatalf("last brief %+v, notice %q", last, m.notice.String())
	}
	// b again refuses a duplicate and names the open one.
	press(m, "b")
	if again, _ := be.Briefs(context.Background()); len(again) != len(briefs) || !strings.Contains(m.notice.String(), fmt.Sprintf("#%d", last.ID)) {
		t.Fatalf("b twice filed %d briefs; notice %q", len(again)-len(briefs), m.notice.String())
	}
	press(m, "x")
	m.cursor = 0
	if !strings.Contains(m.View(), "Median days from a brief's filing") {
		t.Fatal("x does not explain the KPI")
	}
}

// Ensure that n writes a note on this week's retro under the writer's team,
// it shows at once, and a viewer is told they cannot.
func TestRetro_Note(t *testing.T) {
	m, be := newModel(t)
	press(m, "n")
	if !m.CapturesInput() {
		t.Fatal("n did not open the note box")
	}
	for _, r := range "Ship the winner sooner" {
		press(m, string(r))
	}
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	run(m, cmd)
	notes, _ := be.RetroNotes(context.Background())
	last := notes[len(notes)-1]
	if last.Text != "Ship the winner sooner" || last.Period != "2026-W47" || last.Team != "Admin" || m.CapturesInput() {
		t.Fatalf("last note %+v", last)
	}
	if v := m.View(); !strings.Contains(v, "Admin · ana · 2026-W47") || !strings.Contains(v, "Ship the winner sooner") {
		t.Fatalf("the note is not shown:\n%s", m.View())
	}

	viewer := New(commontest.Common(be, core.Identity{Name: "vic", Role: core.RoleViewer}, testNow))
	press(viewer, "n")
	if viewer.CapturesInput() || !strings.Contains(viewer.notice.String(), "write retro notes") {
		t.Fatalf("a viewer got the note box; notice %q", viewer.notice.String())
	}
}

// Ensure that c narrows the KPIs to each campaign in turn, then all again.
func TestRetro_Campaign(t *testing.T) {
	m, be := newModel(t)
	m.Update(commontest.Snapshot(t, be))
	if len(m.campaigns) < 2 {
		t.Fatalf("the demo names campaigns %v", m.campaigns)
	}
	throughput := func() float64 {
		for _, tr := range m.trends {
			if tr.Key == "throughput" {
				return tr.Value
			}
		}
		t.Fatal("no throughput")
		return 0
	}
	all := throughput()
	press(m, "c")
	if m.campaign != m.campaigns[0] || !strings.Contains(m.View(), "campaign "+m.campaigns[0]) {
		t.Fatalf("campaign %q; header:\n%s", m.campaign, strings.SplitN(m.View(), "\n", 2)[0])
	}
	if one := throughput(); one > all {
		t.Fatalf("one campaign's throughput %g is above all of them, %g", one, all)
	}
	for range m.campaigns {
		press(m, "c")
	}
	if m.campaign != "" || throughput() != all {
		t.Fatalf("after cycling: campaign %q, throughput %g (all: %g)", m.campaign, throughput(), all)
	}
}

// Ensure that on a short screen the view follows the cursor down to the
// stalled items and pgdown reaches the notes.
func TestRetro_Scroll(t *testing.T) {
	m, _ := newModel(t)
	m.SetSize(80, 20)
	if v := m.View(); strings.Count(v, "\n") > 19 || !strings.HasPrefix(v, "Retro:") {
		t.Fatalf("first screen:\n%s", v)
	}
	for range len(m.trends) + 1 {
		press(m, "j")
	}
	if !strings.Contains(m.View(), "▌#") {
		t.Fatalf("the focused stalled item is off screen:\n%s", m.View())
	}
	for range 3 {
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyPgDown})
		run(m, cmd)
	}
	if v := m.View(); !strings.Contains(v, "Notes") || strings.Count(v, "\n") > 19 {
		t.Fatalf("pgdown does not reach the notes:\n%s", v)
	}
}

// Ensure that the note box n opens is on screen, with the end of what is
// typed, at the cockpit's 80x24 (a body of 80x20) and larger, and after
// the terminal is resized while typing: a person must see what they type.
// It was drawn below the screen's last line.
func TestRetro_NoteBoxOnScreen(t *testing.T) {
	const typed = "Ship the winner sooner: the trial nudge waited nine days for a decision"
	for _, size := range []struct{ w, h, from int }{{80, 20, 80}, {80, 24, 80}, {120, 36, 120}, {200, 46, 200}, {120, 36, 80}, {80, 20, 200}} {
		name := fmt.Sprintf("%dx%d", size.w, size.h)
		if size.from != size.w {
			name += fmt.Sprintf("-resized-from-%d", size.from)
		}
		t.Run(name, func(t *testing.T) {
			m, _ := newModel(t)
			m.SetSize(size.from, size.h)
			for range 3 {
				_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyPgDown}) // scrolled away first
				run(m, cmd)
			}
			press(m, "n")
			m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(typed)})
			m.SetSize(size.w, size.h)
			v := m.View()
			lines := strings.Split(v, "\n")
			if len(lines) > size.h {
				t.Fatalf("%d lines in %d rows", len(lines), size.h)
			}
			box := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "Note on 2026-W47 for Admin: ") })
			if box < 0 {
				t.Fatalf("the note box is off screen:\n%s", v)
			}
			if l := lines[box]; common.Width(l) > size.w || !strings.Contains(l, "a decision") {
				t.Errorf("the box does not show the end of what is typed, in %d columns:\n%s", size.w, l)
			}
			if size.w == 80 && size.h == 20 && size.from == 80 {
				golden.RequireEqual(t, []byte(v))
			}
		})
	}
}
