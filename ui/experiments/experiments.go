// Package experiments is the live variant performance tab: every
// experiment with its status, and a detail of per-variant statistics with
// cumulative-rate sparklines that move as events arrive.
package experiments

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// KeyMap is the tab's keys.
type KeyMap struct {
	Up      key.Binding
	Down    key.Binding
	Open    key.Binding
	Back    key.Binding
	Explain key.Binding
	Declare key.Binding
	Confirm key.Binding
	Cancel  key.Binding
}

// DefaultKeyMap returns the tab's default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Explain: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "explain")),
		Declare: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "declare winner")),
		Confirm: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "declare")),
		Cancel:  key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel")),
	}
}

// OpenMsg asks the tab to open an experiment's detail, as the command
// palette does.
type OpenMsg struct{ Key string }

// seriesMsg carries the cumulative rates of an open experiment's variants.
type seriesMsg struct {
	key   string
	rates map[string][]float64
	err   error
}

// declaredMsg reports a declared winner, or why it failed.
type declaredMsg struct {
	exp core.Experiment
	err error
}

// Model is the Experiments tab.
type Model struct {
	common   common.Common
	keys     KeyMap
	guards   core.Guards
	analyses []core.Analysis
	cursor   int
	open     string // key of the experiment in detail, "" for the list
	arm      int    // focused arm in the detail
	explain  bool
	confirm  bool
	rates    map[string][]float64
	notice   string
}

// New returns the tab; it fills from the first snapshot.
func New(c common.Common) *Model {
	return &Model{common: c, keys: DefaultKeyMap(), guards: core.DefaultGuards()}
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(width, height int) { m.common.SetSize(width, height) }

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.SnapshotMsg:
		if msg.Err != nil {
			return m, nil
		}
		m.analyze(msg.Snapshot)
		if m.open != "" {
			return m, seriesCmd(m.common.Ctx, m.common.Backend, m.current().Experiment)
		}
	case OpenMsg:
		m.open, m.arm, m.rates, m.explain = msg.Key, 0, nil, false
		for _, a := range m.analyses {
			if a.Experiment.Key == msg.Key {
				return m, seriesCmd(m.common.Ctx, m.common.Backend, a.Experiment)
			}
		}
	case seriesMsg:
		if msg.key == m.open && msg.err == nil {
			m.rates = msg.rates
		}
	case declaredMsg:
		if msg.err != nil {
			m.notice = "✗ " + msg.err.Error()
		} else {
			m.notice = fmt.Sprintf("declared %s the winner of %s; briefs on %s / %s now see it", msg.exp.Winner, msg.exp.Key, msg.exp.Channel, msg.exp.Audience)
		}
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

// analyze recomputes every experiment's statistics: O(variants), since the
// store keeps running totals.
func (m *Model) analyze(s common.Snapshot) {
	now := m.common.Now()
	m.analyses = m.analyses[:0]
	for _, e := range s.Experiments {
		m.analyses = append(m.analyses, core.Analyze(e, s.Totals[e.Key], now, m.guards))
	}
	m.cursor = min(m.cursor, max(len(m.analyses)-1, 0))
}

func (m *Model) current() core.Analysis {
	if m.open != "" {
		for _, a := range m.analyses {
			if a.Experiment.Key == m.open {
				return a
			}
		}
	}
	if m.cursor < len(m.analyses) {
		return m.analyses[m.cursor]
	}
	return core.Analysis{}
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.confirm {
		switch {
		case key.Matches(msg, k.Confirm):
			m.confirm = false
			a := m.current()
			return declareCmd(m.common.Ctx, m.common.Backend, m.common.Identity, a.Experiment.Key, a.Arms[m.arm].Variant.Key)
		case key.Matches(msg, k.Cancel):
			m.confirm = false
		}
		return nil
	}
	if m.open == "" {
		switch {
		case key.Matches(msg, k.Up):
			m.cursor = max(m.cursor-1, 0)
		case key.Matches(msg, k.Down):
			m.cursor = min(m.cursor+1, max(len(m.analyses)-1, 0))
		case key.Matches(msg, k.Open):
			if len(m.analyses) > 0 {
				a := m.analyses[m.cursor]
				m.open, m.arm, m.rates, m.notice = a.Experiment.Key, 0, nil, ""
				return seriesCmd(m.common.Ctx, m.common.Backend, a.Experiment)
			}
		}
		return nil
	}
	a := m.current()
	switch {
	case key.Matches(msg, k.Back):
		if m.explain {
			m.explain = false
		} else {
			m.open = ""
		}
	case key.Matches(msg, k.Up):
		m.arm = max(m.arm-1, 0)
	case key.Matches(msg, k.Down):
		m.arm = min(m.arm+1, max(len(a.Arms)-1, 0))
	case key.Matches(msg, k.Explain):
		m.explain = !m.explain
	case key.Matches(msg, k.Declare):
		if err := core.Authorize(m.common.Identity, core.ActionDeclareWinner); err != nil {
			m.notice = "✗ " + err.Error()
		} else if a.Experiment.Winner != "" {
			m.notice = fmt.Sprintf("%s was already declared the winner", a.Experiment.Winner)
		} else {
			m.confirm = true
		}
	}
	return nil
}

// CapturesInput implements common.InputCapturer: a pending confirmation
// takes the next key.
func (m *Model) CapturesInput() bool { return m.confirm }

func seriesCmd(ctx context.Context, be *backend.Backend, e core.Experiment) tea.Cmd {
	return func() tea.Msg {
		rates := map[string][]float64{}
		for _, v := range e.Variants {
			points, err := be.Series(ctx, e.Key, v.Key)
			if err != nil {
				return seriesMsg{key: e.Key, err: err}
			}
			rates[v.Key] = common.CumulativeRates(points)
		}
		return seriesMsg{key: e.Key, rates: rates}
	}
}

func declareCmd(ctx context.Context, be *backend.Backend, who core.Identity, key, variant string) tea.Cmd {
	return func() tea.Msg {
		e, err := be.DeclareWinner(ctx, who, key, variant)
		return declaredMsg{exp: e, err: err}
	}
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	switch {
	case m.confirm:
		return []key.Binding{m.keys.Confirm, m.keys.Cancel}
	case m.open != "":
		return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Explain, m.keys.Declare, m.keys.Back}
	}
	return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Open}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Up, m.keys.Down, m.keys.Open, m.keys.Back}, {m.keys.Explain, m.keys.Declare}}
}

// statusMark puts a symbol beside each status, so none is told by colour
// alone.
func statusMark(s core.ExperimentStatus) string {
	switch s {
	case core.StatusWinner, core.StatusDeclared:
		return "★ " + string(s)
	case core.StatusSRM:
		return "⚠ " + string(s)
	case core.StatusNoDifference:
		return "= " + string(s)
	}
	return "… " + string(s)
}

// View implements tea.Model.
func (m *Model) View() string {
	if m.open != "" {
		return common.Clip(m.detailView(), m.common.Width, m.common.Height)
	}
	st := m.common.Styles
	if len(m.analyses) == 0 {
		return st.App.Muted.Render("No experiments yet. Add one with `tandem experiment add KEY --variants a,b`, or ingest events with --create.")
	}
	rows := [][]string{{"STATUS", "EXPERIMENT", "ARMS", "UNITS", "LEADER", "LIFT"}}
	for _, a := range m.analyses {
		var units uint64
		for _, arm := range a.Arms {
			units += arm.Totals.Exposures
		}
		lift := ""
		if a.Leader != "" && a.Leader == a.Arms[0].Variant.Key {
			lift = "control" // no treatment beats it
		}
		for _, arm := range a.Arms[1:] {
			if arm.Variant.Key == a.Leader && a.Arms[0].Rate > 0 {
				lift = fmt.Sprintf("%+.1f%%", 100*arm.Lift.RelLift)
			}
		}
		rows = append(rows, []string{statusMark(a.Status), sanitize.Line(a.Experiment.Name) + " (" + a.Experiment.Key + ")",
			fmt.Sprint(len(a.Arms)), fmt.Sprint(units), a.Leader, lift})
	}
	lines := layoutTable(rows)
	for i := range lines {
		switch {
		case i == 0:
			lines[i] = st.Board.Header.Render(lines[i])
		case i-1 == m.cursor:
			lines[i] = st.App.Selected.Render(lines[i])
		}
	}
	return common.Clip(strings.Join(lines, "\n"), m.common.Width, m.common.Height)
}

func (m *Model) detailView() string {
	st := m.common.Styles
	a := m.current()
	if a.Experiment.Key == "" {
		return st.App.Muted.Render("This experiment is gone. esc to go back.")
	}
	e := a.Experiment
	var b strings.Builder
	b.WriteString(st.Detail.Title.Render(sanitize.Line(e.Name)+" ("+e.Key+")") + "  " + statusMark(a.Status) + "\n")
	info := fmt.Sprintf("%s / %s · running %.1f days · sample-ratio p %.3g · %.0f units per arm needed for a %.0f%% lift",
		sanitize.Line(e.Channel), sanitize.Line(e.Audience), a.Runtime.Hours()/24, a.SRMP, a.NeededPerArm, 100*m.guards.MDE)
	if a.DaysLeft > 0 {
		info += fmt.Sprintf(" · ~%.1f days left", a.DaysLeft)
	}
	b.WriteString(st.App.Muted.Width(m.common.Width).Render(info) + "\n\n")

	lo, hi := 1.0, 0.0
	for _, r := range m.rates {
		for _, v := range r {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	rows := [][]string{{"VARIANT", "UNITS", "CONV", "RATE [95% CI]", "LIFT [95% CI]", "P", "BEAT", "RISK", "BEST", "CUMULATIVE RATE"}}
	for _, arm := range a.Arms {
		name := arm.Variant.Key
		lift, p, beat, risk := "control", "", "", ""
		if !arm.Variant.Control {
			lift = "n/a"
			if a.Arms[0].Rate > 0 {
				lift = fmt.Sprintf("%+.1f%% [%+.1f, %+.1f]", 100*arm.Lift.RelLift, 100*arm.Lift.RelLiftCI.Low, 100*arm.Lift.RelLiftCI.High)
			}
			p, beat, risk = fmt.Sprintf("%.3f", arm.PHolm), fmt.Sprintf("%.0f%%", 100*arm.ChanceToBeat), fmt.Sprintf("%.2f%%", 100*arm.Risk)
		}
		if arm.Variant.Key == e.Winner {
			name = "★ " + name
		}
		rows = append(rows, []string{name, fmt.Sprint(arm.Totals.Exposures), fmt.Sprint(arm.Totals.Converters),
			fmt.Sprintf("%.2f%% [%.2f, %.2f]", 100*arm.Rate, 100*arm.RateCI.Low, 100*arm.RateCI.High),
			lift, p, beat, risk, fmt.Sprintf("%.0f%%", 100*arm.ProbBest), common.Sparkline(m.rates[arm.Variant.Key], 24, lo, hi)})
	}
	lines := layoutTable(rows)
	for i := range lines {
		switch {
		case i == 0:
			lines[i] = st.Board.Header.Render(lines[i])
		case i-1 == m.arm:
			lines[i] = st.App.Selected.Render(lines[i])
		}
	}
	b.WriteString(strings.Join(lines, "\n"))
	b.WriteString("\n\n")
	switch {
	case m.confirm:
		b.WriteString(st.Board.Prompt.Render(fmt.Sprintf("Declare %s the winner of %s? This is recorded and cannot be undone. y/n", a.Arms[m.arm].Variant.Key, e.Key)))
	case m.explain:
		b.WriteString(st.Placeholder.Box.Width(max(m.common.Width-2, 20)).Render(explain(a, a.Arms[m.arm], m.guards)))
	case m.notice != "":
		b.WriteString(st.App.Muted.Width(m.common.Width).Render(sanitize.Line(m.notice)))
	default:
		b.WriteString(st.App.Muted.Width(m.common.Width).Render(statusReason(a, m.guards)))
	}
	return b.String()
}

// layoutTable pads each column to its widest cell.
func layoutTable(rows [][]string) []string {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	out := make([]string, len(rows))
	for j, r := range rows {
		cells := slices.Clone(r)
		for i, c := range cells {
			cells[i] = c + strings.Repeat(" ", widths[i]-len([]rune(c)))
		}
		out[j] = strings.Join(cells, "  ")
	}
	return out
}
