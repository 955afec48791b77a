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

// NameProblem returns "" when s can be a name or a taxonomy term of at most
// limit bytes, else what is wrong with it. A name is printable UTF-8:
// letters, marks, digits, punctuation, symbols and single spaces inside,
// with no control, formatting or other whitespace characters and no space
// at either end.
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

// charProblem names the first character of s no identifier may hold;
// spaces (U+0020 only) are allowed when spaces is true.
func charProblem(s string, spaces bool) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !validRuneAt(s, i):
			return fmt.Sprintf("is not valid UTF-8 at byte %d", i)
		case r == ' ' && spaces:
		case unicode.IsControl(r):
			return fmt.Sprintf("has a control character (U+%04X) at byte %d", r, i)
		case unicode.Is(unicode.Cf, r):
			return fmt.Sprintf("has an invisible formatting character (U+%04X, bidi or zero-width) at byte %d", r, i)
		case unicode.IsSpace(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Zs):
			return fmt.Sprintf("has whitespace (U+%04X) at byte %d; %s", r, i, spaceHint(spaces))
		case !unicode.IsPrint(r):
			return fmt.Sprintf("has an unprintable character (U+%04X) at byte %d", r, i)
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
