package core

import (
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// UnsafeRune reports whether r must not reach a terminal as it is: a control
// character (C0, DEL or C1, which includes the 8-bit CSI U+009B and NEL
// U+0085), a line or paragraph separator, or an invisible character.
// Newline and tab are controls too; callers that keep them check first.
func UnsafeRune(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == '\u2028' || r == '\u2029' || Invisible(r)
}

// Invisible reports whether r has no glyph of its own: the Unicode format
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
func Invisible(r rune) bool {
	switch {
	case r < 0x600: // the common scripts, quickly
		return r == '\u00ad'
	case r == '\u115f', r == '\u1160', r == '\u3164', r == '\uffa0':
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// AppendSafeJSON appends encoded JSON src to dst with every rune that
// UnsafeRune reports and encoding/json leaves raw (DEL, C1, separators,
// invisible characters) written as its \uXXXX escape, and every byte that
// is not UTF-8 as \ufffd. Such runes can occur only inside strings, where
// the escape decodes to the same rune, so the result is valid JSON holding
// the same values, and safe to print.
func AppendSafeJSON(dst, src []byte) []byte {
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf && c != 0x7f {
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, `\ufffd`...)
		case !UnsafeRune(r):
			dst = append(dst, src[i:i+size]...)
		case r > 0xffff:
			hi, lo := utf16.EncodeRune(r)
			dst = appendJSONEscape(appendJSONEscape(dst, hi), lo)
		default:
			dst = appendJSONEscape(dst, r)
		}
		i += size
	}
	return dst
}

// appendJSONEscape appends the JSON escape \uXXXX of the UTF-16 unit u.
func appendJSONEscape(dst []byte, u rune) []byte {
	const hex = "0123456789abcdef"
	return append(dst, '\\', 'u', hex[u>>12&0xf], hex[u>>8&0xf], hex[u>>4&0xf], hex[u&0xf])
}
