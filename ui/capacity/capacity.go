// Package capacity is the capacity tab: a heatmap of people × weeks, the
// skill shortfall per week, the focused cell's briefs, and a what-if mode
// where reassignments and reschedules are staged and shown before and
// after until committed.
package capacity

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/common/list"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/sanitize"
	"github.com/tandem-ops/tandem/ui/styles"
)

// numWeeks is how many weeks the heatmap shows.
const numWeeks = 8

// savedMsg reports committed changes.
type savedMsg struct {
	n   int
	err error
}

// Model is the Capacity tab.
type Model struct {
	common common.Common
	keys   *keymap.Capacity
	snap   core.Snapshot
	base   *core.Plan
	plan   *core.Plan // base, or the what-if plan with staged changes
	// plannedFrom is the first week base was planned for.
	plannedFrom core.Week
	staged      map[uint64]core.Brief
	whatIf      bool
	// learning shows the learning plan instead of the skill shortfall;
	// learn is it with the staged changes, learnBase without them.
	learning         bool
	learn, learnBase core.LearningPlan
	// daily are the experiments' units by day the plan counts weekdays
	// from; dailyRead says they have been read.
	daily     map[string]core.DailyUnits
	dailyRead bool
	// mde is the MDE the learning plan is tried at, 0 for the workspace's.
	mde float64
	row int
	col int
	// cell is the focused cell's briefs, what ], a, > and < act on; one
	// row of cellRows each.
	cell     *list.Model
	ink      heatInks
	cellRows []string
	notice   common.Notice
}

// New returns the tab; it fills from the first snapshot.
func New(c common.Common) *Model {
	k := &c.KeyMap.Capacity
	cell := list.New(list.Keys{Up: &k.PrevBrief, Down: &k.NextBrief}, c.Styles)
	cell.SetEmpty("  nothing booked")
	return &Model{common: c, keys: k, staged: map[uint64]core.Brief{}, cell: cell, ink: newHeatInks(c.Styles)}
}

// heatInks are the heatmap's styles as ink: a frame paints a cell per
// person and week, and lipgloss's Render was most of the frame.
type heatInks struct {
	over, near, booked, free, cell, shortfall, person styles.Ink
}

func newHeatInks(st *styles.Styles) heatInks {
	c := st.Capacity
	return heatInks{over: styles.InkOf(c.Over), near: styles.InkOf(c.Near), booked: styles.InkOf(c.Booked), free: styles.InkOf(c.Free),
		cell: styles.InkOf(c.Cell), shortfall: styles.InkOf(c.Shortfall), person: styles.InkOf(c.PersonFocus)}
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) {
	m.common.SetSize(w, h)
	m.syncCell(false)
}

// cellTop is the line the focused cell's briefs start on: under the title,
// the weeks, a row per person, a blank and the cell's own line.
func (m *Model) cellTop() int {
	top := 4 + len(m.snap.People)
	if n := m.noticeView(); n != "" {
		top += lipgloss.Height(n)
	}
	return top
}

// noticeView is the notice wrapped to the tab's width under the title, ""
// for none.
func (m *Model) noticeView() string {
	return m.notice.View(m.common.Styles.App.Muted, m.common.Width, m.common.Now())
}

// Noticing implements common.Noticer.
func (m *Model) Noticing() bool { return m.notice.Text(m.common.Now()) != "" }

// syncCell lists the focused cell's briefs, from the first when reset (the
// focus moved to another cell), in the lines the heatmap leaves.
func (m *Model) syncCell(reset bool) {
	m.cell.SetSize(m.common.Width, max(m.common.Height-m.cellTop(), 3))
	m.cellRows = m.cellRows[:0]
	for _, a := range m.cellBriefs() {
		br := m.briefByID(a.BriefID)
		m.cellRows = append(m.cellRows, fmt.Sprintf(" #%-4d %-28s %5.1fh  due %s", br.ID, truncate(sanitize.Line(br.Title), 28), a.Hours, br.Due.Format("Jan 2")))
	}
	m.cell.SetItems(m.cellRows)
	if reset {
		m.cell.Select(0)
	}
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case core.Snapshot:
		// Replan only when what the plan reads changed, or the weeks
		// moved on: most writes in a busy workspace are event batches.
		s := msg
		stale := m.base == nil || core.WeekOf(m.common.Now()) != m.plannedFrom || !common.Same(s.Briefs, m.snap.Briefs) ||
			!common.Same(s.People, m.snap.People) || !common.Same(s.Holidays, m.snap.Holidays)
		m.snap = s
		if stale {
			m.replan()
		}
		if m.learning {
			return m, m.dailyCmd() // experiments' traffic moves with every batch
		}
	case dailyMsg:
		if msg.err != nil {
			m.notice.Set(m.common.Now(), "✗ "+msg.err.Error())
			return m, nil
		}
		m.daily, m.dailyRead = msg.units, true
		if m.learning {
			m.replanLearning()
		}
	case savedMsg:
		if msg.err != nil {
			m.notice.Set(m.common.Now(), "✗ "+msg.err.Error())
		} else {
			m.notice.Set(m.common.Now(), fmt.Sprintf("committed %d change(s)", msg.n))
		}
	case tea.KeyMsg:
		cmd := m.handleKey(msg)
		m.syncCell(false) // a notice may have moved the briefs down
		return m, cmd
	case tea.MouseMsg:
		if m.plan != nil {
			msg.Y -= m.cellTop()
			m.cell.Update(msg)
		}
	}
	return m, nil
}

// replan recomputes the plan from the snapshot, and the what-if plan with
// the staged changes over it.
func (m *Model) replan() {
	now := m.common.Now()
	m.plannedFrom = core.WeekOf(now)
	m.base = core.PlanCapacity(m.snap.People, m.snap.Briefs, core.Weeks(now, numWeeks), m.snap.Holidays)
	m.plan = m.base
	if len(m.staged) > 0 {
		briefs := make([]core.Brief, len(m.snap.Briefs))
		for i, b := range m.snap.Briefs {
			if s, ok := m.staged[b.ID]; ok {
				b = s
			}
			briefs[i] = b
		}
		m.plan = core.PlanCapacity(m.snap.People, briefs, core.Weeks(now, numWeeks), m.snap.Holidays)
	}
	m.row = min(m.row, max(len(m.snap.People)-1, 0))
	m.syncCell(false)
	if m.learning {
		m.replanLearning()
	}
}

// cellBriefs are the briefs booked on the focused person and week.
func (m *Model) cellBriefs() []core.Assignment {
	if m.plan == nil || m.row >= len(m.plan.People) {
		return nil
	}
	return m.plan.Load[m.plan.People[m.row].ID][m.col].Briefs
}

func (m *Model) briefByID(id uint64) core.Brief {
	if b, ok := m.staged[id]; ok {
		return b
	}
	for _, b := range m.snap.Briefs {
		if b.ID == id {
			return b
		}
	}
	return core.Brief{}
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if moved, _ := m.cell.Update(msg); moved {
		return nil
	}
	switch {
	case key.Matches(msg, k.Left):
		m.col = max(m.col-1, 0)
		m.syncCell(true)
	case key.Matches(msg, k.Right):
		m.col = min(m.col+1, numWeeks-1)
		m.syncCell(true)
	case key.Matches(msg, k.Up):
		m.row = max(m.row-1, 0)
		m.syncCell(true)
	case key.Matches(msg, k.Down):
		m.row = min(m.row+1, max(len(m.snap.People)-1, 0))
		m.syncCell(true)
	case m.learning && key.Matches(msg, k.MDEUp, k.MDEDown):
		m.mde = stepMDE(m.learnBase.MDE, m.mde, key.Matches(msg, k.MDEUp))
		m.replanLearning()
	case key.Matches(msg, k.Learning):
		m.learning = !m.learning
		if m.learning {
			m.replanLearning()
			return m.dailyCmd()
		}
	case key.Matches(msg, k.WhatIf):
		m.whatIf = !m.whatIf
		if !m.whatIf {
			m.discard()
		} else {
			m.notice.Set(m.common.Now(), "what-if: moves are staged; enter commits, esc discards")
		}
	case key.Matches(msg, k.Discard) && m.whatIf:
		m.whatIf = false
		m.discard()
	case key.Matches(msg, k.Commit) && m.whatIf:
		return m.commit()
	case key.Matches(msg, k.Assign):
		return m.change(m.reassign)
	case key.Matches(msg, k.Later):
		return m.change(func(b core.Brief) core.Brief { return shift(b, 7) })
	case key.Matches(msg, k.Earlier):
		return m.change(func(b core.Brief) core.Brief { return shift(b, -7) })
	}
	return nil
}

func shift(b core.Brief, days int) core.Brief {
	if !b.Start.IsZero() {
		b.Start = b.Start.AddDate(0, 0, days)
	}
	b.Due = b.Due.AddDate(0, 0, days)
	return b
}

// reassign gives b to the person with the most room in the focused week
// who has its skill (anyone, when no one does).
func (m *Model) reassign(b core.Brief) core.Brief {
	best, room := "", -1e18
	for _, p := range m.plan.People {
		if core.SameName(p.Name, b.Owner) || (b.Skill != "" && !p.HasSkill(b.Skill)) {
			continue
		}
		if p.Lane == core.LaneAI && !slicesContainsFold(core.GeneratableSkills(), b.Skill) {
			continue
		}
		l := m.plan.Load[p.ID][m.col]
		if r := l.Supply - l.Demand; r > room {
			best, room = p.Name, r
		}
	}
	if best != "" {
		b.Owner = best
	}
	return b
}

func slicesContainsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

// change applies edit to the selected brief: staged in what-if mode,
// committed at once otherwise, with a warning when it overbooks someone.
func (m *Model) change(edit func(core.Brief) core.Brief) tea.Cmd {
	cell := m.cellBriefs()
	i, ok := m.cell.Index()
	if !ok || i >= len(cell) {
		m.notice.Set(m.common.Now(), "no brief in this cell; move to a booked cell first")
		return nil
	}
	before := m.briefByID(cell[i].BriefID)
	after := edit(before)
	m.staged[after.ID] = after
	m.replan()
	desc := fmt.Sprintf("#%d → %s, due %s", after.ID, sanitize.Line(after.Owner), after.Due.Format("Jan 2"))
	if clashes := m.plan.ClashesFor(after); len(clashes) > 0 {
		c := clashes[0]
		desc += fmt.Sprintf("  ⚠ books %s at %.0f%% in %s", sanitize.Line(c.Person), 100*c.Utilization, c.Week)
	}
	if m.whatIf {
		m.notice.Set(m.common.Now(), "staged "+desc)
		return nil
	}
	m.notice.Set(m.common.Now(), desc)
	return m.commit()
}

func (m *Model) discard() {
	m.staged = map[uint64]core.Brief{}
	m.notice.Set(m.common.Now(), "discarded the what-if")
	m.replan()
}

func (m *Model) commit() tea.Cmd {
	changes := make([]core.Brief, 0, len(m.staged))
	for _, b := range m.staged {
		changes = append(changes, b)
	}
	m.staged, m.whatIf = map[uint64]core.Brief{}, false
	return saveCmd(m.common.Ctx, m.common.Backend, m.common.Identity, changes)
}

func saveCmd(ctx context.Context, be *backend.Backend, who core.Identity, briefs []core.Brief) tea.Cmd {
	return func() tea.Msg {
		for _, b := range briefs {
			if _, _, err := be.UpdateBrief(ctx, who, b); err != nil {
				return savedMsg{err: err}
			}
		}
		return savedMsg{n: len(briefs)}
	}
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	if m.whatIf {
		return []key.Binding{m.keys.Assign, m.keys.Later, m.keys.Commit, m.keys.Discard}
	}
	return []key.Binding{m.keys.Left, m.keys.Up, m.keys.NextBrief, m.keys.Assign, m.keys.WhatIf}
}

// FullHelp implements help.KeyMap: every key of the tab, from the
// registry.
func (m *Model) FullHelp() [][]key.Binding { return m.common.KeyMap.FullHelp("capacity") }

// View implements tea.Model.
func (m *Model) View() string {
	st := m.common.Styles
	if m.plan == nil || len(m.plan.People) == 0 {
		return st.App.Muted.Render("No people yet. Add them with `tandem person add NAME --lane in-house --hours 40 --skills copy`.")
	}
	var b strings.Builder
	mode := "Capacity"
	if m.whatIf {
		mode = "Capacity — WHAT-IF (before→after)"
	}
	b.WriteString(st.Capacity.Title.Render(mode) + st.App.Muted.Render(heatLegend))
	if n := m.noticeView(); n != "" {
		b.WriteString("\n" + n)
	}
	b.WriteString("\n")
	cellW := 8
	if m.whatIf {
		cellW = m.whatIfWidth()
	}
	below := m.belowView(cellW)
	cell := strings.TrimRight(m.cellView(), "\n")
	from, to := 0, len(m.plan.People)
	if m.learning {
		// The heatmap gives up rows, around the focused person, before the
		// focused cell's briefs or the learning plan asked for leave the
		// screen: title and notice, the weeks, a gap, the cell, a gap.
		fixed := strings.Count(b.String(), "\n") + 1 + 1 + strings.Count(cell, "\n") + 1 + 1
		from, to = peopleWindow(len(m.plan.People), m.row, m.common.Height-fixed-strings.Count(below, "\n"))
	}
	header := fmt.Sprintf("%-18s", "")
	if from > 0 || to < len(m.plan.People) {
		header = fmt.Sprintf("%-18s", fmt.Sprintf("%d–%d of %d", from+1, to, len(m.plan.People)))
	}
	for _, w := range m.plan.Weeks {
		header += fmt.Sprintf("%-*s", cellW, fmt.Sprintf("W%02d", w.Num))
	}
	b.WriteString(st.App.Muted.Render(header) + "\n")
	for i, p := range m.plan.People[from:to] {
		i += from
		line := fmt.Sprintf("%-18s", truncate(sanitize.Line(p.Name), 17))
		if i == m.row {
			line = m.ink.person.Paint(line)
		}
		for w, l := range m.plan.Load[p.ID] {
			text := m.cellText(p.ID, w, l)
			cell := m.heat(l).Paint(fmt.Sprintf("%-*s", cellW, text))
			if i == m.row && w == m.col {
				// A marker, not only a colour, so the focus shows with
				// NO_COLOR too.
				cell = m.ink.cell.Paint(fmt.Sprintf("%-*s", cellW, "▸"+text))
			}
			line += cell
		}
		b.WriteString(line + "\n")
	}
	// The focused cell's briefs come first below the heatmap: they are
	// what ], a, > and < act on, so they stay on an 80x24 screen.
	b.WriteString("\n" + cell + "\n")
	b.WriteString("\n" + below)
	return common.Clip(b.String(), m.common.Width, m.common.Height)
}

// belowView is what the heatmap has under it: the learning plan, or the
// skill shortfall and the briefs the plan cannot count.
func (m *Model) belowView(cellW int) string {
	if m.learning {
		return m.learningView()
	}
	st := m.common.Styles
	var b strings.Builder
	b.WriteString(st.App.Muted.Render(fmt.Sprintf("%-18s", "skill shortfall")) + "\n")
	for _, s := range sortedSkills(m.plan) {
		line := fmt.Sprintf("%-18s", truncate(sanitize.Line(s), 17))
		for w, sw := range m.plan.Skills[s] {
			text := "-"
			if sw.Shortfall > 0 {
				text = fmt.Sprintf("✗ %.0fh", sw.Shortfall)
			}
			if m.whatIf {
				if old := m.base.Skills[s]; old != nil && old[w].Shortfall != sw.Shortfall {
					text = fmt.Sprintf("%.0f→%.0fh", old[w].Shortfall, sw.Shortfall)
				}
			}
			ink := m.ink.free
			if sw.Shortfall > 0 {
				ink = m.ink.shortfall
			}
			line += ink.Paint(fmt.Sprintf("%-*s", cellW, text))
		}
		b.WriteString(line + "\n")
	}
	if n := len(m.plan.Unestimated); n > 0 {
		b.WriteString("\n" + st.Capacity.Warning.Render(fmt.Sprintf("⚠ %d brief(s) have no estimate and are not counted", n)))
	}
	if n := len(m.plan.Undated); n > 0 {
		b.WriteString("\n" + st.Capacity.Warning.Render(fmt.Sprintf("⚠ %d brief(s) have hours but no due date and fall in no week: %v", n, m.plan.Undated)))
	}
	return b.String()
}

// minHeatmapRows are the people the heatmap keeps however short the
// screen.
const minHeatmapRows = 3

// peopleWindow is the rows [from, to) of n people that fit in room lines,
// at least minHeatmapRows, with row among them and as near the middle as
// the ends allow.
func peopleWindow(n, row, room int) (from, to int) {
	rows := min(n, max(room, minHeatmapRows))
	from = min(max(row-rows/2, 0), n-rows)
	return from, from + rows
}

// cellText is a heatmap cell: the utilization, and in what-if mode the
// staged change as before→after.
func (m *Model) cellText(person uint64, week int, l core.Load) string {
	text := pct(l)
	if m.whatIf {
		if old := m.base.Load[person][week]; pct(old) != text {
			text = pct(old) + "→" + text
		}
	}
	return text
}

// whatIfWidth is the widest what-if cell, with room for the focus marker
// and a space: "✗129%→✗105%" needs 13, most staging far less.
func (m *Model) whatIfWidth() int {
	width := 8
	for _, p := range m.plan.People {
		for w, l := range m.plan.Load[p.ID] {
			width = max(width, utf8.RuneCountInString(m.cellText(p.ID, w, l))+2)
		}
	}
	return width
}

// cellView lists the focused cell's briefs with their hours.
func (m *Model) cellView() string {
	p := m.plan.People[m.row]
	l := m.plan.Load[p.ID][m.col]
	title := fmt.Sprintf("%s · %s: %.0fh booked of %.0fh (%s)", sanitize.Line(p.Name), m.plan.Weeks[m.col], l.Demand, l.Supply, pct(l))
	return title + "\n" + m.cell.View(func(r list.Row, _ bool) string { return m.cellRows[r.Item] })
}

// nearFull is the utilization from which a week is nearly full.
const nearFull = 0.8

// heatLegend says what the cells' marks mean, as their colours do.
const heatLegend = "  ! 80–100%  ✗ over 100%"

func (m *Model) heat(l core.Load) styles.Ink {
	u := l.Utilization()
	switch {
	case l.Over():
		return m.ink.over
	case u >= nearFull:
		return m.ink.near
	case u > 0:
		return m.ink.booked
	}
	return m.ink.free
}

// pct is a load as text, with ✗ when over 100 % and ! from 80 %, so that
// colour is not needed.
func pct(l core.Load) string {
	u := l.Utilization()
	switch {
	case l.Supply == 0 && l.Demand == 0:
		return "-"
	case l.Supply == 0:
		return "✗ ∞"
	case l.Over():
		return fmt.Sprintf("✗%.0f%%", 100*u)
	case u >= nearFull:
		return fmt.Sprintf("!%.0f%%", 100*u)
	}
	return fmt.Sprintf("%.0f%%", 100*u)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func sortedSkills(p *core.Plan) []string { return slices.Sorted(maps.Keys(p.Skills)) }
