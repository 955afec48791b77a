// Package board is the joint planning board: briefs in stage columns with
// their performance context, WIP limits, a brief form, a fuzzy filter,
// grouping and undo.
package board

import (
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

const numStages = 7

// Layout constants, in terminal cells.
const (
	cardHeight     = 4 // three lines and a gap
	minColumnWidth = 16
	headerHeight   = 2
)

// FocusMsg asks the board to show and focus a brief, as the command
// palette does.
type FocusMsg struct{ ID uint64 }

// pendingMove is a move past a WIP limit waiting for confirmation; opts
// are what the move was asked with.
type pendingMove struct {
	brief core.Brief
	to    core.Stage
	opts  core.MoveOptions
}

// undoEntry remembers where a moved brief came from, and the version and
// stage the move left it at: undoing is a move made from that version, so
// that it never reverts a change someone made since.
type undoEntry struct {
	id      uint64
	from    core.Stage
	to      core.Stage
	version uint64
}

// Model is the board view.
type Model struct {
	common common.Common
	keys   *keymap.Board

	briefs  []core.Brief
	limits  core.WIPLimits
	snap    core.Snapshot
	badges  map[uint64]string
	results []core.Result
	// resultsAt is the minute the results were worked out at.
	resultsAt time.Time
	cols      [numStages]column
	col       int // focused column
	firstCol  int // leftmost column on screen
	focusID   uint64

	filter    textinput.Model
	filtering bool
	group     grouping
	// lanes are the groups as swimlanes while grouped; laneTop is the
	// first of their lines on screen.
	lanes   []lane
	laneTop int

	confirm *pendingMove
	skip    *pendingSkip
	tags    *tagPrompt
	undo    []undoEntry
	notice  string
	// noticeAt is when the notice was set; it shows for common.NoticeLife.
	noticeAt time.Time
	failed   bool // the notice is an error

	detail *detail
	form   *briefForm
	picker *picker

	ink   boardInks
	cards cardCache
}

// New returns an empty board; it fills from the first snapshot.
func New(c common.Common) *Model {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.Placeholder = "title, tag, owner or channel"
	ti.CharLimit = 80
	return &Model{common: c, keys: &c.KeyMap.Board, filter: ti, limits: core.DefaultWIPLimits(), ink: newBoardInks(c.Styles)}
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(width, height int) {
	m.common.SetSize(width, height)
	m.filter.Width = max(width-4, 10)
	if m.form != nil {
		m.form.setSize(width, height)
	}
	m.clampScroll()
}

// CapturesInput implements common.InputCapturer: the filter, the form and
// the template picker's filter take typed text.
func (m *Model) CapturesInput() bool {
	return m.filtering || m.form != nil || m.picker != nil || m.skip != nil
}

// Update implements tea.Model. A question or notice may take lines from
// the cards, so after every message the focused card is scrolled back on
// screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer m.clampScroll()
	switch msg := msg.(type) {
	case core.Snapshot:
		m.applySnapshot(msg)
		return m, nil
	case FocusMsg:
		m.detail, m.form, m.picker, m.filtering = nil, nil, nil, false
		m.filter.SetValue("")
		m.focusID = msg.ID
		m.rebuild()
		return m, nil
	case movedMsg:
		m.focusID = msg.brief.ID
		verb := "moved"
		if msg.undid == 0 {
			m.undo = append(m.undo, undoEntry{id: msg.brief.ID, from: msg.from, to: msg.brief.Stage, version: msg.brief.Version})
		} else {
			verb = "undid: moved"
			m.chainUndo(msg)
		}
		m.setNotice(false, "%s #%d to %s", verb, msg.brief.ID, msg.brief.Stage)
		m.moveLocally(msg.brief)
		if m.detail != nil && m.detail.brief.ID == msg.brief.ID {
			m.detail = newDetail(m, msg.brief)
			return m, historyCmd(m.common.Ctx, m.common.Backend, msg.brief.ID, m.common.Now())
		}
		return m, nil
	case moveRefusedMsg:
		m.setNotice(true, "%s", moveRefused(msg))
		return m, nil
	case savedMsg:
		m.form = nil
		m.focusID = msg.brief.ID
		verb := "updated"
		if msg.created {
			verb = "added"
		}
		m.setNotice(false, "%s brief #%d: %s", verb, msg.brief.ID, sanitize.Line(msg.brief.Title))
		if s := msg.merged.String(); s != "" {
			m.setNotice(false, "%s brief #%d, %s", verb, msg.brief.ID, sanitize.Line(s))
		}
		if c := m.overbooking(msg.brief); c != "" {
			m.setNotice(true, "saved #%d, but %s", msg.brief.ID, c)
		}
		return m, nil
	case checklistMsg:
		return m, m.askSkip(msg)
	case tagsMsg:
		m.showTags(msg)
		return m, nil
	case runProgressMsg:
		return m, m.runProgress(msg)
	case historyMsg:
		if m.detail != nil && m.detail.brief.ID == msg.briefID {
			m.detail.setHistory(msg)
		}
		return m, nil
	case errMsg:
		m.setNotice(true, "%v", msg.err)
		return m, nil
	case wipMsg:
		m.confirm = &pendingMove{brief: msg.brief, to: msg.to, opts: msg.opts}
		return m, nil
	case saveFailedMsg:
		m.setNotice(true, "not saved: %v", msg.err)
		if m.form == nil { // discarded while it saved
			return m, nil
		}
		return m, m.form.failed(msg)
	case templatesMsg:
		if msg.err != nil || len(msg.uses) == 0 { // no templates: a blank brief, as before
			if msg.err != nil {
				m.setNotice(true, "templates: %v", msg.err)
			}
			m.form = newBriefForm(m.common, core.Brief{}, m.snap)
			return m, m.form.init()
		}
		m.picker = newPicker(msg.uses)
		return m, textinput.Blink
	case templateMsg:
		if msg.err != nil {
			m.setNotice(true, "template: %v", msg.err)
			return m, nil
		}
		m.form = newBriefForm(m.common, templatePreview(msg.tmpl), m.snap)
		return m, m.form.init()
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	case tea.MouseMsg:
		m.handleClick(msg)
		return m, nil
	}
	if m.form != nil {
		return m, m.form.update(msg)
	}
	return m, nil
}

func (m *Model) setNotice(failed bool, format string, args ...any) {
	m.failed = failed
	m.notice, m.noticeAt = fmt.Sprintf(format, args...), m.common.Now()
}

// freshNotice is the notice until it is common.NoticeLife old, "" after:
// a flash message never goes stale on the board.
func (m *Model) freshNotice() string {
	if m.common.Now().Sub(m.noticeAt) >= common.NoticeLife {
		return ""
	}
	return m.notice
}

// Noticing implements common.Noticer.
func (m *Model) Noticing() bool { return m.freshNotice() != "" }

// overbooking says whom a saved brief books past 100 % and when, "" when
// no one: the warning comes at the moment of planning, not in a report.
func (m *Model) overbooking(saved core.Brief) string {
	briefs := make([]core.Brief, 0, len(m.briefs)+1)
	for _, b := range m.briefs {
		if b.ID != saved.ID {
			briefs = append(briefs, b)
		}
	}
	plan := core.PlanCapacity(m.snap.People, append(briefs, saved), core.Weeks(m.common.Now(), 8), m.snap.Holidays)
	clashes := plan.ClashesFor(saved)
	if len(clashes) == 0 {
		return ""
	}
	c := clashes[0]
	return fmt.Sprintf("⚠ %s is booked %.0f%% in %s", sanitize.Line(c.Person), 100*c.Utilization, c.Week)
}

// applySnapshot rebuilds the columns from fresh data, keeping the focus on
// the same brief when it is still shown.
func (m *Model) applySnapshot(s core.Snapshot) {
	// Columns are rebuilt only when the briefs or the limits changed: most
	// writes in a busy workspace are event batches.
	columnsChanged := !common.Same(s.Briefs, m.briefs) || (s.WIPLimits != nil && !maps.Equal(s.WIPLimits, m.limits))
	m.snap = s
	m.briefs = s.Briefs
	if s.WIPLimits != nil {
		m.limits = s.WIPLimits
	}
	// Worked out to the minute, so that sessions on their own clocks share
	// them.
	now := m.common.Now().Truncate(time.Minute)
	r := backend.Derive(m.common.Backend, s, "board.results\x00"+now.Format(time.RFC3339), func() cardResults { return resultsOf(s, now) })
	m.results, m.badges, m.resultsAt = r.results, r.badges, now
	if columnsChanged {
		m.rebuild()
	}
}

// cardResults are the experiments' results and, by brief, the badge of
// the best one, shared by every session holding the same snapshot.
type cardResults struct {
	results []core.Result
	badges  map[uint64]string
}

func resultsOf(s core.Snapshot, now time.Time) cardResults {
	var r cardResults
	for _, e := range s.Experiments {
		if res, ok := core.ExperimentResult(core.Analyze(e, s.Totals[e.Key], now, s.Guards)); ok {
			r.results = append(r.results, res)
		}
	}
	r.badges = make(map[uint64]string, len(s.Briefs))
	for _, b := range s.Briefs {
		if ctx := core.PerformanceContext(b, r.results); len(ctx) > 0 {
			r.badges[b.ID] = badge(ctx[0])
		}
	}
	badgeWinningCombinations(r.badges, s.Experiments)
	return r
}

// badge is a card's one-glance summary of its best past result: "★▲+10%"
// for a declared winner, "▲+10%" for a result significant under its
// experiment's rule, and "~+10%" for a lead that may yet vanish.
func badge(r core.Result) string {
	lift := fmt.Sprintf("%+.0f%%", 100*r.Lift)
	switch {
	case r.Evidence == core.EvidenceDeclared && r.Control:
		return "★ control" // no treatment beat it
	case r.Evidence == core.EvidenceDeclared:
		return "★" + arrow(r.Lift) + lift
	case r.Evidence == core.EvidenceSignificant:
		return arrow(r.Lift) + lift
	}
	return "~" + lift
}

// arrow shows which way a lift goes.
func arrow(lift float64) string {
	if lift < 0 {
		return "▼"
	}
	return "▲"
}

// rebuild recomputes the columns for the current filter and grouping.
func (m *Model) rebuild() {
	if m.focusID == 0 {
		if b, ok := m.focused(); ok {
			m.focusID = b.ID
		}
	}
	m.cols = m.columns()
	m.lanes = buildLanes(&m.cols, m.group)
	m.refocus()
}

// columns sorts the briefs into columns for the filter and grouping. When
// they are the snapshot's, every session with the same filter and grouping
// shares one sorting: with ten thousand briefs it is most of the work a
// write costs a session.
func (m *Model) columns() [numStages]column {
	briefs, query, g := m.briefs, m.filter.Value(), m.group
	if !common.Same(briefs, m.snap.Briefs) {
		return buildColumns(briefs, query, g) // a move shown before its snapshot
	}
	key := fmt.Sprintf("board.columns\x00%d\x00%s", g, strings.TrimSpace(query))
	return backend.Derive(m.common.Backend, m.snap, key, func() [numStages]column { return buildColumns(briefs, query, g) })
}

// refocus puts the cursor on focusID when it is shown.
func (m *Model) refocus() {
	for c := range m.cols {
		for i, b := range m.cols[c].cards {
			if b.ID == m.focusID {
				m.col, m.cols[c].cursor = c, i
				m.clampScroll()
				return
			}
		}
	}
	m.clampScroll()
}

// moveLocally shows a committed move at once, before the snapshot that
// carries it arrives, so focus follows the card without a flicker.
func (m *Model) moveLocally(moved core.Brief) {
	for i, b := range m.briefs {
		if b.ID == moved.ID {
			briefs := make([]core.Brief, len(m.briefs))
			copy(briefs, m.briefs)
			briefs[i] = moved
			m.briefs = briefs
			break
		}
	}
	m.rebuild()
}

func (m *Model) focused() (core.Brief, bool) {
	c := m.cols[m.col]
	if c.cursor < len(c.cards) {
		return c.cards[c.cursor], true
	}
	return core.Brief{}, false
}

// visibleColumns is how many columns fit side by side.
func (m *Model) visibleColumns() int {
	return min(max(m.common.Width/minColumnWidth, 1), numStages)
}

// visibleCards is how many cards fit in a column under the top lines.
func (m *Model) visibleCards() int { return m.cardsUnder(len(m.topLines())) }

// cardsUnder is how many cards fit in a column under top lines, the stage
// names and their rule, with the line saying how many more there are.
func (m *Model) cardsUnder(top int) int {
	return max((m.common.Height-top-headerHeight-1)/cardHeight, 1)
}

// clampScroll keeps the focused column and card on screen.
func (m *Model) clampScroll() {
	vis := m.visibleColumns()
	if m.col < m.firstCol {
		m.firstCol = m.col
	}
	if m.col >= m.firstCol+vis {
		m.firstCol = m.col - vis + 1
	}
	m.firstCol = min(m.firstCol, numStages-vis)
	rows := m.visibleCards()
	for i := range m.cols {
		c := &m.cols[i]
		c.cursor = min(c.cursor, max(len(c.cards)-1, 0))
		if c.cursor < c.offset {
			c.offset = c.cursor
		}
		if c.cursor >= c.offset+rows {
			c.offset = c.cursor - rows + 1
		}
		c.offset = max(min(c.offset, len(c.cards)-rows), 0)
	}
	if m.group != groupNone {
		m.clampLanes()
	}
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case m.form != nil:
		if key.Matches(msg, m.keys.Back) {
			m.form = nil
			m.setNotice(false, "discarded the form")
			return nil
		}
		return m.form.update(msg)
	case m.picker != nil:
		if key.Matches(msg, m.keys.Back) {
			m.picker = nil
			return nil
		}
		name, picked, cmd := m.picker.handleKey(msg, m.keys)
		if !picked {
			return cmd
		}
		m.picker = nil
		if name == "" {
			m.form = newBriefForm(m.common, core.Brief{}, m.snap)
			return m.form.init()
		}
		return templateCmd(m.common.Ctx, m.common.Backend, name)
	case m.skip != nil:
		return m.handleSkipKey(msg)
	case m.tags != nil:
		return m.handleTagsKey(msg)
	case m.confirm != nil:
		return m.handleConfirm(msg)
	case m.filtering:
		return m.handleFilterKey(msg)
	case m.detail != nil:
		return m.handleDetailKey(msg)
	}
	ctx, be := m.common.Ctx, m.common.Backend
	c := &m.cols[m.col]
	switch {
	case key.Matches(msg, m.keys.Left):
		m.col = max(m.col-1, 0)
	case key.Matches(msg, m.keys.Right):
		m.col = min(m.col+1, numStages-1)
	case key.Matches(msg, m.keys.Up):
		c.cursor = max(c.cursor-1, 0)
	case key.Matches(msg, m.keys.Down):
		c.cursor = min(c.cursor+1, max(len(c.cards)-1, 0))
	case key.Matches(msg, m.keys.Open):
		if b, ok := m.focused(); ok {
			m.detail, m.notice = newDetail(m, b), ""
			return historyCmd(ctx, be, b.ID, m.common.Now())
		}
	case key.Matches(msg, m.keys.New):
		return templatesCmd(ctx, be)
	case key.Matches(msg, m.keys.Edit):
		if b, ok := m.focused(); ok {
			m.form = newBriefForm(m.common, b, m.snap)
			return m.form.init()
		}
	case key.Matches(msg, m.keys.MoveNext), key.Matches(msg, m.keys.MoveRight):
		if b, ok := m.focused(); ok {
			return m.requestMove(b, +1)
		}
	case key.Matches(msg, m.keys.MoveLeft):
		if b, ok := m.focused(); ok {
			return m.requestMove(b, -1)
		}
	case key.Matches(msg, m.keys.Filter):
		m.filtering = true
		return m.filter.Focus()
	case key.Matches(msg, m.keys.Group):
		m.group = (m.group + 1) % groupCount
		m.focusID = 0
		m.rebuild()
	case key.Matches(msg, m.keys.Undo):
		return m.undoMove()
	case key.Matches(msg, m.keys.Run):
		if b, ok := m.focused(); ok {
			return m.startRun(b)
		}
	}
	if b, ok := m.focused(); ok {
		m.focusID = b.ID
	}
	m.clampScroll()
	return nil
}

// handleDetailKey handles a key while a card's detail is open: it scrolls,
// closes, or edits and moves the brief it shows, as on the board.
func (m *Model) handleDetailKey(msg tea.KeyMsg) tea.Cmd {
	b := m.detail.brief
	switch {
	case key.Matches(msg, m.keys.Back):
		m.detail = nil
	case key.Matches(msg, m.keys.Edit):
		m.detail = nil
		m.form = newBriefForm(m.common, b, m.snap)
		return m.form.init()
	case key.Matches(msg, m.keys.MoveNext), key.Matches(msg, m.keys.MoveRight):
		return m.requestMove(b, +1)
	case key.Matches(msg, m.keys.MoveLeft):
		return m.requestMove(b, -1)
	case key.Matches(msg, m.keys.Run):
		return m.startRun(b)
	case key.Matches(msg, m.keys.SuggestTags):
		return m.suggestTags(b)
	default:
		m.detail.scroll(msg, m.keys)
	}
	return nil
}

// requestMove moves b one stage in dir, asking first when the target
// stage is at its WIP limit.
func (m *Model) requestMove(b core.Brief, dir int) tea.Cmd {
	to := b.Stage.Next()
	if dir < 0 {
		to = b.Stage.Prev()
	}
	if to == b.Stage {
		m.setNotice(false, "#%d is already in %s", b.ID, b.Stage)
		return nil
	}
	if !m.limits.Admits(to, m.cols[to].total) {
		m.confirm = &pendingMove{brief: b, to: to}
		return nil
	}
	return moveCmd(m.common.Ctx, m.common.Backend, m.common.Identity, b, to, core.MoveOptions{})
}

func (m *Model) handleConfirm(msg tea.KeyMsg) tea.Cmd {
	p := m.confirm
	switch {
	case key.Matches(msg, m.keys.Confirm):
		m.confirm = nil
		opts := p.opts
		opts.Force = true
		return moveCmd(m.common.Ctx, m.common.Backend, m.common.Identity, p.brief, p.to, opts)
	case key.Matches(msg, m.keys.Cancel):
		m.confirm = nil
		m.setNotice(false, "kept #%d in %s", p.brief.ID, p.brief.Stage)
	}
	return nil
}

// undoMove moves the brief of the last move back where it came from,
// made from the version that move left it at: when anyone wrote the brief
// since, the store refuses and the board says who (see undoRefused).
func (m *Model) undoMove() tea.Cmd {
	if len(m.undo) == 0 {
		m.setNotice(false, "nothing to undo")
		return nil
	}
	last := m.undo[len(m.undo)-1]
	m.undo = m.undo[:len(m.undo)-1]
	for _, b := range m.briefs {
		if b.ID == last.id {
			b.Stage, b.Version = last.to, last.version
			return moveCmd(m.common.Ctx, m.common.Backend, m.common.Identity, b, last.from, core.MoveOptions{From: last.version})
		}
	}
	m.setNotice(true, "brief #%d is gone; nothing to undo", last.id)
	return nil
}

// chainUndo lets the next undo of the same brief follow the one just
// made: when the move below it on the stack left the very version the
// undone move was made from (nobody wrote the brief in between), the
// brief is back as that move left it, now at the undo's version.
func (m *Model) chainUndo(msg movedMsg) {
	for i := len(m.undo) - 1; i >= 0; i-- {
		if e := &m.undo[i]; e.id == msg.brief.ID {
			if e.version == msg.undid-1 && e.to == msg.brief.Stage {
				e.version = msg.brief.Version
			}
			return
		}
	}
}

// moveRefused says why a move or an undo was refused: who wrote the brief
// since the version it was made from, and where the brief is now.
func moveRefused(msg moveRefusedMsg) string {
	who := "someone"
	if len(msg.conflict.By) > 0 {
		who = strings.Join(msg.conflict.By, ", ")
	}
	what := "changed it"
	for _, f := range msg.conflict.Fields {
		if f.Field == "stage" && f.Theirs != msg.brief.Stage.String() {
			what = "moved it to " + f.Theirs
		}
	}
	if msg.undo {
		return sanitize.Line(fmt.Sprintf("#%d moved on since: %s %s; undo refused", msg.brief.ID, who, what))
	}
	return sanitize.Line(fmt.Sprintf("#%d changed since you looked: %s %s; move refused, look again", msg.brief.ID, who, what))
}

func (m *Model) handleFilterKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.FilterApply):
		m.filtering = false
		m.filter.Blur()
		return nil
	case key.Matches(msg, m.keys.Back):
		m.filtering = false
		m.filter.Blur()
		m.filter.SetValue("")
		m.rebuild()
		return nil
	}
	var cmd tea.Cmd
	before := m.filter.Value()
	m.filter, cmd = m.filter.Update(msg)
	common.CleanInput(&m.filter)
	if m.filter.Value() != before {
		m.rebuild()
	}
	return cmd
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	switch {
	case m.form != nil:
		return []key.Binding{m.keys.Back}
	case m.picker != nil:
		return []key.Binding{m.keys.PickUp, m.keys.PickDown, m.keys.Pick, m.keys.Back}
	case m.skip != nil:
		return m.skipHelp()
	case m.tags != nil:
		return m.tagsHelp()
	case m.confirm != nil:
		return []key.Binding{m.keys.Confirm, m.keys.Cancel}
	case m.detail != nil:
		return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Edit, m.keys.MoveNext, m.keys.Back}
	}
	return []key.Binding{m.keys.Open, m.keys.New, m.keys.MoveNext, m.keys.Filter, m.keys.Undo}
}

// FullHelp implements help.KeyMap: every key of the tab, from the
// registry.
func (m *Model) FullHelp() [][]key.Binding { return m.common.KeyMap.FullHelp("board") }
