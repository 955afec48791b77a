package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap lays a line of plain text out in at most maxLines lines of at most
// width cells, broken at spaces (a word wider than width is broken where
// it must). Text that does not fit in maxLines ends with "…" on the last
// line. It is for notices and questions, whose end (the fix, the keys to
// press) must not be cut off: wrap before painting, then paint each line,
// so that no style runs on into the space beside it.
func Wrap(text string, width, maxLines int) []string {
	width, maxLines = max(width, 1), max(maxLines, 1)
	if Width(text) <= width {
		return []string{text}
	}
	lines := strings.Split(ansi.Wrap(text, width, ""), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	if len(lines) > maxLines {
		rest := strings.Join(lines[maxLines-1:], " ")
		lines = lines[:maxLines]
		lines[maxLines-1] = ansi.Truncate(rest, width, "…")
	}
	return lines
}
