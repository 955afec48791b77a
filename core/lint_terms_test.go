package core

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// referenceTermPositions is the pattern termPositions stands in for, the
// reference its scan is checked against.
func referenceTermPositions(text, term string) []int {
	if term == "" {
		return nil
	}
	re := regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(term) + `($|[^\pL\pN])`)
	var out []int
	for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
		out = append(out, m[3])
	}
	return out
}

// Ensure that whole-word term positions are the reference pattern's,
// including where a match's trailing boundary is the next one's leading
// boundary, terms that start or end in punctuation, other scripts and
// invalid UTF-8.
func TestTermPositions_Reference(t *testing.T) {
	tests := []struct{ text, term string }{
		{"great synergy", "synergy"},
		{"synergy synergy synergy", "synergy"},
		{"a a a a", "a"},
		{"a,a;a", "a"},
		{"synergyless synergy", "synergy"},
		{"the 3x3 grid, 3x3", "3x3"},
		{"“world-class” world-class.", "world-class"},
		{"100% free! 100%", "100%"},
		{"#1 brand #1", "#1"},
		{"café cafés café", "café"},
		{"日本語 本 本語", "本"},
		{"bad\xffterm \xffterm", "term"},
		{"term", "term"},
		{"", "term"},
		{"term", ""},
		{"termterm term", "term"},
	}
	for _, tt := range tests {
		got, want := termPositions(tt.text, tt.term), referenceTermPositions(tt.text, tt.term)
		if !slices.Equal(got, want) {
			t.Errorf("termPositions(%q, %q) = %v, want %v", tt.text, tt.term, got, want)
		}
	}
	// Random texts over an alphabet dense in boundaries and near misses;
	// terms without invalid UTF-8, which the pattern cannot be built from.
	alphabet := []string{"a", "b", "ab", " ", ",", "é", "1", "-", "本", "ab-", "-a", "\xff"}
	rng := rand.New(rand.NewPCG(19, 20))
	for range 3000 {
		var text, term strings.Builder
		for range rng.IntN(24) {
			text.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		for range 1 + rng.IntN(3) {
			term.WriteString(alphabet[rng.IntN(len(alphabet)-1)])
		}
		got, want := termPositions(text.String(), term.String()), referenceTermPositions(text.String(), term.String())
		if !slices.Equal(got, want) {
			t.Fatalf("termPositions(%q, %q) = %v, want %v", text.String(), term.String(), got, want)
		}
	}
}
