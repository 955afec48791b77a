package styles

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Ink is a style's colours and text attributes, ready to apply to one line.
// lipgloss's Render splits, measures and lays out the text on every call;
// a board repaints dozens of card lines per frame in every session, and
// there Render was half the frame. Ink is only for styles with no padding,
// margin, width, border or underline, and for text without newlines.
type Ink struct{ open, close string }

// InkOf captures what style wraps around a line of text.
func InkOf(style lipgloss.Style) Ink {
	const mark = "\x00"
	open, close, _ := strings.Cut(style.Render(mark), mark)
	return Ink{open, close}
}

// Paint returns text in the ink's colours.
func (k Ink) Paint(text string) string { return k.open + text + k.close }
