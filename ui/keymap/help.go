package keymap

import "github.com/charmbracelet/bubbles/key"

// helpColumn is how many bindings a help column holds.
const helpColumn = 5

// FullHelp returns the named group's bindings as help columns: the main
// mode's in columns of five, then those of a detail, a question or a text
// box, then the list keys of a view with lists, so help shows every key a
// view answers to. It is nil for an unknown group.
func (km *KeyMap) FullHelp(group string) [][]key.Binding {
	g, ok := km.Group(group)
	if !ok {
		return nil
	}
	cols := helpColumns(g)
	if g.Lists {
		cols = append(cols, helpColumns(km.List.group())...)
	}
	return cols
}

// helpColumns is g's shown bindings, the main mode's first.
func helpColumns(g Group) [][]key.Binding {
	var main, other []key.Binding
	for _, e := range g.Entries {
		switch {
		case !e.InHelp():
		case e.Modes[0] == Main:
			main = append(main, *e.Binding)
		default:
			other = append(other, *e.Binding)
		}
	}
	return append(columns(main), columns(other)...)
}

// columns cuts bindings into help columns.
func columns(bindings []key.Binding) [][]key.Binding {
	var cols [][]key.Binding
	for len(bindings) > 0 {
		n := min(len(bindings), helpColumn)
		cols, bindings = append(cols, bindings[:n]), bindings[n:]
	}
	return cols
}
