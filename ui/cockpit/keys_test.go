package cockpit

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/ui/keymap"
)

// Ensure that help on every tab, at 80x24, shows each key of the tab's
// registry group and each global key, with what it does: what help shows
// is what the registry binds.
func TestHelp_EveryTab(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	km := m.common.KeyMap
	global, _ := km.Group("global")
	for i, p := range m.pages {
		t.Run(p.title, func(t *testing.T) {
			m.switchTo(i)
			m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")})
			view := m.View()
			group, ok := km.Group(p.keys)
			if !ok {
				t.Fatalf("no key group for the %s tab", p.title)
			}
			groups := []keymap.Group{group, global}
			if group.Lists {
				lists, _ := km.Group("list")
				groups = append(groups, lists)
			}
			for _, g := range groups {
				for _, e := range g.Entries {
					h := e.Binding.Help()
					if e.InHelp() && !regexp.MustCompile(regexp.QuoteMeta(h.Key)+" +"+regexp.QuoteMeta(h.Desc)).MatchString(view) {
						t.Errorf("help lacks %s.%s (%s %s):\n%s", g.Name, e.Name, h.Key, h.Desc, view)
					}
				}
			}
			if !regexp.MustCompile(`esc +close help or inbox`).MatchString(view) {
				t.Errorf("help does not say how to close it:\n%s", view)
			}
		})
	}
}

// Ensure that every view takes its keys from the registry: after every
// binding of its group is remapped, its help shows the new keys and none
// of the defaults.
func TestHelp_Remapped(t *testing.T) {
	m, _ := newTestCockpit(t)
	km := m.common.KeyMap
	for _, p := range m.pages {
		t.Run(p.title, func(t *testing.T) {
			group, _ := km.Group(p.keys)
			groups := []keymap.Group{group}
			if group.Lists {
				lists, _ := km.Group("list")
				groups = append(groups, lists)
			}
			remap := map[string][]string{}
			var want []string
			for _, g := range groups {
				for _, e := range g.Entries {
					k := fmt.Sprintf("f%d", len(want)+1)
					remap[g.Name+"."+e.Name] = []string{k}
					want = append(want, k+" "+e.Binding.Help().Desc)
				}
			}
			km.Remap(remap)
			var got []string
			for _, col := range p.view.FullHelp() {
				for _, b := range col {
					got = append(got, b.Help().Key+" "+b.Help().Desc)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("help after remap = %v, want %v", got, want)
			}
		})
	}
}

// Ensure that a remapped key does the action and the default no longer
// does: the cockpit and the views match against the registry.
func TestKeys_RemapActs(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.common.KeyMap.Remap(map[string][]string{"next_tab": {"]"}, "board.filter": {"f"}})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Update(tea.KeyMsg{Type: tea.KeyTab})
	if m.active != 0 {
		t.Fatal("tab still moves to the next tab after next_tab was remapped")
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("f")})
	if !m.capturing() {
		t.Fatal("f does not open the board's filter after board.filter = f")
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("]")})
	if m.active != 1 {
		t.Fatalf("] moved to tab %d, want 1", m.active)
	}
	if !slices.ContainsFunc(m.ShortHelp(), func(b key.Binding) bool { return b.Help().Key == "]" }) {
		t.Fatal("the help line does not show the remapped next_tab")
	}
}

// Ensure that with --mouse a click in the body reaches the board in its
// own cells: the card under the pointer gets the focus marker.
func TestMouse_ClickFocusesCard(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.applySnapshot(loadSnapshot(t, m))
	const colWidth, review = 120 / 7, 3
	x, y := review*colWidth+2, bodyTop+3+4+1 // review's second card
	m.Update(tea.MouseMsg{X: x, Y: y, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if m.active != 0 {
		t.Fatalf("a click on the board switched to tab %d", m.active)
	}
	lines := strings.Split(m.View(), "\n")
	line := []rune(lines[y-1]) // the card's title line, above the click
	at := slices.Index(line, '▌')
	if at < review*colWidth || at >= (review+1)*colWidth {
		t.Fatalf("focus marker at cell %d, want review's column:\n%s", at, strings.Join(lines, "\n"))
	}
}

// Ensure that with --mouse a click on a list row in the other tabs focuses
// it, as a click on a card does on the board: the row two below the
// focused one takes the marker.
func TestMouse_ClickFocusesRow(t *testing.T) {
	// ana's own queue is empty: t shows the team's.
	for _, tab := range []struct{ keys, name string }{{"3t", "approvals"}, {"4", "experiments"}, {"5", "studio"}} {
		t.Run(tab.name, func(t *testing.T) {
			m, _ := newTestCockpit(t)
			m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
			m.applySnapshot(loadSnapshot(t, m))
			for _, k := range tab.keys {
				m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{k}})
			}
			focusedLine := func() int {
				for i, l := range strings.Split(m.View(), "\n") {
					if strings.HasPrefix(l, "▌") {
						return i
					}
				}
				return -1
			}
			before := focusedLine()
			if before < bodyTop {
				t.Fatalf("no focused row:\n%s", m.View())
			}
			m.Update(tea.MouseMsg{X: 3, Y: before + 2, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
			if after := focusedLine(); after != before+2 {
				t.Fatalf("after a click on line %d the focus is on line %d:\n%s", before+2, after, m.View())
			}
		})
	}
}
