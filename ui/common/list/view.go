package list

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
	"github.com/tandem-ops/tandem/ui/styles"
)

// Marker is the gutter mark of the focused row: a character, so focus
// shows without colour (NO_COLOR, the golden files) as well as with it.
const Marker = "▌"

// marks are the list's styles as ink, applied to every row of a frame.
type marks struct {
	marker   string
	selected styles.Ink
	match    styles.Ink
}

func newMarks(st *styles.Styles) marks {
	return marks{
		marker:   st.List.Marker.Render(Marker),
		selected: styles.InkOf(st.List.Selected),
		match:    styles.InkOf(st.List.Match),
	}
}

// RenderRow draws one row's text; focused says it has the cursor. The list
// adds the gutter and the focus style, and cuts the line to its width.
type RenderRow func(r Row, focused bool) string

// View draws the filter line, the rows on screen and, when not all fit,
// where they are in the list; or the empty state.
func (m *Model) View(render RenderRow) string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var lines []string
	if m.filterLines() > 0 {
		lines = append(lines, m.filterLine())
	}
	if len(m.rows) == 0 {
		return strings.Join(append(lines, m.emptyLine()), "\n")
	}
	n := m.rowsOnScreen()
	end := min(m.offset+n, len(m.rows))
	for i := m.offset; i < end; i++ {
		focused := i == m.cursor
		text := render(m.rows[i], focused)
		if focused {
			lines = append(lines, m.marks.marker+m.marks.selected.Paint(text))
		} else {
			lines = append(lines, " "+text)
		}
	}
	if len(m.rows) > n {
		lines = append(lines, m.styles.List.Position.Render(fmt.Sprintf(" %d–%d of %d", m.offset+1, end, len(m.rows))))
	}
	return common.Clip(strings.Join(lines, "\n"), m.width, m.height)
}

// filterLine is the filter box while typing, else the filter in force, with
// how many items match.
func (m *Model) filterLine() string {
	count := m.styles.List.Position.Render(fmt.Sprintf("  %d of %d", len(m.rows), len(m.values)))
	if m.typing {
		return m.input.View() + count
	}
	return m.styles.List.Filter.Render("/"+sanitize.Line(m.query)) + count
}

func (m *Model) emptyLine() string {
	if m.query != "" && len(m.values) > 0 {
		return m.styles.List.Empty.Render(fmt.Sprintf(" Nothing matches “%s”.", sanitize.Line(m.query)))
	}
	return m.styles.List.Empty.Render(m.empty)
}

// Mark draws s with the bytes the filter matched in r's value marked; s
// must begin with that value (it may go on: a padded cell, a whole row).
func (m *Model) Mark(r Row, s string) string {
	if len(r.Matched) == 0 {
		return s
	}
	var b strings.Builder
	next := 0 // index into r.Matched
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		if next < len(r.Matched) && r.Matched[next] == i {
			b.WriteString(m.marks.match.Paint(s[i : i+size]))
			next++
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
