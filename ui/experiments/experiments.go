// Package experiments is the live variant performance tab: every
// experiment with its status, and a detail of per-variant statistics with
// cumulative-rate sparklines that move as events arrive.
package experiments

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/common/list"
	"github.com/tandem-ops/tandem/ui/keymap"
)

// OpenMsg asks the tab to open an experiment's detail, as the command
// palette does.
type OpenMsg struct{ Key string }

// seriesMsg carries the cumulative rates of an open experiment's variants.
type seriesMsg struct {
	key   string
	rates map[string][]float64
	err   error
}

// breakdownMsg carries an open experiment's breakdown by attr ("" for
// none), or why it failed.
type breakdownMsg struct {
	key, attr string
	breakdown core.Breakdown
	err       error
}

// declaredMsg reports a declared winner, or why it failed.
type declaredMsg struct {
	exp core.Experiment
	err error
}

// Model is the Experiments tab.
type Model struct {
	common   common.Common
	keys     *keymap.Experiments
	analyses []core.Analysis
	// list is the experiments, one row each; rows are the list's lines
	// with the header first, laid out when the analyses change.
	list    *list.Model
	rows    []string
	open    string // key of the experiment in detail, "" for the list
	arm     int    // focused arm in the detail
	explain bool
	confirm bool
	rates   map[string][]float64
	notice  common.Notice
	// by is the attribute the open experiment is broken down by, ""
	// for none; breakdown is its latest result.
	by        string
	breakdown *core.Breakdown
}

// New returns the tab; it fills from the first snapshot.
func New(c common.Common) *Model {
	k := &c.KeyMap.Experiments
	l := list.New(list.Keys{Up: &k.Up, Down: &k.Down, Paging: &c.KeyMap.List}, c.Styles)
	l.SetEmpty("No experiments yet. Add one with `tandem experiment add KEY --variants a,b`, or ingest events with --create.")
	return &Model{common: c, keys: k, list: l}
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(width, height int) {
	m.common.SetSize(width, height)
	m.list.SetSize(width, max(height-1, 0)) // under the header
	m.layoutList()
}

// layoutList lays the list's rows out for the analyses and the width.
func (m *Model) layoutList() {
	m.rows = listRows(m.analyses, m.common.Width)
	m.list.SetItems(m.rows[1:])
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case core.Snapshot:
		m.analyze(msg)
		if m.open != "" {
			cmd := seriesCmd(m.common.Ctx, m.common.Backend, m.current().Experiment)
			if m.by != "" {
				cmd = tea.Batch(cmd, breakdownCmd(m.common.Ctx, m.common.Backend, m.open, m.by, false, m.common.Now()))
			}
			return m, cmd
		}
	case OpenMsg:
		m.open, m.arm, m.rates, m.explain = msg.Key, 0, nil, false
		m.by, m.breakdown = "", nil
		for i, a := range m.analyses {
			if a.Experiment.Key == msg.Key {
				m.list.Select(i)
				return m, seriesCmd(m.common.Ctx, m.common.Backend, a.Experiment)
			}
		}
	case seriesMsg:
		if msg.key == m.open && msg.err == nil {
			m.rates = msg.rates
		}
	case breakdownMsg:
		switch {
		case msg.key != m.open:
		case msg.err != nil:
			m.notice.Set(m.common.Now(), "✗ "+msg.err.Error())
		case msg.attr == "":
			m.by, m.breakdown = "", nil
		default:
			m.by, m.breakdown = msg.attr, &msg.breakdown
		}
	case declaredMsg:
		if msg.err != nil {
			m.notice.Set(m.common.Now(), "✗ "+msg.err.Error())
		} else {
			m.notice.Set(m.common.Now(), fmt.Sprintf("declared %s the winner of %s; briefs on %s / %s now see it", msg.exp.Winner, msg.exp.Key, msg.exp.Channel, msg.exp.Audience))
		}
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	case tea.MouseMsg:
		if m.open == "" {
			msg.Y-- // the list starts under the header
			m.list.Update(msg)
		}
	}
	return m, nil
}

// analyze recomputes every experiment's statistics: O(variants), since the
// store keeps running totals.
func (m *Model) analyze(s core.Snapshot) {
	now := m.common.Now()
	m.analyses = m.analyses[:0]
	for _, e := range s.Experiments {
		m.analyses = append(m.analyses, core.Analyze(e, s.Totals[e.Key], now, s.Guards))
	}
	m.layoutList()
}

func (m *Model) current() core.Analysis {
	if m.open != "" {
		for _, a := range m.analyses {
			if a.Experiment.Key == m.open {
				return a
			}
		}
	}
	if i, ok := m.list.Index(); ok {
		return m.analyses[i]
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
			return declareCmd(m.common.Ctx, m.common.Backend, m.common.Identity, a.Experiment.Key, a.Arms[m.arm].Variant.Key, m.common.Now())
		case key.Matches(msg, k.Cancel):
			m.confirm = false
		}
		return nil
	}
	if m.open == "" {
		if handled, cmd := m.list.Update(msg); handled {
			return cmd
		}
		if key.Matches(msg, k.Open) {
			if i, ok := m.list.Index(); ok {
				a := m.analyses[i]
				m.open, m.arm, m.rates = a.Experiment.Key, 0, nil
				m.notice.Set(m.common.Now(), "")
				m.by, m.breakdown = "", nil
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
	case key.Matches(msg, k.By):
		return breakdownCmd(m.common.Ctx, m.common.Backend, m.open, m.by, true, m.common.Now())
	case key.Matches(msg, k.Declare):
		if err := core.Authorize(m.common.Identity, core.ActionDeclareWinner); err != nil {
			m.notice.Set(m.common.Now(), "✗ "+err.Error())
		} else if a.Experiment.Winner != "" {
			m.notice.Set(m.common.Now(), fmt.Sprintf("%s was already declared the winner", a.Experiment.Winner))
		} else if err := backend.Decidable(a); err != nil {
			m.notice.Set(m.common.Now(), "✗ "+err.Error())
		} else {
			m.confirm = true
		}
	}
	return nil
}

// Noticing implements common.Noticer.
func (m *Model) Noticing() bool { return m.notice.Text(m.common.Now()) != "" }

// CapturesInput implements common.InputCapturer: a pending confirmation
// takes the next key, and the list's filter box takes typed text.
func (m *Model) CapturesInput() bool { return m.confirm || m.list.Typing() }

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

// breakdownCmd breaks experiment key down by attr, or with next by the
// attribute after attr among its units' (none after the last).
func breakdownCmd(ctx context.Context, be *backend.Backend, key, attr string, next bool, now time.Time) tea.Cmd {
	return func() tea.Msg {
		if next {
			keys, err := be.AttrKeys(ctx, key)
			if err != nil {
				return breakdownMsg{key: key, err: err}
			}
			i := slices.Index(keys, attr) // -1 for none: the first comes next
			if attr, keys = "", append(keys, ""); i+1 < len(keys) {
				attr = keys[i+1]
			}
			if attr == "" {
				return breakdownMsg{key: key}
			}
		}
		b, err := be.Breakdown(ctx, key, attr, now)
		return breakdownMsg{key: key, attr: attr, breakdown: b, err: err}
	}
}

func declareCmd(ctx context.Context, be *backend.Backend, who core.Identity, key, variant string, now time.Time) tea.Cmd {
	return func() tea.Msg {
		e, err := be.DeclareWinner(ctx, who, key, variant, now)
		return declaredMsg{exp: e, err: err}
	}
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	switch {
	case m.confirm:
		return []key.Binding{m.keys.Confirm, m.keys.Cancel}
	case m.open != "":
		return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Explain, m.keys.By, m.keys.Declare, m.keys.Back}
	}
	if m.list.Typing() {
		return []key.Binding{m.common.KeyMap.List.FilterApply, m.common.KeyMap.List.FilterClear}
	}
	return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Open, m.common.KeyMap.List.Filter}
}

// FullHelp implements help.KeyMap: every key of the tab, from the
// registry.
func (m *Model) FullHelp() [][]key.Binding { return m.common.KeyMap.FullHelp("experiments") }
