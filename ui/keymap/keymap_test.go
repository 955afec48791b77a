package keymap

import "testing"

// Ensure that a remap replaces the keys, keeps the description, and shows
// the new key in help.
func TestRemap(t *testing.T) {
	km := DefaultKeyMap()
	km.Remap(map[string][]string{"help": {"h", "F1"}, "nonsense": {"x"}})
	if got := km.Help.Keys(); len(got) != 2 || got[0] != "h" {
		t.Fatalf("help keys = %v", got)
	}
	if h := km.Help.Help(); h.Key != "h" || h.Desc != "help" {
		t.Fatalf("help entry = %+v", h)
	}
	if km.Quit.Keys()[0] != "q" {
		t.Fatal("an unmapped binding changed")
	}
}
