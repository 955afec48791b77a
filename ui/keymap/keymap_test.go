package keymap

import (
	"slices"
	"strings"
	"testing"
)

// Ensure that the defaults bind no key twice where both would be live.
func TestDefaultKeyMap_NoConflicts(t *testing.T) {
	if c := DefaultKeyMap().Conflicts(); len(c) > 0 {
		t.Fatalf("default conflicts: %+v", c)
	}
}

// Ensure that every binding has a unique name, keys and help, so the config
// can name it and help can show it.
func TestDefaultKeyMap_Names(t *testing.T) {
	km := DefaultKeyMap()
	names := km.Names()
	if len(names) != len(slices.Compact(slices.Sorted(slices.Values(names)))) {
		t.Fatalf("a name is used twice: %v", names)
	}
	for _, name := range names {
		_, e, ok := km.Lookup(name)
		if !ok {
			t.Fatalf("%s does not look up", name)
		}
		if len(e.Binding.Keys()) == 0 || e.Binding.Help().Key == "" || e.Binding.Help().Desc == "" {
			t.Errorf("%s has no keys or no help: %+v", name, e.Binding.Help())
		}
	}
}

// Ensure that a remap replaces the keys, keeps the description, shows the
// new key in help, and that the global keys' old names still work.
func TestRemap(t *testing.T) {
	km := DefaultKeyMap()
	km.Remap(map[string][]string{"help": {"F1", "ctrl+h"}, "board.move_next": {"M"}, "nonsense": {"x"}, "board.nonsense": {"x"}})
	if got := km.Help.Keys(); len(got) != 2 || got[0] != "F1" {
		t.Fatalf("help keys = %v", got)
	}
	if h := km.Help.Help(); h.Key != "F1/ctrl+h" || h.Desc != "help" {
		t.Fatalf("help entry = %+v", h)
	}
	if h := km.Board.MoveNext.Help(); h.Key != "M" || h.Desc != "move to next stage" {
		t.Fatalf("board.move_next = %+v", h)
	}
	if km.Quit.Keys()[0] != "q" {
		t.Fatal("an unmapped binding changed")
	}
}

// Ensure that a key bound to a global action and to a view's action is a
// conflict (the global key would win), unless the view's binding is live
// only while the view takes typed text; and that two actions of one view
// conflict only when they are live in the same mode.
func TestConflicts(t *testing.T) {
	tests := []struct {
		name  string
		remap map[string][]string
		want  []string // "name~other:key"
	}{
		{"global and view", map[string][]string{"quit": {"x"}}, []string{"approvals.reject~global.quit:x", "experiments.explain~global.quit:x", "retro.explain~global.quit:x"}},
		{"two globals", map[string][]string{"global.inbox": {"?"}}, []string{"global.help~global.inbox:?"}},
		{"within a view", map[string][]string{"board.undo": {"e"}}, []string{"board.undo~board.edit:e"}},
		{"other modes", map[string][]string{"board.confirm": {"e"}, "board.filter_apply": {"m"}}, nil},
		{"typing is not global", map[string][]string{"approvals.send": {"q"}}, nil},
		{"a question is", map[string][]string{"board.confirm": {"q"}}, []string{"board.confirm~global.quit:q"}},
		{"other views", map[string][]string{"studio.generate": {"e"}}, nil},
		{"a list key in a view with lists", map[string][]string{"experiments.explain": {"/"}}, []string{"experiments.explain~list.filter:/"}},
		{"a list key in a view without", map[string][]string{"board.undo": {"pgup"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			km := DefaultKeyMap()
			km.Remap(tt.remap)
			var got []string
			for _, c := range km.Conflicts() {
				got = append(got, c.Name+"~"+c.Other+":"+c.Key)
				if !strings.Contains(c.Error(), c.Other) {
					t.Errorf("%q does not name the other binding", c.Error())
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("conflicts = %v, want %v", got, tt.want)
			}
		})
	}
}

// Ensure that help lists every binding of a group but the hidden ones, main
// keys first in columns of five, and the list keys in a view with lists.
func TestFullHelp(t *testing.T) {
	km := DefaultKeyMap()
	for _, g := range km.Groups() {
		var want, got []string
		entries := g.Entries
		if g.Lists {
			entries = append(slices.Clone(entries), km.List.group().Entries...)
		}
		for _, e := range entries {
			if e.InHelp() {
				want = append(want, e.Binding.Help().Key+" "+e.Binding.Help().Desc)
			}
		}
		for _, col := range km.FullHelp(g.Name) {
			if len(col) > helpColumn {
				t.Errorf("%s: a column of %d", g.Name, len(col))
			}
			for _, b := range col {
				got = append(got, b.Help().Key+" "+b.Help().Desc)
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s help = %v, want %v", g.Name, got, want)
		}
	}
	if km.FullHelp("nonsense") != nil {
		t.Fatal("an unknown group has help")
	}
}

// Ensure that a pair of keys shows once in help under its pair label, and
// that remapping either half shows each with its own keys.
func TestFullHelp_Pairs(t *testing.T) {
	helpOf := func(km *KeyMap) []string {
		var out []string
		for _, col := range km.FullHelp("capacity") {
			for _, b := range col {
				out = append(out, b.Help().Key+" "+b.Help().Desc)
			}
		}
		return out
	}
	km := DefaultKeyMap()
	got := helpOf(km)
	if !slices.Contains(got, "←→/hl weeks") || slices.Contains(got, "→/l next week") || slices.Contains(got, "< a week earlier") {
		t.Fatalf("default help lists a pair twice or not at all: %v", got)
	}
	km.Remap(map[string][]string{"capacity.right": {"f2"}})
	got = helpOf(km)
	if !slices.Contains(got, "←/h weeks") || !slices.Contains(got, "f2 next week") {
		t.Fatalf("after remapping the right half: %v", got)
	}
}

func TestLabel(t *testing.T) {
	for keys, want := range map[string]string{"M": "M", "up,k": "↑/k", "shift+right,L,x": "shift+→/L/x", "pgdown": "pgdn", "pgup": "pgup"} {
		if got := Label(strings.Split(keys, ",")); got != want {
			t.Errorf("Label(%s) = %q, want %q", keys, got, want)
		}
	}
}

func TestPairLabel(t *testing.T) {
	for _, tt := range []struct{ first, second, want string }{
		{"up,k", "down,j", "↑↓/kj"},
		{"],J", "[,K", "][/JK"},
		{">", "<", ">/<"},
		{"pgup", "pgdown", "pgup/pgdn"},
		{"+,=", "-", "+=/-"},
	} {
		if got := pairLabel(strings.Split(tt.first, ","), strings.Split(tt.second, ",")); got != tt.want {
			t.Errorf("pairLabel(%s, %s) = %q, want %q", tt.first, tt.second, got, tt.want)
		}
	}
}

// Ensure that help shows every key each binding answers to, under its own
// label or its pair's: an alias (k for ↑, L for shift+→) help leaves out
// is one nobody finds.
func TestFullHelp_EveryKey(t *testing.T) {
	for _, g := range DefaultKeyMap().Groups() {
		for _, e := range g.Entries {
			label := e.Binding.Help().Key
			switch {
			case e.Hidden: // a sibling shows the range ("1-6")
				continue
			case !e.InHelp():
				label = e.PairedWith.Help().Key
			}
			for _, k := range shown(e.Binding.Keys()) {
				if !strings.Contains(label, k) {
					t.Errorf("%s.%s: help shows %q, without %q", g.Name, e.Name, label, k)
				}
			}
		}
	}
}

// Ensure that Primary labels a binding with its first key and keeps what
// it does and every key it answers to.
func TestPrimary(t *testing.T) {
	km := DefaultKeyMap()
	p := Primary(km.Quit)
	if h := p.Help(); h.Key != "q" || h.Desc != "quit" || len(p.Keys()) != 2 || km.Quit.Help().Key != "q/ctrl+c" {
		t.Fatalf("Primary(quit) = %+v with keys %v; quit is now %+v", h, p.Keys(), km.Quit.Help())
	}
}
