package common

import "strings"

// Clip cuts a rendered block to at most width columns and height lines, so a
// view never spills out of the space it was given. A block that fits is
// returned as it is, without a copy: every frame of every session clips.
func Clip(s string, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	if strings.Count(s, "\n") >= height {
		return clipLines(s, width, height)
	}
	for rest := s; ; {
		line, after, more := strings.Cut(rest, "\n")
		if Width(line) > width {
			return clipLines(s, width, height)
		}
		if !more {
			return s
		}
		rest = after
	}
}

// clipLines truncates each of the first height lines of s to width.
func clipLines(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		lines[i] = Truncate(l, width, "…")
	}
	return strings.Join(lines, "\n")
}
