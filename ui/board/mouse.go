package board

import tea "github.com/charmbracelet/bubbletea"

// cardsTop is the row of the board the first card starts on: under the
// top lines (more than one while a long question or notice shows), the
// stage names and their rule.
func (m *Model) cardsTop() int { return len(m.topLines()) + headerHeight }

// handleClick focuses the card under a left click (with `--mouse`); x and
// y are in the board's own cells. A click outside any card, or while a
// detail, form, filter or question is open, does nothing.
func (m *Model) handleClick(msg tea.MouseMsg) {
	if msg.Action != tea.MouseActionPress || msg.Button != tea.MouseButtonLeft ||
		m.detail != nil || m.form != nil || m.filtering || m.confirm != nil {
		return
	}
	top := m.cardsTop()
	if msg.Y < top {
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
		if m.group != groupNone {
			m.clickLane(stage, msg.Y-top)
			return
		}
		row := (msg.Y - top) / cardHeight
		if row >= m.visibleCards() || c.offset+row >= len(c.cards) {
			return
		}
		m.col, c.cursor = stage, c.offset+row
		m.focusID = c.cards[c.cursor].ID
		m.clampScroll()
		return
	}
}

// clickLane focuses the card of stage's column on line y of the lanes on
// screen, if there is one.
func (m *Model) clickLane(stage, y int) {
	if y >= m.laneLines() {
		return
	}
	line := m.laneTop + y
	bands, _ := m.bands()
	for _, bd := range bands {
		if line <= bd.top || line >= bd.top+bd.lines() {
			continue // a lane's header, or another lane
		}
		s := m.lanes[bd.lane].spans[stage]
		if row := (line - bd.top - 1) / cardHeight; row < s.len() {
			c := &m.cols[stage]
			m.col, c.cursor = stage, s.from+row
			m.focusID = c.cards[c.cursor].ID
			m.clampScroll()
		}
		return
	}
}
