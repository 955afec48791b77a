package sanitize

import (
	"testing"

	"github.com/tandem-ops/tandem/ui/sanitize/sanitizetest"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, text, line string
	}{
		{"plain", "Spring email", "Spring email", "Spring email"},
		{"window title OSC", "a\x1b]0;pwned\x07b", "ab", "ab"},
		{"clipboard OSC 52 with BEL", "a\x1b]52;c;cHduZWQ=\x07b", "ab", "ab"},
		{"clipboard OSC 52 with ST", "a\x1b]52;c;cHduZWQ=\x1b\\b", "ab", "ab"},
		{"clipboard OSC 52 with 8-bit ST", "a\x1b]52;c;cHduZWQ=\u009cb", "ab", "ab"},
		{"8-bit OSC", "a\u009d0;pwned\x07b", "ab", "ab"},
		{"DCS", "a\x1bP1;2q#0\x1b\\b", "ab", "ab"},
		{"APC, PM and SOS", "a\x1b_x\x1b\\b\x1b^y\x1b\\c\x1bXz\x1b\\d", "abcd", "abcd"},
		{"unterminated OSC ends at a newline", "a\x1b]0;pwned\nb", "a\nb", "a b"},
		{"unterminated OSC at the end", "a\x1b]0;pwned", "a", "a"},
		{"clear screen CSI", "\x1b[2Jtitle", "title", "title"},
		{"private CSI", "\x1b[?1049hx", "x", "x"},
		{"colour", "\x1b[31mred\x1b[0m", "red", "red"},
		{"8-bit CSI and its parameters", "x\u009b2Jy", "xy", "xy"},
		{"two-byte escapes", "\x1bcreset\x1b7", "reset", "reset"},
		{"charset escape with intermediate", "\x1b(0lqk", "lqk", "lqk"},
		{"ESC at the end", "x\x1b", "x", "x"},
		{"CSI cut by a control", "\x1b[3\x07x", "x", "x"},
		{"bell and backspace", "a\x07\x08b", "ab", "ab"},
		{"NUL and DEL", "a\x00b\x7fc", "abc", "abc"},
		{"NEL", "a\u0085b", "ab", "ab"},
		{"newlines", "one\ntwo\tthree", "one\ntwo\tthree", "one two three"},
		{"line and paragraph separators", "a\u2028b\u2029c", "a\nb\nc", "a b c"},
		{"carriage return", "safe\roverwrite", "safeoverwrite", "safeoverwrite"},
		{"invalid utf-8", "a\xffb\xc2", "ab", "ab"},
		{"right-to-left override", "invoice\u202Efdp.exe", "invoicefdp.exe", "invoicefdp.exe"},
		{"bidi isolates and marks", "\u2066a\u2069\u200eb\u200fc\u061c", "abc", "abc"},
		{"zero-width", "ad\u200bm\u200ci\u200dn\u2060\u2064", "admin", "admin"},
		{"byte order mark", "\ufeffname", "name", "name"},
		{"soft hyphen and Mongolian separator", "co\u00adop\u180e", "coop", "coop"},
		{"tag characters", "a\U000E0041\U000E007Fb", "ab", "ab"},
		{"Hangul filler", "\u3164", "", ""},
		{"unicode kept", "café — 👍 ﷽ 日本", "café — 👍 ﷽ 日本", "café — 👍 ﷽ 日本"},
		{"replacement character kept", "a\ufffdb", "a\ufffdb", "a\ufffdb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.text {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.text)
			}
			if got := Line(tt.in); got != tt.line {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.line)
			}
		})
	}
}

// Ensure that text needing no change is returned as it is, without an
// allocation: views sanitize every cell of every frame.
func TestText_NoAlloc(t *testing.T) {
	for _, s := range []string{"Spring email", "café — 👍", "one\ntwo"} {
		if n := testing.AllocsPerRun(100, func() { _ = Text(s) }); n != 0 {
			t.Errorf("Text(%q) allocates %v times", s, n)
		}
	}
}

// Ensure that the check the corpus tests rely on catches every kind of
// unsafe rune.
func TestCheck(t *testing.T) {
	for _, s := range []string{"\x1b", "\x00", "\r", "\x7f", "\u0085", "\u009b", "\u202e", "\u2066", "\u200b", "\ufeff", "\xff", "\xc2", "\u2028", "\u3164"} {
		if sanitizetest.Check("a"+s, true) == "" {
			t.Errorf("Check(%q) passes", s)
		}
	}
	if got := sanitizetest.Check("a\n\tb é \ufffd", true); got != "" {
		t.Errorf("Check refused text: %s", got)
	}
	if sanitizetest.Check("a\nb", false) == "" {
		t.Error("Check(line with newline) passes")
	}
}

// checkClean fails t unless out is safe and cleaning it again changes
// nothing.
func checkClean(t *testing.T, in, out string, keepLines bool) {
	t.Helper()
	if why := sanitizetest.Check(out, keepLines); why != "" {
		t.Fatalf("clean(%q) = %q: %s", in, out, why)
	}
	if again := clean(out, keepLines); again != out {
		t.Fatalf("clean is not idempotent: %q then %q", out, again)
	}
}

// fuzzSeeds are the corpus and a few sequences cut short.
func fuzzSeeds() []string {
	return append(sanitizetest.Corpus(),
		"x\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "\u009b31m", "\x1bP1;2q\x1b\\", "\x1b]52;c;YQ==\x1b\\",
		"a\u202eb", "\u2066\u200b\ufeff", "\xe2\x80", "\x1b\x1b[", "line\nbreak\ttab\r", "👨\u200d👩",
	)
}

func FuzzLine(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkClean(t, s, Line(s), false)
		checkClean(t, s, Text(s), true)
	})
}

func BenchmarkLine(b *testing.B) {
	for _, bm := range []struct{ name, s string }{
		{"ascii", "Spring launch email for returning customers, variant B"},
		{"unicode", "Frühjahrs-Launch — café ☕ für Stammkunden, Variante B"},
		{"hostile", "Spring\x1b]52;c;cHduZWQ=\x07 launch\u202e email\u200b\x1b[2J"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bm.s)))
			for b.Loop() {
				_ = Line(bm.s)
			}
		})
	}
}
