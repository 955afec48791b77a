package board

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
	"github.com/tandem-ops/tandem/ui/styles"
)

// atRiskWindow is how close to its due date an unapproved brief turns amber.
const atRiskWindow = 48 * time.Hour

// View implements tea.Model. It renders only the cards on screen, so its
// cost does not grow with the number of briefs.
func (m *Model) View() string {
	w, h := m.common.Width, m.common.Height
	switch {
	case w <= 0 || h <= 0:
		return ""
	case m.form != nil:
		return common.Clip(m.form.view(), w, h)
	case m.picker != nil:
		return common.Clip(m.picker.view(m.common, m.keys), w, h)
	case m.detail != nil:
		// A move asked for from the detail asks or reports above it.
		lines := m.promptLines(w)
		if len(lines) == 0 {
			return m.detail.view(h)
		}
		return common.Clip(strings.Join(lines, "\n")+"\n"+m.detail.view(h-len(lines)), w, h)
	}
	key, shared := m.FrameKey()
	if !shared {
		return m.drawColumns()
	}
	// Sessions showing the same frame of the same snapshot draw it once.
	return backend.Derive(m.common.Backend, m.snap, "board.view\x00"+key, m.drawColumns)
}

// drawColumns draws the top lines and the columns on screen.
func (m *Model) drawColumns() string {
	w := m.common.Width
	lines := m.topLines()
	top := strings.Join(lines, "\n")
	visible := m.cardsUnder(len(lines))
	vis := m.visibleColumns()
	widths := columnWidths(w, vis)
	if m.group != groupNone {
		var b strings.Builder
		b.WriteString(top)
		m.writeLanes(&b, widths, visible*cardHeight)
		return b.String()
	}
	rows := headerHeight + visible*cardHeight + 1
	cells := make([][]string, vis)
	m.cards.begin(m.common.Now())
	for i := range vis {
		cells[i] = m.renderColumn(m.firstCol+i, widths[i], rows, visible)
	}
	m.cards.end()
	size := len(top) + rows
	for i := range vis {
		for _, cell := range cells[i] {
			size += len(cell)
		}
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteString(top)
	for r := range rows {
		b.WriteByte('\n')
		for i := range vis {
			b.WriteString(cells[i][r])
		}
	}
	return b.String()
}

// columnWidths splits width among n columns, the last taking the remainder.
func columnWidths(width, n int) []int {
	ws := make([]int, n)
	for i := range ws {
		ws[i] = width / n
	}
	ws[n-1] += width - ws[0]*n
	return ws
}

// renderColumn returns the rows of one stage column of the ungrouped
// board, each exactly width cells wide, with visible cards at most.
func (m *Model) renderColumn(stage, width, rows, visible int) []string {
	k := m.ink
	c := m.cols[stage]
	out := make([]string, 0, rows)
	inner := width - 1 // a space between columns
	out = append(out, pad(m.columnHead(stage, inner), width), pad(k.rule.Paint(strings.Repeat("─", inner)), width))

	now := m.common.Now()
	end := min(c.offset+visible, len(c.cards))
	for i := c.offset; i < end; i++ {
		b := c.cards[i]
		focused := stage == m.col && i == c.cursor
		out = append(out, m.cards.card(b, focused, width, m.badges[b.ID], func() []string {
			lines := m.renderCard(b, focused, inner, now)
			for j := range lines {
				lines[j] = pad(lines[j], width)
			}
			return lines
		})...)
	}
	blank := strings.Repeat(" ", width)
	for len(out) < rows-1 {
		out = append(out, blank)
	}
	more := ""
	if c.offset > 0 {
		more += fmt.Sprintf("↑%d ", c.offset)
	}
	if rest := len(c.cards) - end; rest > 0 {
		more += fmt.Sprintf("↓%d more", rest)
	}
	return append(out, pad(k.meta.Paint(more), width))
}

// columnHead is a stage's name and count, and its WIP limit when it has
// one, in inner cells.
func (m *Model) columnHead(stage, inner int) string {
	k := m.ink
	c := m.cols[stage]
	title := core.Stage(stage).String()
	count := fmt.Sprintf(" %d", c.total)
	if limit := m.limits[core.Stage(stage)]; limit > 0 {
		count = fmt.Sprintf(" %d/%d", c.total, limit)
	}
	header := k.header
	if stage == m.col {
		header = k.headerFocus
	}
	over := m.limits.Over(core.Stage(stage), c.total)
	flag := ""
	if over {
		flag = " ⚠ over WIP"
		if common.Width(title+count+flag) > inner {
			flag = " ⚠" // narrow column: the symbol still says it
		}
	}
	// A compact column shortens the stage's name, never its count.
	if room := inner - common.Width(count+flag); common.Width(title) > room {
		title = common.Truncate(title, max(room, 1), "…")
	}
	if over {
		return k.headerOver.Paint(title + count + flag)
	}
	return header.Paint(title) + k.meta.Paint(count)
}

// boardInks are the styles columns and cards are painted with, captured
// once: they are painted on every frame of every session.
type boardInks struct {
	header, headerFocus, headerOver, rule                            styles.Ink
	title, titleFocus, focusBar, meta, group, late, atRisk, up, down styles.Ink
	notice, prompt, failure                                          styles.Ink
	// id tells this set of inks from another's, for FrameKey.
	id string
}

func newBoardInks(s *styles.Styles) boardInks {
	b := s.Board
	k := boardInks{
		header: styles.InkOf(b.Header), headerFocus: styles.InkOf(b.HeaderFocus), headerOver: styles.InkOf(b.HeaderOver),
		rule:  styles.InkOf(b.Rule),
		title: styles.InkOf(b.Title), titleFocus: styles.InkOf(b.TitleFocus), focusBar: styles.InkOf(b.FocusBar),
		meta: styles.InkOf(b.Meta), group: styles.InkOf(b.Group), late: styles.InkOf(b.Late), atRisk: styles.InkOf(b.AtRisk),
		up: styles.InkOf(b.BadgeUp), down: styles.InkOf(b.BadgeDown),
		notice: styles.InkOf(b.Notice), prompt: styles.InkOf(b.Prompt), failure: styles.InkOf(s.App.Error),
	}
	k.id = inkID(k.header, k.headerFocus, k.headerOver, k.rule, k.title, k.titleFocus, k.focusBar, k.meta, k.group,
		k.late, k.atRisk, k.up, k.down, k.notice, k.prompt, k.failure)
	return k
}

// minOwnerCells is the fewest cells a card gives its owner ("Eva",
// "Ch…"); a compact card with less room beside a warning shows the
// warning alone.
const minOwnerCells = 3

// renderCard returns a card's cardHeight lines, at most width cells each.
func (m *Model) renderCard(b core.Brief, focused bool, width int, now time.Time) []string {
	k := m.ink
	bar, title := "  ", k.title
	if focused {
		bar, title = k.focusBar.Paint("▌ "), k.titleFocus
	}
	text := width - 2

	line1 := bar + title.Paint(common.Truncate(sanitize.Line(b.Title), text, "…"))

	// The owner stays on the card when grouped: the group is in its header.
	who, whoInk := firstName(b.Owner), k.meta
	if who == "" {
		who = "—"
	}
	// A compact card (five columns at 80 cells, seven from 112) says the
	// same in fewer words.
	compact := text < 20
	due := "no due date"
	dueInk := k.meta
	warning := b.Undated() || !b.Due.IsZero() && (b.Late(now) || b.AtRisk(now, atRiskWindow))
	switch {
	case b.Undated():
		due, dueInk = fmt.Sprintf("⚠ %gh, no due", b.EstimateHours), k.atRisk
		if compact && b.Owner != "" {
			due = "⚠ no due" // the hours are in the detail; the owner keeps its cells
		}
	case b.Due.IsZero():
		if compact {
			due = "no due"
		}
	case b.Late(now):
		due, dueInk = "✗ late "+b.Due.Format("Jan 2"), k.late
		if compact {
			due = "✗ " + b.Due.Format("Jan 2")
		}
	case b.AtRisk(now, atRiskWindow):
		due, dueInk = "! due "+b.Due.Format("Jan 2"), k.atRisk
		if compact {
			due = "! " + b.Due.Format("Jan 2")
		}
	default:
		due = b.Due.Format("Jan 2")
	}
	// On a compact card a warning's symbol sets the date apart, so the
	// owner keeps the cells the dot would take: "Hana ✗ Oct 27".
	sep := " · "
	if compact && warning {
		sep = " "
	}
	line2 := "  " + dueInk.Paint(due)
	if room := text - common.Width(due) - common.Width(sep); !compact || room >= minOwnerCells || !warning {
		who = common.Truncate(sanitize.Line(who), max(room, minOwnerCells), "…")
		line2 = "  " + whoInk.Paint(who) + k.meta.Paint(sep) + dueInk.Paint(due)
	}

	asset := sanitize.Line(b.AssetType)
	line3 := "  "
	if bd, ok := m.badges[b.ID]; ok {
		badge := k.up
		if strings.Contains(bd, "▼") {
			badge = k.down
		}
		asset = common.Truncate(asset, max(text-common.Width(bd)-1, 0), "…")
		line3 += k.meta.Paint(asset) + " " + badge.Paint(sanitize.Line(bd))
	} else {
		line3 += k.meta.Paint(common.Truncate(asset, text, "…"))
	}
	return []string{line1, common.Truncate(line2, width, ""), common.Truncate(line3, width, ""), ""}
}

func firstName(name string) string {
	if i := strings.IndexByte(name, ' '); i > 0 {
		return name[:i]
	}
	return name
}

// pad truncates or pads a rendered line to exactly width cells.
func pad(s string, width int) string {
	n := common.Width(s)
	if n > width {
		return ansi.Truncate(s, width, "")
	}
	return s + strings.Repeat(" ", width-n)
}
