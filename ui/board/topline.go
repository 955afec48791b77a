package board

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
	"github.com/tandem-ops/tandem/ui/styles"
)

// maxPromptLines is how many lines a question or a notice may take above
// the stage names; one longer still ends with "…" on the last.
const maxPromptLines = 3

// topLines are the lines above the stage names: the filter being typed,
// or a pending question or the latest notice in the lines its words take,
// with the summary at the right of the last of them or, when there is no
// room there, on a line of its own. A short notice shares one line with
// the summary; so does the filter, which scrolls within its line.
func (m *Model) topLines() []string {
	w := m.common.Width
	right := m.ink.notice.Paint(m.summary())
	if m.filtering {
		return []string{beside(m.filter.View(), right, w)}
	}
	lines := m.promptLines(w)
	if len(lines) == 0 {
		return []string{beside("", right, w)}
	}
	last := len(lines) - 1
	if common.Width(lines[last])+1+common.Width(right) > w {
		return append(lines, beside("", right, w))
	}
	lines[last] = beside(lines[last], right, w)
	return lines
}

// beside is left and right at either end of a line width cells wide; when
// they do not fit, left cut to width, or right when there is no left.
func beside(left, right string, width int) string {
	gap := width - common.Width(left) - common.Width(right)
	if gap < 1 {
		if left == "" {
			return ansi.Truncate(right, width, "…")
		}
		return ansi.Truncate(left, width, "…")
	}
	return left + strings.Repeat(" ", gap) + right
}

// promptLines is a pending question or the latest notice, wrapped to width
// in at most maxPromptLines lines, nil for none.
func (m *Model) promptLines(width int) []string {
	switch {
	case m.skip != nil:
		return m.skipPrompt(width)
	case m.tags != nil:
		return paintLines(m.ink.prompt, m.tagsQuestion(), width)
	case m.confirm != nil:
		p := m.confirm
		return paintLines(m.ink.prompt, fmt.Sprintf("⚠ %s is at its WIP limit (%d). Move #%d there anyway? y/n",
			p.to, m.limits[p.to], p.brief.ID), width)
	case m.freshNotice() == "":
		return nil
	case m.failed:
		return paintLines(m.ink.failure, "✗ "+m.notice, width)
	}
	return paintLines(m.ink.notice, m.notice, width)
}

// paintLines is text made safe for the terminal, wrapped to width in at
// most maxPromptLines lines, each painted on its own so that no style
// runs into the summary beside the last.
func paintLines(ink styles.Ink, text string, width int) []string {
	lines := common.Wrap(sanitize.Line(text), width, maxPromptLines)
	for i, l := range lines {
		lines[i] = ink.Paint(l)
	}
	return lines
}

// summary says how many briefs the board shows, the filter and grouping
// they are shown by, and which stages are on screen.
func (m *Model) summary() string {
	shown := 0
	for _, c := range m.cols {
		shown += len(c.cards)
	}
	parts := []string{common.Plural(shown, "brief")}
	if q := m.filter.Value(); q != "" {
		parts = append(parts, fmt.Sprintf("filter %q", sanitize.Line(q)))
	}
	if m.group != groupNone {
		parts = append(parts, "grouped by "+m.group.String())
	}
	s := strings.Join(parts, " · ")
	vis := m.visibleColumns()
	if vis == numStages {
		return s
	}
	if m.firstCol > 0 {
		s += " · ◀"
	} else {
		s += " ·"
	}
	s += fmt.Sprintf(" stages %d–%d of %d", m.firstCol+1, m.firstCol+vis, numStages)
	if m.firstCol+vis < numStages {
		s += " ▶"
	}
	return s
}
