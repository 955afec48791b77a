// Package list is the cockpit's one list: a cursor that never leaves the
// screen, page keys, a `/` filter that marks what it matched, an empty
// state and a focus marker that shows without colour. A view keeps its
// rows and gives the list one filter value per row; the list keeps which
// rows are shown and which has focus, and asks the view to draw the ones
// on screen, so a frame costs the rows shown, not the rows there are.
package list

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/styles"
)

// Keys are the bindings a list answers to: the view's own up and down, so
// help names what a row is, and the shared paging and filter keys. A nil
// Paging leaves paging and `/` off, for a list whose query is typed
// elsewhere (the palette).
type Keys struct {
	Up, Down *key.Binding
	Paging   *keymap.List
}

// Row is a row on show: the item it is (an index into the values given to
// SetItems) and, once it has been on screen under a filter, the byte
// offsets of its value the filter matched.
type Row struct {
	Item    int
	Matched []int
}

// Model is one list.
type Model struct {
	keys   Keys
	styles *styles.Styles
	marks  marks
	values []string
	// lower is values in lower case, as the filter matches them.
	lower  []string
	rows   []Row
	cursor int // index into rows
	offset int // first row on screen
	width  int
	height int
	empty  string
	// input is the filter box; typing says it has the keys, query is the
	// filter in force ("" for none).
	input  textinput.Model
	typing bool
	query  string
}

// New returns an empty list drawn with st.
func New(keys Keys, st *styles.Styles) *Model {
	ti := textinput.New()
	ti.Prompt = "/"
	ti.CharLimit = 200 // no Width: the box would pad to it, away from the count after it
	return &Model{keys: keys, styles: st, marks: newMarks(st), input: ti}
}

// SetItems replaces the list's items, one filter value each, keeping the
// cursor on the same row number and the filter in force.
func (m *Model) SetItems(values []string) {
	m.values = values
	m.lower = m.lower[:0]
	for _, v := range values {
		m.lower = append(m.lower, strings.ToLower(v))
	}
	m.refilter()
}

// SetMatches shows exactly these rows, in this order: for a list whose
// query and ranking are the caller's (the palette). The cursor goes to the
// first row.
func (m *Model) SetMatches(rows []Row) {
	m.rows, m.cursor, m.offset = rows, 0, 0
}

// SetSize gives the list its width and height in cells, its filter and
// position lines included.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.keepCursorOnScreen()
}

// SetEmpty is the text shown when the list has no items.
func (m *Model) SetEmpty(text string) { m.empty = text }

// Len is the number of rows shown (all items, or those matching the
// filter).
func (m *Model) Len() int { return len(m.rows) }

// Index is the item with focus, and false when no row is shown.
func (m *Model) Index() (int, bool) {
	if m.cursor >= len(m.rows) {
		return 0, false
	}
	return m.rows[m.cursor].Item, true
}

// Select moves focus to item, if it is shown.
func (m *Model) Select(item int) {
	for i, r := range m.rows {
		if r.Item == item {
			m.cursor = i
			m.keepCursorOnScreen()
			return
		}
	}
}

// Typing reports whether the filter box has the keys: the view's
// CapturesInput says so too, so global keys type into it.
func (m *Model) Typing() bool { return m.typing }

// Query is the filter in force, "" for none.
func (m *Model) Query() string { return m.query }

// Update handles a key or a click meant for the list, and reports whether
// it did: a view passes on what the list leaves.
func (m *Model) Update(msg tea.Msg) (bool, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if m.typing {
			return true, m.updateFilter(msg)
		}
		return m.move(msg)
	case tea.MouseMsg:
		return m.click(msg), nil
	}
	return false, nil
}

// move handles the keys that move the cursor or open the filter.
func (m *Model) move(msg tea.KeyMsg) (bool, tea.Cmd) {
	k, page := m.keys, max(m.rowsOnScreen(), 1)
	switch {
	case k.Up != nil && key.Matches(msg, *k.Up):
		m.cursor--
	case k.Down != nil && key.Matches(msg, *k.Down):
		m.cursor++
	case k.Paging == nil:
		return false, nil
	case key.Matches(msg, k.Paging.PageUp):
		m.cursor -= page
	case key.Matches(msg, k.Paging.PageDown):
		m.cursor += page
	case key.Matches(msg, k.Paging.Home):
		m.cursor = 0
	case key.Matches(msg, k.Paging.End):
		m.cursor = len(m.rows) - 1
	case key.Matches(msg, k.Paging.Filter) && !m.typing:
		m.typing = true
		m.input.SetValue(m.query)
		m.input.CursorEnd()
		m.keepCursorOnScreen()
		return true, m.input.Focus()
	default:
		return false, nil
	}
	m.cursor = max(min(m.cursor, len(m.rows)-1), 0)
	m.keepCursorOnScreen()
	return true, nil
}

// updateFilter types into the filter box, filtering as it goes: enter
// keeps the filter, esc drops it, and keys that type nothing (arrows,
// pages) still move through the matches.
func (m *Model) updateFilter(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyRunes {
		if moved, _ := m.move(msg); moved {
			return nil
		}
	}
	switch {
	case key.Matches(msg, m.keys.Paging.FilterApply):
		m.typing = false
		m.input.Blur()
		m.keepCursorOnScreen()
		return nil
	case key.Matches(msg, m.keys.Paging.FilterClear):
		m.typing = false
		m.input.Blur()
		m.setQuery("")
		return nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	common.CleanInput(&m.input)
	m.setQuery(m.input.Value())
	return cmd
}

// setQuery filters by q, with the cursor on the first match.
func (m *Model) setQuery(q string) {
	if q == m.query {
		return
	}
	narrower := m.query != "" && strings.HasPrefix(q, m.query)
	m.query, m.cursor, m.offset = q, 0, 0
	if !narrower {
		m.refilter()
		return
	}
	// A longer query matches a subset of what matched: only those rows
	// need looking at again, so typing gets faster as the list narrows.
	matcher, kept := newMatcher(q), m.rows[:0]
	for _, r := range m.rows {
		if matcher.matches(m.lower[r.Item]) {
			kept = append(kept, Row{Item: r.Item})
		}
	}
	m.rows = kept
	m.keepCursorOnScreen()
}

// refilter works out the rows shown from the items and the query; the
// rows keep the items' order, so a queue filtered is still by urgency.
func (m *Model) refilter() {
	m.rows = m.rows[:0]
	q := newMatcher(m.query)
	for i, v := range m.lower {
		if q.matches(v) {
			m.rows = append(m.rows, Row{Item: i})
		}
	}
	m.cursor = max(min(m.cursor, len(m.rows)-1), 0)
	m.keepCursorOnScreen()
}

// click focuses the row under a left click, y counted from the list's
// first line.
func (m *Model) click(msg tea.MouseMsg) bool {
	if msg.Action != tea.MouseActionPress || msg.Button != tea.MouseButtonLeft || m.typing {
		return false
	}
	i := m.offset + msg.Y - m.filterLines()
	if msg.Y < m.filterLines() || msg.Y-m.filterLines() >= m.rowsOnScreen() || i >= len(m.rows) {
		return false
	}
	m.cursor = i
	return true
}

// filterLines is 1 while the filter box is open or a filter is in force.
func (m *Model) filterLines() int {
	if m.typing || m.query != "" {
		return 1
	}
	return 0
}

// rowsOnScreen is how many rows fit under the filter line, less a line
// for the position when they do not all fit.
func (m *Model) rowsOnScreen() int {
	n := m.height - m.filterLines()
	if len(m.rows) > n {
		n--
	}
	return max(n, 1)
}

// keepCursorOnScreen scrolls as little as it takes to show the cursor.
func (m *Model) keepCursorOnScreen() {
	n := m.rowsOnScreen()
	switch {
	case m.cursor < m.offset:
		m.offset = m.cursor
	case m.cursor >= m.offset+n:
		m.offset = m.cursor - n + 1
	}
	m.offset = max(min(m.offset, len(m.rows)-n), 0)
	m.markOnScreen()
}

// markOnScreen finds what the filter matched in the rows on screen that
// do not know yet, so View only draws.
func (m *Model) markOnScreen() {
	if m.query == "" {
		return
	}
	q := newMatcher(m.query)
	for i := m.offset; i < min(m.offset+m.rowsOnScreen(), len(m.rows)); i++ {
		if r := &m.rows[i]; r.Matched == nil {
			r.Matched = q.marked(m.values[r.Item])
		}
	}
}
