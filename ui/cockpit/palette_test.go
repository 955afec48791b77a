package cockpit

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common/commontest"
	"github.com/tandem-ops/tandem/ui/keymap"
)

// openPaletteWith opens the palette over the demo and types q.
func openPaletteWith(t *testing.T, m *Model, q string) []paletteItem {
	t.Helper()
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(":")})
	for _, r := range q {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	out := make([]paletteItem, len(m.palette.matches))
	for i, idx := range m.palette.matches {
		out[i] = m.palette.items[idx]
	}
	return out
}

// Ensure that the palette offers every action of every tab's key group
// with the key that does it, not only tabs, help and quit.
func TestPalette_EveryAction(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	offered := map[string]string{}
	for _, it := range m.paletteItems() {
		offered[it.label] = it.hint
	}
	km := m.common.KeyMap
	for _, p := range m.pages {
		g, _ := km.Group(p.keys)
		for _, e := range g.Entries {
			if e.Nav || e.Modes[0] != keymap.Main {
				continue
			}
			label := p.title + ": " + e.Binding.Help().Desc
			if hint, ok := offered[label]; !ok || hint != e.Binding.Help().Key {
				t.Errorf("the palette lacks %q with key %q (has %q)", label, e.Binding.Help().Key, hint)
			}
		}
	}
	for _, label := range []string{"Help", "Inbox", "Quit", "Go to Retro"} {
		if _, ok := offered[label]; !ok {
			t.Errorf("the palette lacks %q", label)
		}
	}
}

// Ensure that running an action from the palette goes to its tab and does
// what its key does there.
func TestPalette_RunsAction(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.applySnapshot(loadSnapshot(t, m))
	m.active = 3
	matches := openPaletteWith(t, m, "board: filter")
	if len(matches) == 0 || matches[0].label != "Board: filter" {
		t.Fatalf("first match for \"board: filter\": %+v", matches)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if m.paletteOpen || m.active != 0 || !m.capturing() {
		t.Fatalf("Board: filter from the palette: open %v, tab %d, filtering %v", m.paletteOpen, m.active, m.capturing())
	}
}

// Ensure that a read-only person is not offered a write the cockpit would
// refuse.
func TestPalette_ReadOnly(t *testing.T) {
	_, be := commontest.Workspace(t, testNow)
	c := commontest.Common(be, core.Identity{Name: "vic", Role: core.RoleViewer}, testNow)
	m := New(&c, "demo.db")
	t.Cleanup(m.Close)
	for _, it := range m.paletteItems() {
		if it.label == "Board: move to next stage" || it.label == "Approvals: approve" {
			t.Errorf("a viewer is offered %q", it.label)
		}
	}
}

// Ensure that typing a brief's number, with or without #, ranks that brief
// first: "1" is brief #1, not #18.
func TestPalette_ExactID(t *testing.T) {
	for _, q := range []string{"1", "#1", "18"} {
		t.Run(q, func(t *testing.T) {
			m, _ := newTestCockpit(t)
			m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
			m.applySnapshot(loadSnapshot(t, m))
			matches := openPaletteWith(t, m, q)
			want := "#" + strings.TrimPrefix(q, "#") + " "
			if len(matches) == 0 || !strings.HasPrefix(matches[0].label, want) {
				t.Fatalf("first match for %q is %+v, want brief %s", q, matches[:min(3, len(matches))], want)
			}
		})
	}
}

// Ensure that every key the registry binds by default is one the
// palette can press.
func TestPressOf_EveryKey(t *testing.T) {
	km := keymap.DefaultKeyMap()
	for _, g := range km.Groups() {
		for _, e := range g.Entries {
			msg, ok := pressOf(*e.Binding)
			if !ok || msg.String() != e.Binding.Keys()[0] {
				t.Errorf("%s.%s: %q presses %q (ok %v)", g.Name, e.Name, e.Binding.Keys()[0], msg.String(), ok)
			}
		}
	}
	if _, ok := pressOf(keymap.DefaultKeyMap().Board.Open); !ok {
		t.Fatal("enter does not press")
	}
}

// Ensure that what is pasted into the palette is drawn sanitized: a bidi
// override typed into its box does not reach the terminal.
func TestPalette_HostileQuery(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.applySnapshot(loadSnapshot(t, m))
	openPaletteWith(t, m, "\u202ewelcome")
	if view := m.View(); strings.Contains(view, "\u202e") {
		t.Fatalf("the palette drew a bidi override raw:\n%q", view)
	}
}
