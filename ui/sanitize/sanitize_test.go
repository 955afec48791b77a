package sanitize

import "testing"

func TestText(t *testing.T) {
	tests := []struct {
		name, in, text, line string
	}{
		{"plain", "Spring email", "Spring email", "Spring email"},
		{"window title OSC", "a\x1b]0;pwned\x07b", "ab", "ab"},
		{"clear screen CSI", "\x1b[2Jtitle", "title", "title"},
		{"colour", "\x1b[31mred\x1b[0m", "red", "red"},
		{"8-bit CSI loses its introducer", "x\u009b2Jy", "x2Jy", "x2Jy"},
		{"bell and backspace", "a\x07\x08b", "ab", "ab"},
		{"newlines", "one\ntwo\tthree", "one\ntwo\tthree", "one two three"},
		{"carriage return", "safe\roverwrite", "safeoverwrite", "safeoverwrite"},
		{"invalid utf-8", "a\xffb", "ab", "ab"},
		{"unicode kept", "café — 👍", "café — 👍", "café — 👍"},
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

func FuzzLine(f *testing.F) {
	for _, s := range []string{"x\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "\x1bP1;2q\x1b\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range Line(s) {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("Line(%q) kept control %U", s, r)
			}
		}
	})
}
