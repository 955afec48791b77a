package core

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Identifier rules. Every identifier that comes from outside (a file, a
// flag, an SSH session) passes one of these before it is stored, so that
// what the store hands back can be written into a terminal, a log, a CSV
// or a backup file without turning into something else there: an event id
// of "\n<public key>\n" must not become an authorized_keys line.
//
// The rules never quote the value in their problem text: a value may come
// from a file that should not be echoed (a CSV of /etc/shadow).
const (
	// MaxIDLen bounds event ids and units: long enough for a UUID, a URL-safe
	// hash or an email address, short enough to keep index keys small.
	MaxIDLen = 128
	// MaxNameLen bounds names and taxonomy terms (people, users, channels,
	// audiences, asset types, tags, skills).
	MaxNameLen = maxName
	// MaxKeyLineLen bounds one SSH public key line: an RSA-16384 key is
	// about 2.8 KB in authorized_keys form.
	MaxKeyLineLen = 8192
)

// IDProblem returns "" when s can be an event id or unit, else what is
// wrong with it. An id is 1 to MaxIDLen bytes of printable UTF-8 with no
// whitespace: no control characters (C0, DEL, C1), no bidi or zero-width
// formatting characters, no line or paragraph separators, no spaces.
func IDProblem(s string) string {
	if s == "" {
		return "is empty"
	}
	if len(s) > MaxIDLen {
		return fmt.Sprintf("is %d bytes long; at most %d are allowed", len(s), MaxIDLen)
	}
	return charProblem(s, false)
}

// NameProblem returns "" when s can be a name, a title or a taxonomy term
// of at most limit bytes, else what is wrong with it. A name is printable
// UTF-8 with at least one visible character: letters, marks, digits,
// punctuation, symbols and spaces inside, with no control, formatting
// (bidi, zero-width) or other whitespace characters, no character drawn
// as a blank (Hangul fillers, the braille blank, other default-ignorable
// code points) and no space at either end. The joiners are allowed where
// they have a role (see charProblem): ZWNJ and ZWJ between letters and
// marks ("محمد‌زاده", "ශ්‍රී"), ZWJ between emoji ("👩‍💻"), and a
// variation selector after the character it styles ("❤️").
// Accents, emoji and every script pass: "Café ☕ 春".
func NameProblem(s string, limit int) string {
	switch {
	case s == "":
		return "is empty"
	case len(s) > limit:
		return fmt.Sprintf("is %d bytes long; at most %d are allowed", len(s), limit)
	case s[0] == ' ' || s[len(s)-1] == ' ':
		return "starts or ends with a space"
	}
	return charProblem(s, true)
}

// TextProblem returns "" when s can be free text (an objective, a
// comment, a note) of at most limit bytes, else what is wrong with it.
// Text is UTF-8 of any script over any number of lines, with tabs; it may
// not hold other control characters (an escape sequence, a bell, a
// carriage return that overprints the line) nor bidi controls, which
// reorder what is printed after them. Joiners and other zero-width
// characters pass: text has no look-alike to fake, and printing drops
// all of them but the joiners, which only shape the letters and emoji
// beside them.
func TextProblem(s string, limit int) string {
	if len(s) > limit {
		return fmt.Sprintf("is %d bytes long; at most %d are allowed", len(s), limit)
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !validRuneAt(s, i):
			return fmt.Sprintf("is not valid UTF-8 at byte %d", i)
		case r == '\n' || r == '\t':
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			return fmt.Sprintf("has a control character (U+%04X) at byte %d", r, i)
		case unicode.Is(unicode.Bidi_Control, r):
			return fmt.Sprintf("has a bidi control (U+%04X) at byte %d, which reorders the text after it", r, i)
		}
	}
	return ""
}

// KeyLineProblem returns "" when s can be one SSH public key in
// authorized_keys form, else what is wrong with it: a key is one line of
// printable ASCII, so that it cannot smuggle a second line into a file.
func KeyLineProblem(s string) string {
	if s == "" {
		return "is empty"
	}
	if len(s) > MaxKeyLineLen {
		return fmt.Sprintf("is %d bytes long; at most %d are allowed", len(s), MaxKeyLineLen)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return fmt.Sprintf("has a line break, control or non-ASCII byte at byte %d; give one key per line, as in authorized_keys", i)
		}
	}
	return ""
}

func spaceHint(spaces bool) string {
	if spaces {
		return "use plain spaces only"
	}
	return "ids cannot contain spaces"
}

// validRuneAt reports whether the U+FFFD decoded at s[i] is really there,
// rather than standing for an invalid byte.
func validRuneAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 3
}
