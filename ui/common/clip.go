package common

import "strings"

// Clip cuts a rendered block to at most width columns and height lines, so a
// view never spills out of the space it was given.
func Clip(s string, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		lines[i] = Truncate(l, width, "…")
	}
	return strings.Join(lines, "\n")
}
