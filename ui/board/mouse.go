package board

import tea "github.com/charmbracelet/bubbletea"

// Rows of the board above the first card: the top line, the stage names
// and their rule.
const cardsTop = 1 + headerHeight

// handleClick focuses the card under a left click (with `--mouse`); x and
// y are in the board's own cells. A click outside any card, or while a
// detail, form, filter or question is open, does nothing.
func (m *Model) handleClick(msg tea.MouseMsg) {
	if msg.Action != tea.MouseActionPress || msg.Button != tea.MouseButtonLeft ||
		m.detail != nil || m.form != nil || m.filtering || m.confirm != nil || msg.Y < cardsTop {
		return
	}
	x := 0
	for i, w := range columnWidths(m.common.Width, m.visibleColumns()) {
		if msg.X < x || msg.X >= x+w {
			x += w
			continue
		}
		stage := m.firstCol + i
		c := &m.cols[stage]
		row := (msg.Y - cardsTop) / cardHeight
		if row >= m.visibleCards() || c.offset+row >= len(c.cards) {
			return
		}
		m.col, c.cursor = stage, c.offset+row
		m.focusID = c.cards[c.cursor].ID
		m.clampScroll()
		return
	}
}
