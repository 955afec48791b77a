package retro

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/core/kpi"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// View implements tea.Model. What does not fit scrolls: the view follows
// the cursor, or the note box while a note is written, and pgup/pgdown
// page through the rest (the notes).
func (m *Model) View() string {
	content, cursorLine := m.content()
	lines := strings.Split(content, "\n")
	top := m.top(len(lines), cursorLine)
	lines = lines[top:min(top+m.common.Height, len(lines))]
	return common.Clip(strings.Join(lines, "\n"), m.common.Width, m.common.Height)
}

// top is the first line on screen: where pgup/pgdown left it, or with the
// cursor a third of the way down.
func (m *Model) top(lines, cursorLine int) int {
	t := cursorLine - m.common.Height/3
	if m.scroll >= 0 {
		t = m.scroll
	}
	return m.onPage(t, lines)
}

// onPage keeps a first line t within content of lines lines.
func (m *Model) onPage(t, lines int) int { return min(max(t, 0), max(lines-m.common.Height, 0)) }

// page scrolls by a screen, up (-1) or down (1).
func (m *Model) page(dir int) {
	content, cursorLine := m.content()
	lines := strings.Count(content, "\n") + 1
	m.scroll = m.onPage(m.top(lines, cursorLine)+dir*max(m.common.Height-2, 1), lines)
}

// content renders the whole tab and says on which line the cursor is.
func (m *Model) content() (string, int) {
	st := m.common.Styles
	from, to := m.span()
	var b strings.Builder
	cursorLine := 0
	b.WriteString(st.Retro.Title.Render(fmt.Sprintf("Retro: last %d days (%s to %s) vs the %d before", periodDays()[m.period],
		from.Format("Jan 2"), to.AddDate(0, 0, -1).Format("Jan 2"), periodDays()[m.period])))
	scope := "all campaigns"
	if m.campaign != "" {
		scope = "campaign " + sanitize.Line(m.campaign)
	}
	b.WriteString(st.Retro.Scope.Render(" · " + scope))
	if n := m.notice.View(st.App.Muted, m.common.Width, m.common.Now()); n != "" {
		b.WriteString("\n" + n)
	}
	b.WriteString("\n\n")
	if m.trends == nil {
		b.WriteString(st.App.Muted.Render("Computing…"))
		return b.String(), 0
	}
	b.WriteString(st.App.Muted.Render(fmt.Sprintf(" %-27s %10s %5s %10s  %-10s %s", "KPI", "NOW", "N", "BEFORE", "TREND", "WEEKLY")) + "\n")
	for i, t := range m.trends {
		arrow := kpi.Arrow(t)
		style := st.App.Muted
		switch {
		case strings.HasSuffix(arrow, "better"):
			style = st.App.Success
		case strings.HasSuffix(arrow, "worse"):
			style = st.Retro.Worse
		}
		line := fmt.Sprintf("%-27s %10s %5d %10s  ", t.Name, kpi.Format(t.KPI), t.N, kpi.Format(t.Previous)) + style.Render(fmt.Sprintf("%-10s", arrow)) + " " + common.SparklineOf(t.Weekly)
		if i == m.cursor {
			line = st.App.Selected.Render("▌") + line
			cursorLine = strings.Count(b.String(), "\n")
		} else {
			line = " " + line
		}
		b.WriteString(line + "\n")
	}
	if m.explain && m.cursor < len(m.trends) {
		t := m.trends[m.cursor]
		b.WriteString("\n" + st.Placeholder.Box.Width(max(m.common.Width-2, 20)).Render(t.Name+": "+t.Definition+fmt.Sprintf(" (from %d items)", t.N)) + "\n")
	}
	b.WriteString("\n")
	if m.cursor >= len(m.trends) { // on a stalled item, below its heading
		cursorLine = strings.Count(b.String(), "\n") + 1 + m.cursor - len(m.trends)
	}
	looking, notes := m.lookBack(), m.notesView(from, to)
	notesLine := strings.Count(b.String(), "\n")
	if w := m.common.Width; w >= twoColumns {
		// Side by side, so the notes are on screen with everything else.
		half := w / 2
		looking = common.Clip(looking, half-1, strings.Count(looking, "\n")+1)
		b.WriteString(lipgloss.JoinHorizontal(lipgloss.Top, st.Retro.Column.Width(half).Render(looking), notes))
	} else {
		notesLine += strings.Count(looking, "\n") + 2
		b.WriteString(looking + "\n\n" + notes)
	}
	if m.writing {
		// The note box, under the Notes heading, is what is typed into.
		cursorLine = notesLine + 1
	}
	return b.String(), cursorLine
}

// twoColumns is the width from which the notes sit beside what stalled and
// what worked.
const twoColumns = 100

// notesWidth is the width of the notes: the screen's, or its right half
// from twoColumns.
func (m *Model) notesWidth() int {
	if w := m.common.Width; w >= twoColumns {
		return w - w/2
	}
	return m.common.Width
}

// lookBack is what stalled and what worked.
func (m *Model) lookBack() string {
	st := m.common.Styles
	var b strings.Builder
	b.WriteString(st.Detail.Section.Render("What stalled") + st.App.Muted.Render("  (b files an action brief)") + "\n")
	for i, s := range m.stalled {
		line := fmt.Sprintf("#%d %s: %.0f days in %s (%s)", s.Brief.ID, sanitize.Line(s.Brief.Title), s.For.Hours()/24, s.Brief.Stage, sanitize.Line(s.Brief.Owner))
		if len(m.trends)+i == m.cursor {
			line = st.App.Selected.Render("▌") + line
		} else {
			line = " " + line
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n" + st.Detail.Section.Render("What worked") + "\n")
	if len(m.wins) == 0 {
		b.WriteString(st.App.Muted.Render(" nothing shipped or won in this period") + "\n")
	}
	for _, w := range m.wins {
		b.WriteString(" " + sanitize.Line(w) + "\n")
	}
	b.WriteString("\n" + m.templatesView())
	return strings.TrimSuffix(b.String(), "\n")
}

// notesView is both teams' notes on the periods [from, to) overlaps,
// newest first, each wrapped to the room it has.
func (m *Model) notesView(from, to time.Time) string {
	st := m.common.Styles
	wrap := st.Retro.Note.Width(max(m.notesWidth()-1, 10))
	var b strings.Builder
	b.WriteString(st.Detail.Section.Render("Notes") + st.App.Muted.Render("  (n adds yours)") + "\n")
	if m.writing {
		b.WriteString(m.input.View() + "\n")
	}
	notes := core.NotesWithin(m.notes, from, to)
	slices.Reverse(notes)
	if len(notes) == 0 && !m.writing {
		b.WriteString(st.App.Muted.Render("no notes on this period yet") + "\n")
	}
	for _, n := range notes {
		head := st.Retro.Team.Render(n.Team) + st.App.Muted.Render(fmt.Sprintf(" · %s · %s", sanitize.Line(n.Author), n.Period))
		b.WriteString(head + "\n" + wrap.Render(sanitize.Line(n.Text)) + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}
