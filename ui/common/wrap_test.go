package common

import (
	"slices"
	"testing"
)

// Ensure that Wrap breaks at spaces, breaks a word only when it is wider
// than a line, and ends text that does not fit in its lines with "…".
func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		name        string
		text        string
		width, most int
		want        []string
	}{
		{"fits", "moved #12 to review", 80, 3, []string{"moved #12 to review"}},
		{"empty", "", 80, 3, []string{""}},
		{"at spaces", "⚠ review is at its WIP limit (8). Move #23 there anyway? y/n", 24, 3,
			[]string{"⚠ review is at its WIP", "limit (8). Move #23", "there anyway? y/n"}},
		{"long word", "see /a/very/long/path/to/a/file now", 10, 5,
			[]string{"see", "/a/very/lo", "ng/path/to", "/a/file", "now"}},
		{"too long", "one two three four five six seven", 9, 2, []string{"one two", "three fo…"}},
		{"one line", "one two three", 8, 1, []string{"one two…"}},
		{"wide runes", "日本語の 通知です", 8, 3, []string{"日本語の", "通知です"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Wrap(tc.text, tc.width, tc.most)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("Wrap(%q, %d, %d) = %q, want %q", tc.text, tc.width, tc.most, got, tc.want)
			}
			for _, l := range got {
				if Width(l) > tc.width {
					t.Errorf("line %q is %d cells, wider than %d", l, Width(l), tc.width)
				}
			}
		})
	}
}
