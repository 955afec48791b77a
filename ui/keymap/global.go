package keymap

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
)

// Global is the keys every tab shares.
type Global struct {
	NextTab key.Binding
	PrevTab key.Binding
	GoTo    [6]key.Binding // 1–6 jump to a tab
	Palette key.Binding
	Inbox   key.Binding
	Help    key.Binding
	Quit    key.Binding
}

func defaultGlobal() Global {
	g := Global{
		NextTab: newBinding("tab", "next tab", "tab"),
		PrevTab: newBinding("shift+tab", "previous tab", "shift+tab"),
		Palette: newBinding(":/ctrl+p", "palette", ":", "ctrl+p"),
		Inbox:   newBinding("i", "inbox", "i"),
		Help:    newBinding("?", "help", "?"),
		Quit:    newBinding("q/ctrl+c", "quit", "q", "ctrl+c"),
	}
	for i := range g.GoTo {
		n := fmt.Sprint(i + 1)
		g.GoTo[i] = newBinding("1-6", "go to tab", n)
	}
	return g
}

func (g *Global) group() Group {
	entries := []Entry{
		nav("next_tab", &g.NextTab),
		nav("prev_tab", &g.PrevTab),
	}
	for i := range g.GoTo {
		e := nav(fmt.Sprintf("tab_%d", i+1), &g.GoTo[i])
		e.Hidden = i > 0
		entries = append(entries, e)
	}
	entries = append(entries,
		entry("palette", &g.Palette),
		entry("inbox", &g.Inbox),
		entry("help", &g.Help),
		entry("quit", &g.Quit),
	)
	return Group{Name: "global", Title: "Every tab", Entries: entries}
}

// CommandPalette is the keys of the command palette, which takes typed text.
type CommandPalette struct {
	Up    key.Binding
	Down  key.Binding
	Run   key.Binding
	Close key.Binding
}

func defaultPalette() CommandPalette {
	return CommandPalette{
		Up:    newBinding("↑", "previous match", "up"),
		Down:  newBinding("↓", "next match", "down"),
		Run:   enter("run the match"),
		Close: esc("close"),
	}
}

func (p *CommandPalette) group() Group {
	return Group{Name: "palette", Title: "Palette", Entries: []Entry{
		entry("up", &p.Up, Typing),
		entry("down", &p.Down, Typing),
		entry("run", &p.Run, Typing),
		entry("close", &p.Close, Typing),
	}}
}

// Overlay is the keys of the help and inbox overlays; the inbox is a
// list, so the list keys work in it too.
type Overlay struct {
	Close    key.Binding
	Up, Down key.Binding
}

func defaultOverlay() Overlay {
	o := Overlay{Close: esc("close help or inbox"), Up: up("inbox item"), Down: down("next inbox item")}
	pair(&o.Up, &o.Down)
	return o
}

func (o *Overlay) group() Group {
	return Group{Name: "overlay", Title: "Help and inbox", Lists: true, Entries: []Entry{
		entry("close", &o.Close),
		nav("up", &o.Up),
		pairedWith(&o.Up, nav("down", &o.Down)),
	}}
}
