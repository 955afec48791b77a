// Package sanitizetest holds what tests of terminal output share: a corpus
// of hostile strings and a check, written independently of package
// sanitize, that output is safe to print.
package sanitizetest

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Corpus returns hostile strings to put into every field a person can
// write: escape sequences in 7- and 8-bit forms, controls, bidi and
// zero-width characters, invalid UTF-8 and a very long line. Each holds
// the letters "ok" so that tests can tell it was printed at all.
func Corpus() []string {
	return []string{
		"ok\x1b[2J\x1b[H clear",
		"ok\x1b]52;c;cHduZWQ=\x07 clipboard BEL",
		"ok\x1b]52;c;cHduZWQ=\x1b\\ clipboard ST",
		"ok\x1b]0;retitled\x07 title",
		"ok\u009b2J 8-bit CSI",
		"ok\u0085next\x7fdel",
		"ok\x00nul\x07bel\rcr",
		"ok\u202Etxt.exe",
		"ok\u2066isolate\u2069",
		"ok\u200bzero\ufeffwidth",
		"ok\xff\xfe\xc2 invalid",
		"ok" + strings.Repeat("long\x1b[31m", 600),
	}
}

// Hostile is all of Corpus in one string, for a field that takes one value.
func Hostile() string { return strings.Join(Corpus(), " ") }

// Check returns why out is not safe to print on a terminal, or "" when it
// is. Safe output is valid UTF-8 with no ESC or other C0 control (but
// newline and tab when keepLines), no DEL, no C1 control, no line or
// paragraph separator, no format character (bidi controls, zero-width
// characters, the BOM, …) and no Hangul filler.
func Check(out string, keepLines bool) string {
	for i, r := range out {
		bad := ""
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(out[i:], "\ufffd"):
			bad = "invalid UTF-8"
		case (r == '\n' || r == '\t') && keepLines:
		case r < 0x20 || r == 0x7f:
			bad = "a C0 control or DEL"
		case r >= 0x80 && r <= 0x9f:
			bad = "a C1 control"
		case r == '\u2028' || r == '\u2029':
			bad = "a line separator"
		case unicode.Is(unicode.Cf, r):
			bad = "a format (bidi or invisible) character"
		case r == '\u115f' || r == '\u1160' || r == '\u3164' || r == '\uffa0':
			bad = "a Hangul filler"
		}
		if bad != "" {
			return fmt.Sprintf("%s (%U) at byte %d, in %q", bad, r, i, excerpt(out, i))
		}
	}
	return ""
}

// excerpt is the text around out[i], for a failure message.
func excerpt(out string, i int) string {
	from, to := max(i-30, 0), min(i+30, len(out))
	return out[from:to]
}
