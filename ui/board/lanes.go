package board

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// lane is one group's band across the board while it is grouped (a
// swimlane): a header the full width of the board, and under it each
// column's cards of the group, side by side.
type lane struct {
	id, label string
	count     int // the lane's cards in every column
	// spans are where the lane's cards are in each column: the columns
	// are sorted by group, so they are c.cards[from:to].
	spans [numStages]span
}

type span struct{ from, to int }

func (s span) len() int { return s.to - s.from }

// buildLanes finds the lanes of columns sorted by g, in the sort's order.
func buildLanes(cols *[numStages]column, g grouping) []lane {
	if g == groupNone {
		return nil
	}
	var lanes []lane
	index := map[string]int{}
	for stage := range cols {
		cards := cols[stage].cards
		for i := 0; i < len(cards); {
			id, j := g.id(cards[i]), i+1
			for j < len(cards) && g.id(cards[j]) == id {
				j++
			}
			k, ok := index[id]
			if !ok {
				k, index[id] = len(lanes), len(lanes)
				lanes = append(lanes, lane{id: id, label: g.label(cards[i])})
			}
			lanes[k].spans[stage] = span{i, j}
			lanes[k].count += j - i
			i = j
		}
	}
	slices.SortFunc(lanes, func(a, b lane) int { return cmp.Compare(a.id, b.id) })
	return lanes
}

// rows is how many cards the lane stacks in the columns on screen.
func (l *lane) rows(first, vis int) int {
	n := 0
	for stage := first; stage < first+vis; stage++ {
		n = max(n, l.spans[stage].len())
	}
	return n
}

// band is a lane on screen: its header's line among all the lanes' lines
// and how many rows of cards it has. Lanes with no card in the columns on
// screen are left out.
type band struct {
	lane, top, rows int
}

func (b band) lines() int { return 1 + b.rows*cardHeight }

// bands lays the lanes out for the columns on screen, and says how many
// lines they take in all.
func (m *Model) bands() ([]band, int) {
	vis := m.visibleColumns()
	var out []band
	top := 0
	for i := range m.lanes {
		if rows := m.lanes[i].rows(m.firstCol, vis); rows > 0 {
			b := band{lane: i, top: top, rows: rows}
			out = append(out, b)
			top += b.lines()
		}
	}
	return out, top
}

// focusLine is the first line of the focused card among the lanes' lines,
// and false when no card has focus.
func (m *Model) focusLine(bands []band) (int, bool) {
	c := m.cols[m.col]
	for _, b := range bands {
		if s := m.lanes[b.lane].spans[m.col]; c.cursor >= s.from && c.cursor < s.to {
			return b.top + 1 + (c.cursor-s.from)*cardHeight, true
		}
	}
	return 0, false
}

// laneLines is how many lines of lanes fit under the stage names.
func (m *Model) laneLines() int { return m.visibleCards() * cardHeight }

// clampLanes scrolls the lanes as little as it takes to show the focused
// card below the top line, which names the lane the screen starts in.
func (m *Model) clampLanes() {
	bands, total := m.bands()
	avail := m.laneLines()
	if y, ok := m.focusLine(bands); ok {
		if y-1 < m.laneTop {
			m.laneTop = y - 1
		}
		if y+cardHeight > m.laneTop+avail {
			m.laneTop = y + cardHeight - avail
		}
	}
	m.laneTop = max(min(m.laneTop, total-avail), 0)
}

// writeLanes draws the grouped board: the stage names, then avail lines of
// the lanes on screen from laneTop, then which lanes those are.
func (m *Model) writeLanes(b *strings.Builder, widths []int, avail int) {
	k := m.ink
	head, rule := make([]string, len(widths)), make([]string, len(widths))
	for i, w := range widths {
		head[i] = pad(m.columnHead(m.firstCol+i, w-1), w)
		rule[i] = pad(k.rule.Paint(strings.Repeat("─", w-1)), w)
	}
	b.WriteString("\n" + strings.Join(head, "") + "\n" + strings.Join(rule, ""))

	bands, _ := m.bands()
	top := m.laneTop
	lines := make([]string, 0, avail)
	first, last := -1, -1
	for bi, bd := range bands {
		if bd.top+bd.lines() <= top || bd.top >= top+avail {
			continue
		}
		if first < 0 {
			first = bi
		}
		last = bi
		row, cards := -1, []string(nil)
		for line := max(bd.top, top); line < min(bd.top+bd.lines(), top+avail); line++ {
			n := line - bd.top
			if n == 0 {
				lines = append(lines, m.laneHeader(&m.lanes[bd.lane], widths))
				continue
			}
			if (n-1)/cardHeight != row {
				row = (n - 1) / cardHeight
				cards = m.laneCards(&m.lanes[bd.lane], row, widths)
			}
			lines = append(lines, cards[(n-1)%cardHeight])
		}
	}
	// The top line always names the lane the screen starts in, so cards
	// scrolled up into view are never without their lane.
	if first >= 0 && bands[first].top < top && bands[first].top+bands[first].lines() > top+1 {
		lines[0] = m.laneHeader(&m.lanes[bands[first].lane], widths)
	}
	for len(lines) < avail {
		lines = append(lines, "")
	}
	for _, l := range lines {
		b.WriteString("\n" + l)
	}
	where := ""
	if len(bands) > 0 && first >= 0 {
		where = fmt.Sprintf("lanes %d–%d of %d", first+1, last+1, len(bands))
	}
	b.WriteString("\n" + k.meta.Paint(where))
}

// laneHeader opens a lane across the whole board: its name and how many
// cards it has in every column.
func (m *Model) laneHeader(l *lane, widths []int) string {
	width := 0
	for _, w := range widths {
		width += w
	}
	count := fmt.Sprintf(" (%d) ", l.count)
	name := common.Truncate(sanitize.Line(l.label), max(width-2-common.Width(count)-1, 1), "…")
	text := "─ " + name + count
	return m.ink.group.Paint(text + strings.Repeat("─", max(width-common.Width(text), 0)))
}

// laneCards is a row of the lane's cards, one per column that has one:
// cardHeight lines the width of the board.
func (m *Model) laneCards(l *lane, row int, widths []int) []string {
	now := m.common.Now()
	lines := make([]strings.Builder, cardHeight)
	for i, w := range widths {
		stage := m.firstCol + i
		card := make([]string, cardHeight)
		if s := l.spans[stage]; row < s.len() {
			c := &m.cols[stage]
			idx := s.from + row
			card = m.renderCard(c.cards[idx], stage == m.col && idx == c.cursor, w-1, now)
		}
		for j := range lines {
			lines[j].WriteString(pad(card[j], w))
		}
	}
	out := make([]string, cardHeight)
	for j := range lines {
		out[j] = lines[j].String()
	}
	return out
}
