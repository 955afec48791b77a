// Package keymap declares the cockpit's global keys in one registry. Views
// add their own bindings; help is built from both.
package keymap

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the cockpit's global keys.
type KeyMap struct {
	NextTab key.Binding
	PrevTab key.Binding
	GoTo    [6]key.Binding // 1–6 jump to a tab
	Palette key.Binding
	Inbox   key.Binding
	Help    key.Binding
	Quit    key.Binding
}

// DefaultKeyMap returns the global keys with their default bindings.
func DefaultKeyMap() *KeyMap {
	km := &KeyMap{
		NextTab: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next tab")),
		PrevTab: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous tab")),
		Palette: key.NewBinding(key.WithKeys(":", "ctrl+p"), key.WithHelp(":", "palette")),
		Inbox:   key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "inbox")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
	for i := range km.GoTo {
		n := string(rune('1' + i))
		km.GoTo[i] = key.NewBinding(key.WithKeys(n), key.WithHelp("1-6", "go to tab"))
	}
	return km
}

// Remap replaces the keys of the named global bindings (next_tab, prev_tab,
// palette, inbox, help, quit), keeping each one's description, so help shows the
// new keys.
func (km *KeyMap) Remap(keys map[string][]string) {
	for name, b := range map[string]*key.Binding{"next_tab": &km.NextTab, "prev_tab": &km.PrevTab, "palette": &km.Palette, "inbox": &km.Inbox, "help": &km.Help, "quit": &km.Quit} {
		if ks, ok := keys[name]; ok && len(ks) > 0 {
			*b = key.NewBinding(key.WithKeys(ks...), key.WithHelp(ks[0], b.Help().Desc))
		}
	}
}
