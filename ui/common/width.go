package common

import (
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Width is ansi.StringWidth, faster on the lines tandem draws. Segmenting
// text into grapheme clusters is what ansi.StringWidth spends its time on,
// and a frame measures every line several times; a line of ASCII, styling
// sequences and the narrow symbols tandem uses (·, …, ▌, ✗, arrows, box
// drawing) has one cell per character, so it is counted directly. Any
// other text goes to ansi.StringWidth.
func Width(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			end, ok := skipSequence(s, i)
			if !ok {
				return ansi.StringWidth(s)
			}
			i = end
		case c >= 0x20 && c < 0x7f:
			n++
			i++
		case c < 0x80:
			return ansi.StringWidth(s) // a control character
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !narrowSymbol(r) {
				return ansi.StringWidth(s)
			}
			n++
			i += size
		}
	}
	return n
}

// skipSequence returns the index after the CSI or OSC sequence at s[i].
func skipSequence(s string, i int) (int, bool) {
	if i+1 >= len(s) {
		return 0, false
	}
	switch s[i+1] {
	case '[': // CSI: parameters, then a final byte in @–~
		for j := i + 2; j < len(s); j++ {
			switch c := s[j]; {
			case c >= 0x40 && c <= 0x7e:
				return j + 1, true
			case c < 0x20 || c > 0x3f:
				return 0, false // not a parameter or intermediate byte
			}
		}
	case ']': // OSC: up to BEL or ESC \
		for j := i + 2; j < len(s); j++ {
			switch {
			case s[j] >= 0x80:
				return 0, false
			case s[j] == 0x07:
				return j + 1, true
			case s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\':
				return j + 2, true
			}
		}
	}
	return 0, false
}

// narrowSymbol reports whether r is one cell wide on its own and cannot
// join a neighbour into one grapheme: Latin letters without combining
// marks, general punctuation, arrows, box drawing, blocks, geometric shapes
// and a few dingbats. The test checks every one against ansi.StringWidth.
func narrowSymbol(r rune) bool {
	switch {
	case r >= 0xA1 && r <= 0xAC, r >= 0xAE && r <= 0x2AF: // Latin-1 and Latin Extended, less the soft hyphen
		return true
	case r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205E: // punctuation: dashes, quotes, •, …, ‰
		return true
	case r >= 0x2190 && r <= 0x21FF: // arrows
		return true
	case r >= 0x2500 && r <= 0x25FA: // box drawing, blocks, geometric shapes
		return true
	case r == '✓', r == '✗', r == '★', r == '☆', r == '⚠':
		return true
	}
	return false
}

// Truncate is ansi.Truncate, returning s at once when it already fits.
func Truncate(s string, width int, tail string) string {
	if Width(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, tail)
}
