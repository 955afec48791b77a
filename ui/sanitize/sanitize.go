// Package sanitize makes untrusted text (titles, comments, model output,
// ingested values, peer input) safe to print on a terminal. Escape and
// control sequences are removed, so text can neither move the cursor,
// retitle the window, write the clipboard nor clear the screen; bidi
// controls and invisible characters are removed too, so text shows what it
// is, in the order it is stored.
//
// Text and Line clean one string; NewWriter cleans a stream written in
// arbitrary chunks; NewJSONWriter escapes the same characters in encoded
// JSON instead of removing them, so the JSON still decodes to what it held.
package sanitize

import (
	"unicode/utf8"

	"github.com/tandem-ops/tandem/core"
)

// Text removes escape sequences, control characters, bidi controls and
// invisible characters from s, keeping newlines and tabs.
func Text(s string) string { return clean(s, true) }

// Line is Text for text shown on one line: newlines and tabs become
// spaces.
func Line(s string) string { return clean(s, false) }

// clean returns s itself when nothing in it needs removing, the common
// case, and a cleaned copy otherwise.
func clean(s string, keepLines bool) string {
	if isPlain(s) {
		return s
	}
	i := firstUnsafe(s, keepLines)
	if i == len(s) {
		return s
	}
	out := make([]byte, i, len(s))
	copy(out, s[:i])
	st := stripper{keepLines: keepLines}
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		out = st.step(out, r, size == 1 && r == utf8.RuneError)
		i += size
	}
	return string(out)
}

// isPlain reports whether s is printable ASCII only, so clean can return it
// without decoding a rune.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// firstUnsafe returns the index of the first rune in s that clean must
// drop or change, or len(s).
func firstUnsafe(s string, keepLines bool) int {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case size == 1 && r == utf8.RuneError:
			return i
		case r == '\n' || r == '\t':
			if !keepLines {
				return i
			}
		case unsafe(r):
			return i
		}
		i += size
	}
	return len(s)
}

// unsafe is core.UnsafeRune: what no terminal output may hold.
func unsafe(r rune) bool { return core.UnsafeRune(r) }
