// Package retro is the retrospective tab: every KPI for a period against
// the period before with a weekly sparkline, what stalled and what worked,
// and action items that become briefs on the board with one key.
package retro

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/core/kpi"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// periodDays are the periods the tab cycles through: a week, four weeks
// and a quarter.
func periodDays() []int { return []int{7, 28, 91} }

// KeyMap is the tab's keys.
type KeyMap struct {
	Up, Down, Period, Explain, Action key.Binding
}

// DefaultKeyMap returns the tab's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "move")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", "down")),
		Period:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "week/month/quarter")),
		Explain: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "explain KPI")),
		Action:  key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "stalled item → action brief")),
	}
}

// loadedMsg carries the computed retro.
type loadedMsg struct {
	trends  []kpi.Trend
	stalled []kpi.Stall
	wins    []string
	err     error
}

// actionMsg reports an action brief filed from a stalled item.
type actionMsg struct {
	brief core.Brief
	err   error
}

// Model is the Retro tab.
type Model struct {
	common  common.Common
	keys    KeyMap
	period  int
	cursor  int // rows: KPIs, then stalled items
	explain bool
	trends  []kpi.Trend
	stalled []kpi.Stall
	wins    []string
	notice  string
	seq     uint64
	// loadedAt throttles recomputation: KPIs read the whole history, and a
	// busy workspace writes every second or two.
	loadedAt time.Time
}

// refreshEvery is the most often the KPIs are recomputed on writes.
const refreshEvery = 10 * time.Second

// New returns the tab.
func New(c common.Common) *Model { return &Model{common: c, keys: DefaultKeyMap(), period: 1} }

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) { m.common.SetSize(w, h) }

func (m *Model) span() (time.Time, time.Time) {
	to := m.common.Now().Truncate(24*time.Hour).AddDate(0, 0, 1)
	return to.AddDate(0, 0, -periodDays()[m.period]), to
}

func (m *Model) loadCmd() tea.Cmd {
	from, to := m.span()
	ctx, be, now := m.common.Ctx, m.common.Backend, m.common.Now()
	return func() tea.Msg {
		in, err := be.KPIInput(ctx)
		if err != nil {
			return loadedMsg{err: err}
		}
		return loadedMsg{trends: kpi.Trends(in, from, to), stalled: kpi.Stalled(in, now, 5), wins: kpi.Wins(in, from, to, 3)}
	}
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.SnapshotMsg:
		// KPIs read the whole history: recompute once per write, off the UI
		// goroutine.
		now := time.Now()
		stale := msg.Snapshot.Seq != m.seq && now.Sub(m.loadedAt) >= refreshEvery
		if msg.Err == nil && (m.trends == nil || stale) {
			m.seq, m.loadedAt = msg.Snapshot.Seq, now
			return m, m.loadCmd()
		}
	case loadedMsg:
		if msg.err != nil {
			m.notice = "✗ " + msg.err.Error()
			return m, nil
		}
		m.trends, m.stalled, m.wins = msg.trends, msg.stalled, msg.wins
		m.cursor = min(m.cursor, max(len(m.trends)+len(m.stalled)-1, 0))
	case actionMsg:
		if msg.err != nil {
			m.notice = "✗ " + msg.err.Error()
		} else {
			m.notice = fmt.Sprintf("filed action brief #%d on the board: %s", msg.brief.ID, sanitize.Line(msg.brief.Title))
		}
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(msg, k.Down):
		m.cursor = min(m.cursor+1, max(len(m.trends)+len(m.stalled)-1, 0))
	case key.Matches(msg, k.Period):
		m.period = (m.period + 1) % len(periodDays())
		return m.loadCmd()
	case key.Matches(msg, k.Explain):
		m.explain = !m.explain
	case key.Matches(msg, k.Action):
		i := m.cursor - len(m.trends)
		if i < 0 || i >= len(m.stalled) {
			m.notice = "move to a stalled item first (below the KPIs)"
			return nil
		}
		return actionCmd(m.common.Ctx, m.common.Backend, m.common.Identity, m.stalled[i], m.common.Now())
	}
	return nil
}

func actionCmd(ctx context.Context, be *backend.Backend, who core.Identity, s kpi.Stall, now time.Time) tea.Cmd {
	return func() tea.Msg {
		b := core.Brief{
			Title:     "Unblock: " + s.Brief.Title,
			Objective: fmt.Sprintf("Retro action: #%d has sat %.0f days in %s. Find what blocks it and clear it.", s.Brief.ID, s.For.Hours()/24, s.Brief.Stage),
			Owner:     s.Brief.Owner, Channel: s.Brief.Channel, Audience: s.Brief.Audience, Campaign: s.Brief.Campaign,
			Tags: []string{"retro-action"}, Due: now.AddDate(0, 0, 3), EstimateHours: 1,
		}
		added, err := be.AddBrief(ctx, who, b)
		return actionMsg{brief: added, err: err}
	}
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Up, m.keys.Period, m.keys.Explain, m.keys.Action}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Up, m.keys.Down}, {m.keys.Period, m.keys.Explain, m.keys.Action}}
}

// View implements tea.Model.
func (m *Model) View() string {
	st := m.common.Styles
	from, to := m.span()
	var b strings.Builder
	b.WriteString(st.Board.Header.Render(fmt.Sprintf("Retro: last %d days (%s to %s) vs the %d before", periodDays()[m.period],
		from.Format("Jan 2"), to.AddDate(0, 0, -1).Format("Jan 2"), periodDays()[m.period])))
	if m.notice != "" {
		b.WriteString("  " + st.App.Muted.Render(sanitize.Line(m.notice)))
	}
	b.WriteString("\n\n")
	if m.trends == nil {
		b.WriteString(st.App.Muted.Render("Computing…"))
		return b.String()
	}
	b.WriteString(st.App.Muted.Render(fmt.Sprintf("%-27s %10s %10s  %-10s %s", "KPI", "NOW", "BEFORE", "TREND", "WEEKLY")) + "\n")
	for i, t := range m.trends {
		arrow := kpi.Arrow(t)
		style := st.App.Muted
		switch {
		case strings.HasSuffix(arrow, "better"):
			style = st.App.Success
		case strings.HasSuffix(arrow, "worse"):
			style = st.Board.Late
		}
		line := fmt.Sprintf("%-27s %10s %10s  ", t.Name, kpi.Format(t.KPI), kpi.Format(t.Previous)) + style.Render(fmt.Sprintf("%-10s", arrow)) + " " + common.SparklineOf(t.Weekly)
		if i == m.cursor {
			line = st.App.Selected.Render("▌") + line
		} else {
			line = " " + line
		}
		b.WriteString(line + "\n")
	}
	if m.explain && m.cursor < len(m.trends) {
		t := m.trends[m.cursor]
		b.WriteString("\n" + st.Placeholder.Box.Width(max(m.common.Width-2, 20)).Render(t.Name+": "+t.Definition+fmt.Sprintf(" (from %d items)", t.N)) + "\n")
	}
	b.WriteString("\n" + st.Detail.Section.Render("What stalled") + st.App.Muted.Render("  (b files an action brief)") + "\n")
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
	return common.Clip(b.String(), m.common.Width, m.common.Height)
}
