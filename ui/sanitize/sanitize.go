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
	"unicode"
	"unicode/utf8"
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

// unsafe reports whether r must not reach a terminal as it is: a control
// character (C0, DEL or C1, which includes the 8-bit CSI U+009B and NEL
// U+0085), a line or paragraph separator, or an invisible character.
// Newline and tab are controls too; callers that keep them check first.
func unsafe(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == '\u2028' || r == '\u2029' || invisible(r)
}

// invisible reports whether r has no glyph of its own: the Unicode format
// characters (category Cf: the bidi controls U+061C, U+200E, U+200F,
// U+202A–U+202E and U+2066–U+2069, the zero-width U+200B–U+200D and
// U+2060–U+2064, U+FEFF, U+180E, the soft hyphen U+00AD, the tag characters
// U+E0000–U+E007F, …) and the Hangul fillers, which are letters drawn as
// blanks and so used to fake empty or look-alike names.
//
// They are removed rather than shown as a placeholder. Legitimate text uses
// many of them (ZWNJ in Persian, ZWJ inside emoji sequences, LRM in Hebrew
// and Arabic, a BOM at the start of an imported file), and a placeholder
// would litter those names; what matters is that none of them can reorder
// or hide what is printed, and without them text shows in its stored
// order. Removal also keeps every width calculation what it was.
// Look-alike names ("ad\u200bmin" and "admin") are for validation on write
// to refuse, not for the printer to reveal.
func invisible(r rune) bool {
	switch {
	case r < 0x600: // the common scripts, quickly
		return r == '\u00ad'
	case r == '\u115f', r == '\u1160', r == '\u3164', r == '\uffa0':
		return true
	}
	return unicode.Is(unicode.Cf, r)
}
