package keymap

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// Names lists every remappable binding as "group.name", in help order.
func (km *KeyMap) Names() []string {
	var out []string
	for _, g := range km.Groups() {
		for _, e := range g.Entries {
			out = append(out, g.Name+"."+e.Name)
		}
	}
	return out
}

// Canonical returns the registry name for a config name: the global keys'
// names from before the registry ("quit") still mean "global.quit". ok is
// false for a name the registry does not know.
func (km *KeyMap) Canonical(name string) (string, bool) {
	if !strings.Contains(name, ".") {
		name = "global." + name
	}
	return name, slices.Contains(km.Names(), name)
}

// Lookup returns the named binding's entry and group.
func (km *KeyMap) Lookup(name string) (Group, Entry, bool) {
	name, ok := km.Canonical(name)
	if !ok {
		return Group{}, Entry{}, false
	}
	groupName, entryName, _ := strings.Cut(name, ".")
	g, _ := km.Group(groupName)
	for _, e := range g.Entries {
		if e.Name == entryName {
			return g, e, true
		}
	}
	return Group{}, Entry{}, false
}

// Remap replaces the keys of the named bindings ("board.move_next", or a
// global key's bare name), keeping each one's description, so help shows
// the new keys. Unknown names and empty key lists are left alone: the
// config reports them.
func (km *KeyMap) Remap(keys map[string][]string) {
	for name, ks := range keys {
		_, e, ok := km.Lookup(name)
		if !ok || len(ks) == 0 {
			continue
		}
		*e.Binding = key.NewBinding(key.WithKeys(ks...), key.WithHelp(Label(ks), e.Binding.Help().Desc))
		if p := e.PairedWith; p != nil {
			// The pair label no longer says this entry's keys: each
			// shows its own.
			p.SetHelp(Label(p.Keys()), p.Help().Desc)
		}
	}
}

// Conflict is a key bound to two actions live at the same time.
type Conflict struct {
	Key string
	// Name and Other are the two bindings, "group.name"; Name is the later
	// one in help order.
	Name, Other string
}

// Error says what to do about it.
func (c Conflict) Error() string {
	return fmt.Sprintf("%q is also %s; give one of them another key", c.Key, c.Other)
}

// Conflicts lists every key bound twice where both bindings are live at
// once: within a group in a shared mode, between a global key and a
// view's binding outside typing, where the global key would win, and
// between a list key and a view with lists.
func (km *KeyMap) Conflicts() []Conflict {
	groups := km.Groups()
	global := groups[0]
	lists := km.List.group()
	var out []Conflict
	for _, g := range groups {
		if g.Lists {
			out = append(out, listConflicts(g, lists)...)
		}
		for i, e := range g.Entries {
			name := g.Name + "." + e.Name
			for _, other := range g.Entries[:i] {
				if k := sharedKey(e, other); k != "" && sharesMode(e, other) {
					out = append(out, Conflict{Key: k, Name: name, Other: g.Name + "." + other.Name})
				}
			}
			if g.Name == global.Name || !slices.ContainsFunc(e.Modes, func(m Mode) bool { return m != Typing && m != Picking }) {
				continue
			}
			for _, ge := range global.Entries {
				if k := sharedKey(e, ge); k != "" {
					out = append(out, Conflict{Key: k, Name: name, Other: global.Name + "." + ge.Name})
				}
			}
		}
	}
	return out
}

// listConflicts is where a view's main-mode binding shares a key with a
// list key, which is live beside it. A list's filter box and a view's own
// text box are never open at once.
func listConflicts(view, lists Group) []Conflict {
	var out []Conflict
	for _, e := range view.Entries {
		for _, le := range lists.Entries {
			if k := sharedKey(e, le); k != "" && slices.Contains(e.Modes, Main) && slices.Contains(le.Modes, Main) {
				out = append(out, Conflict{Key: k, Name: view.Name + "." + e.Name, Other: lists.Name + "." + le.Name})
			}
		}
	}
	return out
}

func sharedKey(a, b Entry) string {
	for _, k := range a.Binding.Keys() {
		if slices.Contains(b.Binding.Keys(), k) {
			return k
		}
	}
	return ""
}

func sharesMode(a, b Entry) bool {
	return slices.ContainsFunc(a.Modes, func(m Mode) bool { return slices.Contains(b.Modes, m) })
}
