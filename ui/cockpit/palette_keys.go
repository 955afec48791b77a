package cockpit

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/ui/keymap"
)

// actionItems lists every action of the key registry the session's person
// may use, each with the key that does it: the global ones, then each
// tab's. Keys that only move focus, or answer a question or a text box,
// are left out.
func (m *Model) actionItems() []paletteItem {
	km := m.common.KeyMap
	var items []paletteItem
	global, _ := km.Group("global")
	for _, e := range global.Entries {
		if e.Nav || e.Binding == &km.Palette || !e.Binding.Enabled() {
			continue
		}
		msg, ok := pressOf(*e.Binding)
		if !ok {
			continue
		}
		h := e.Binding.Help()
		items = append(items, paletteItem{label: capitalize(h.Desc), hint: h.Key,
			run: func(m *Model) tea.Cmd { _, cmd := m.handleKey(msg); return cmd }})
	}
	for i, p := range m.pages {
		g, _ := km.Group(p.keys)
		for _, e := range g.Entries {
			if e.Nav || e.Modes[0] != keymap.Main || !e.Binding.Enabled() {
				continue
			}
			msg, ok := pressOf(*e.Binding)
			if !ok {
				continue
			}
			h := e.Binding.Help()
			items = append(items, paletteItem{label: p.title + ": " + h.Desc, hint: h.Key,
				run: func(m *Model) tea.Cmd { return tea.Batch(m.switchTo(i), m.updateActive(msg)) }})
		}
	}
	return items
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// pressOf is the key press that b's first key names, as the terminal would
// send it; ok is false for a name Bubble Tea does not know.
func pressOf(b key.Binding) (tea.KeyMsg, bool) {
	if len(b.Keys()) == 0 {
		return tea.KeyMsg{}, false
	}
	name := b.Keys()[0]
	var msg tea.KeyMsg
	if rest, ok := strings.CutPrefix(name, "alt+"); ok && rest != "" {
		msg.Alt, name = true, rest
	}
	if utf8.RuneCountInString(name) == 1 {
		msg.Type, msg.Runes = tea.KeyRunes, []rune(name)
		return msg, true
	}
	// Bubble Tea names its key types but exports no lookup; its types
	// are small integers either side of zero.
	for t := tea.KeyType(-128); t <= 128; t++ {
		if t == tea.KeyRunes {
			continue
		}
		if (tea.Key{Type: t}).String() == name {
			msg.Type = t
			return msg, true
		}
	}
	return tea.KeyMsg{}, false
}

// tabKey is the key that goes to tab i, for the palette's hint.
func (m *Model) tabKey(i int) string {
	if i >= len(m.common.KeyMap.GoTo) || len(m.common.KeyMap.GoTo[i].Keys()) == 0 {
		return ""
	}
	return m.common.KeyMap.GoTo[i].Keys()[0]
}
