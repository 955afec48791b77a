// Package sanitize makes untrusted text (titles, comments, model output,
// ingested values, peer input) safe to print on a terminal: escape and
// control sequences are removed so text can neither move the cursor, retitle
// the window nor clear the screen.
package sanitize

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// Text removes escape sequences and control characters from s, keeping
// newlines and tabs.
func Text(s string) string { return clean(s, true) }

// Line removes escape sequences and control characters from s and turns
// newlines and tabs into spaces, for text shown on one line.
func Line(s string) string { return clean(s, false) }

func clean(s string, keepLines bool) string {
	if isPlain(s) {
		return s
	}
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			if keepLines {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case r == unicode.ReplacementChar, unicode.IsControl(r):
			// C0, DEL, C1 (the 8-bit CSI among them) and invalid UTF-8 go.
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII only, the common case, so
// clean can return it without allocating.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}
