// Package keymap is the cockpit's one key registry: a group of bindings per
// view beside the global keys, every binding named (`board.move_next`) so a
// config file can remap it, conflicts found across each view and the global
// keys, and help and the README built from the same entries.
package keymap

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key of one cockpit session. Views hold pointers into
// their group, so a remap or a binding turned off for a read-only person
// reaches them; each session builds its own.
type KeyMap struct {
	Global
	Board          Board
	Capacity       Capacity
	Approvals      Approvals
	Experiments    Experiments
	Studio         Studio
	Retro          Retro
	CommandPalette CommandPalette
	Overlay        Overlay
	List           List
}

// DefaultKeyMap returns every key with its default binding.
func DefaultKeyMap() *KeyMap {
	return &KeyMap{
		Global:         defaultGlobal(),
		Board:          defaultBoard(),
		Capacity:       defaultCapacity(),
		Approvals:      defaultApprovals(),
		Experiments:    defaultExperiments(),
		Studio:         defaultStudio(),
		Retro:          defaultRetro(),
		CommandPalette: defaultPalette(),
		Overlay:        defaultOverlay(),
		List:           defaultList(),
	}
}

// Mode is when a binding is live within its view. Two bindings of a group
// conflict only when they share a mode; a binding conflicts with a global
// key unless it is live only while the view takes typed text, when the
// cockpit passes every key but ctrl+c to the view.
type Mode string

// The modes views use.
const (
	// Main is the view's ordinary state.
	Main Mode = "main"
	// Detail is an open detail over a list (the board's card detail), or
	// a section shown in place of the view's list (the Studio's
	// components).
	Detail Mode = "detail"
	// Confirm is a yes/no question that still leaves the global keys live.
	Confirm Mode = "confirm"
	// Typing is a text box, form or question that takes every key.
	Typing Mode = "typing"
	// Picking is a list filtered by what is typed (the board's template
	// picker): it takes every key, as Typing does, with keys of its own.
	Picking Mode = "picking"
)

// Entry is one named binding of a group.
type Entry struct {
	// Name is the binding's name in its group, snake_case: "move_next".
	Name    string
	Binding *key.Binding
	Modes   []Mode
	// Hidden leaves the entry out of help, where a sibling stands for it
	// (the 1–6 tab keys show once).
	Hidden bool
	// PairedWith is the binding whose help label shows this entry's keys
	// too ("←/→ weeks" for left and right). Help shows the pair as one
	// while that label stands, and both once either is remapped.
	PairedWith *key.Binding
	// Nav moves focus rather than acting (up, down, a page), so the
	// palette does not offer it.
	Nav bool
}

// Group is the bindings of one view, or the global keys.
type Group struct {
	// Name prefixes its entries' names in the config: "board".
	Name string
	// Title is what help and the README call it.
	Title   string
	Entries []Entry
	// Lists says the view shows shared lists (ui/common/list), so the
	// list group's keys are live in its main mode too: help shows them
	// and a conflict with them is found.
	Lists bool
}

// Groups lists every group, global first, each entry in help order.
func (km *KeyMap) Groups() []Group {
	return []Group{
		km.Global.group(),
		km.Board.group(),
		km.Capacity.group(),
		km.Approvals.group(),
		km.Experiments.group(),
		km.Studio.group(),
		km.Retro.group(),
		km.CommandPalette.group(),
		km.Overlay.group(),
		km.List.group(),
	}
}

// Group returns the named group; ok is false for an unknown name.
func (km *KeyMap) Group(name string) (Group, bool) {
	for _, g := range km.Groups() {
		if g.Name == name {
			return g, true
		}
	}
	return Group{}, false
}

// newBinding is a binding with its keys, the label help shows for them,
// and what it does.
func newBinding(label, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, desc))
}

// entry is an Entry live in modes, Main when none are given.
func entry(name string, b *key.Binding, modes ...Mode) Entry {
	if len(modes) == 0 {
		modes = []Mode{Main}
	}
	return Entry{Name: name, Binding: b, Modes: modes}
}

// pairedWith is e shown in help by first's pair label ("←/→ weeks").
func pairedWith(first *key.Binding, e Entry) Entry {
	e.PairedWith = first
	return e
}

// InHelp says whether help lists the entry: not when hidden, nor while
// the binding it is paired with shows its keys under a pair label.
func (e Entry) InHelp() bool {
	if e.Hidden {
		return false
	}
	if p := e.PairedWith; p != nil {
		return p.Help().Key == Label(p.Keys())
	}
	return true
}

// nav is an entry that moves focus.
func nav(name string, b *key.Binding, modes ...Mode) Entry {
	e := entry(name, b, modes...)
	e.Nav = true
	return e
}
