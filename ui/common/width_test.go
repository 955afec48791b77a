package common

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Ensure that every symbol Width counts as one cell is one cell to
// ansi.StringWidth, alone and beside others.
func TestWidth_NarrowSymbols(t *testing.T) {
	for r := rune(0); r < 0x30000; r++ {
		if !narrowSymbol(r) {
			continue
		}
		if got := ansi.StringWidth(string(r)); got != 1 {
			t.Errorf("%U %q is %d cells to ansi.StringWidth", r, r, got)
		}
		if got := ansi.StringWidth("a" + string(r) + string(r) + "b"); got != 4 {
			t.Errorf("%U %q joins its neighbours: %d cells", r, r, got)
		}
	}
}

// Ensure that Width agrees with ansi.StringWidth on styled lines of every
// kind: ASCII, symbols, wide and combining characters, sequences cut short.
func TestWidth_AgreesWithAnsi(t *testing.T) {
	pieces := []string{"Spring launch", " · ", "…", "▌ ", "✗ late", "\x1b[38;5;141m", "\x1b[0m", "\x1b[1;48;5;59m",
		"日本", "é", "e\u0301", "👍", "⚠\ufe0f", "\x1b]8;;https://x\x07link\x1b]8;;\x07", "\x1b", "\x1b[", "\t", "ﬁ", "\u00ad"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50_000 {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Fatalf("Width(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
	}
}

func BenchmarkWidth(b *testing.B) {
	line := "\x1b[38;5;141m▌ \x1b[0m\x1b[1;48;5;59mSpring launch email subject lines\x1b[0m  \x1b[38;5;103mAna · ✗ late Nov 2\x1b[0m      "
	b.Run("common.Width", func(b *testing.B) {
		for b.Loop() {
			Width(line)
		}
	})
	b.Run("ansi.StringWidth", func(b *testing.B) {
		for b.Loop() {
			ansi.StringWidth(line)
		}
	})
}

// Ensure that Clip cuts what does not fit, as splitting every line would,
// and returns what fits unchanged.
func TestClip(t *testing.T) {
	tests := []struct {
		in            string
		width, height int
		want          string
	}{
		{"ab\ncd", 5, 5, "ab\ncd"},
		{"ab\ncd\n", 5, 2, "ab\ncd"},
		{"ab\ncd\n", 5, 3, "ab\ncd\n"},
		{"abcdef\nx", 4, 5, "abc…\nx"},
		{"\x1b[1mabcdef\x1b[0m", 3, 1, "\x1b[1mab…\x1b[0m"},
		{"a\nb\nc", 1, 2, "a\nb"},
		{"", 3, 1, ""},
		{"abc", 0, 1, ""},
	}
	for _, tt := range tests {
		if got := Clip(tt.in, tt.width, tt.height); got != tt.want {
			t.Errorf("Clip(%q, %d, %d) = %q, want %q", tt.in, tt.width, tt.height, got, tt.want)
		}
	}
}
