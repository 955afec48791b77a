package core

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// The joiners: format characters with a defined role between the
// characters beside them. ZWNJ keeps letters that would join apart (the
// Persian "محمد‌زاده", a German "Auf‌lage" without its ligature); ZWJ
// asks for the joined form (the Sinhala "ශ්‍රී", a Devanagari half-form,
// the emoji "👩‍💻").
const (
	zeroWidthNonJoiner = '\u200c'
	zeroWidthJoiner    = '\u200d'
)

// IsJoiner reports whether r is ZWNJ or ZWJ, the zero-width characters
// names may hold between letters and marks, and printing keeps.
func IsJoiner(r rune) bool { return r == zeroWidthNonJoiner || r == zeroWidthJoiner }

// charProblem names the first character of s no identifier may hold, or
// says that s has nothing visible. When spaces is true, as for names,
// spaces (U+0020 only) are allowed, and so are the joiners where they
// join (joins) and variation selectors after the character they style
// (selectsVariant); none of them counts as visible.
func charProblem(s string, spaces bool) string {
	visible := false
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !validRuneAt(s, i):
			return fmt.Sprintf("is not valid UTF-8 at byte %d", i)
		case r == ' ' && spaces:
		case spaces && IsJoiner(r) && joins(s, i):
		case spaces && unicode.Is(unicode.Variation_Selector, r) && selectsVariant(s, i):
		case unicode.IsControl(r):
			return fmt.Sprintf("has a control character (U+%04X) at byte %d", r, i)
		case spaces && IsJoiner(r):
			return fmt.Sprintf("has a joiner (U+%04X) at byte %d that joins nothing: joiners go between letters of a script that joins (Arabic, the Indic scripts, …) or between emoji", r, i)
		case unicode.Is(unicode.Cf, r):
			return fmt.Sprintf("has an invisible formatting character (U+%04X, bidi or zero-width) at byte %d", r, i)
		case unicode.IsSpace(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Zs):
			return fmt.Sprintf("has whitespace (U+%04X) at byte %d; %s", r, i, spaceHint(spaces))
		case !unicode.IsPrint(r):
			return fmt.Sprintf("has an unprintable character (U+%04X) at byte %d", r, i)
		case blank(r):
			return fmt.Sprintf("has an invisible character (U+%04X, drawn as a blank) at byte %d", r, i)
		default:
			visible = visible || unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S)
		}
	}
	if !visible {
		return "has no visible character; give a letter, digit or symbol"
	}
	return ""
}

// blank reports whether r is printable yet draws nothing: the default
// ignorable code points that are not format characters (the combining
// grapheme joiner U+034F, the Hangul fillers U+115F, U+1160, U+3164 and
// U+FFA0, the Khmer inherent vowels U+17B4 and U+17B5, variation
// selectors), and the braille blank U+2800, a symbol with no dots. They
// fake an empty name, or one that looks like another.
func blank(r rune) bool {
	return r == '\u2800' || unicode.In(r, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// joins reports whether the joiner at s[i] stands between two letters or
// marks, or, a ZWJ, between two emoji: after a symbol, a skin-tone
// modifier or an emoji presentation selector, and before a symbol. A
// joiner at either end, beside a space, punctuation or another joiner
// joins nothing.
func joins(s string, i int) bool {
	r, size := utf8.DecodeRuneInString(s[i:])
	before, n := utf8.DecodeLastRuneInString(s[:i])
	after, m := utf8.DecodeRuneInString(s[i+size:])
	if n == 0 || m == 0 {
		return false
	}
	if letterOrMark(before) && letterOrMark(after) {
		// Beside a script whose letters never join, a joiner shapes
		// nothing and only makes "em‍ail" another term than "email".
		return !unicode.In(before, unjoinedScripts...) && !unicode.In(after, unjoinedScripts...)
	}
	return r == zeroWidthJoiner && (unicode.In(before, unicode.So, unicode.Sk) || before == '\ufe0f') && unicode.Is(unicode.So, after)
}

// unjoinedScripts are the scripts in which joiners shape nothing (they
// have their use in Arabic, the Indic scripts, Sinhala, Khmer, …).
var unjoinedScripts = []*unicode.RangeTable{unicode.Latin, unicode.Greek, unicode.Cyrillic, unicode.Armenian,
	unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul}

// letterOrMark reports whether r is a letter or a mark that draws
// something: a blank one gives a joiner nothing to join.
func letterOrMark(r rune) bool {
	return unicode.In(r, unicode.L, unicode.M) && !blank(r)
}

// selectsVariant reports whether the variation selector at s[i] follows
// a character it can style: a letter (an ideograph), a digit (a keycap),
// punctuation or a symbol (an emoji).
func selectsVariant(s string, i int) bool {
	before, n := utf8.DecodeLastRuneInString(s[:i])
	return n > 0 && unicode.In(before, unicode.L, unicode.N, unicode.P, unicode.S) && !blank(before)
}
