package common

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// Ensure that CleanKey drops escapes, bidi and zero-width characters from
// typed or pasted runes, keeps the lines of a multi-line paste and the
// text of every script, and leaves other keys alone.
func TestCleanKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Café ☕ 春", "Café ☕ 春"},
		{"a\u202eb\u200bc\u2066d\u2069", "abcd"},
		{"red \x1b[31mtext\x1b[0m\a", "red text"},
		{"line one\nline two", "line one\nline two"},
	} {
		got := CleanKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(tc.in), Paste: true})
		if string(got.Runes) != tc.want || !got.Paste {
			t.Errorf("CleanKey(%q) = %q (paste %v), want %q", tc.in, string(got.Runes), got.Paste, tc.want)
		}
	}
	if enter := (tea.KeyMsg{Type: tea.KeyEnter}); CleanKey(enter).Type != tea.KeyEnter {
		t.Error("CleanKey changed the enter key")
	}
}
