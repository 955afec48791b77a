// Package retro is the retrospective tab: every KPI for a period against
// the period before with a weekly sparkline, what stalled and what worked,
// both teams' notes, and action items that become briefs on the board with
// one key.
package retro

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/core/kpi"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// periodDays are the periods the tab cycles through: a week, four weeks
// and a quarter.
func periodDays() []int { return []int{7, 28, 91} }

// loadedMsg carries the computed retro.
type loadedMsg struct {
	trends  []kpi.Trend
	stalled []kpi.Stall
	wins    []string
	notes   []core.RetroNote
	// templates are the most used templates and how their briefs did.
	templates []kpi.TemplateResult
	err       error
}

// notedMsg reports a note saved, with every note as they now stand.
type notedMsg struct {
	note  core.RetroNote
	notes []core.RetroNote
	err   error
}

// actionMsg reports an action brief filed from a stalled item.
type actionMsg struct {
	brief core.Brief
	err   error
}

// Model is the Retro tab.
type Model struct {
	common  common.Common
	keys    *keymap.Retro
	period  int
	cursor  int // rows: KPIs, then stalled items
	explain bool
	trends  []kpi.Trend
	stalled []kpi.Stall
	wins    []string
	// templates are the most used templates and how their briefs did.
	templates []kpi.TemplateResult
	notes     []core.RetroNote // every note; the view shows the period's
	// campaign narrows the KPIs to one campaign's briefs, "" for all;
	// campaigns are those the briefs name.
	campaign  string
	campaigns []string
	// scroll is the first line on screen after pgup/pgdown, -1 to follow
	// the cursor.
	scroll int
	notice common.Notice
	seq    uint64
	// input is the note being written, while writing.
	input   textinput.Model
	writing bool
}

// New returns the tab.
func New(c common.Common) *Model {
	ti := textinput.New()
	ti.CharLimit = 2000
	return &Model{common: c, keys: &c.KeyMap.Retro, period: 1, input: ti, scroll: -1}
}

// CapturesInput implements common.InputCapturer: the note box takes text.
func (m *Model) CapturesInput() bool { return m.writing }

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) {
	m.common.SetSize(w, h)
	m.fitInput()
}

// fitInput sizes the note box to the notes' width, its prompt and cursor
// included, so that what is typed stays on screen.
func (m *Model) fitInput() {
	m.input.Width = max(m.notesWidth()-common.Width(m.input.Prompt)-1, 10)
	// The box shows a window on a long note, laid out again only when the
	// cursor leaves it: to the start and back lays it out at this width.
	pos := m.input.Position()
	m.input.SetCursor(0)
	m.input.SetCursor(pos)
}

// campaignsOf lists the campaigns briefs name, sorted.
func campaignsOf(briefs []core.Brief) []string {
	var out []string
	for _, b := range briefs {
		if b.Campaign != "" && !slices.Contains(out, b.Campaign) {
			out = append(out, b.Campaign)
		}
	}
	slices.Sort(out)
	return out
}

// notePeriod is the retro a note written now belongs to: this ISO week.
func (m *Model) notePeriod() string { return core.WeekOf(m.common.Now()).String() }

func (m *Model) span() (time.Time, time.Time) {
	to := m.common.Now().Truncate(24*time.Hour).AddDate(0, 0, 1)
	return to.AddDate(0, 0, -periodDays()[m.period]), to
}

func (m *Model) loadCmd() tea.Cmd {
	from, to := m.span()
	ctx, be := m.common.Ctx, m.common.Backend
	// Stalled counts to the hour, so sessions asking within it share one.
	q := backend.RetroQuery{From: from, To: to, Campaign: m.campaign, Day: m.common.Now().Truncate(time.Hour)}
	return func() tea.Msg {
		// Shared by every session: computed once per write and period.
		r, err := be.Retro(ctx, q)
		return loadedMsg{trends: r.Trends, stalled: r.Stalled, wins: r.Wins, notes: r.Notes, templates: r.Templates, err: err}
	}
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case core.Snapshot:
		m.campaigns = campaignsOf(msg.Briefs)
		// KPIs read the whole history: the backend computes them once per
		// write for every session, off the UI goroutine.
		if m.trends == nil || msg.Seq != m.seq {
			m.seq = msg.Seq
			return m, m.loadCmd()
		}
	case loadedMsg:
		if msg.err != nil {
			m.notice.Set(m.common.Now(), "✗ "+msg.err.Error())
			return m, nil
		}
		m.trends, m.stalled, m.wins, m.notes, m.templates = msg.trends, msg.stalled, msg.wins, msg.notes, msg.templates
		m.cursor = min(m.cursor, max(len(m.trends)+len(m.stalled)-1, 0))
	case notedMsg:
		if msg.err != nil {
			m.notice.Set(m.common.Now(), "✗ "+msg.err.Error())
		} else {
			m.notes = msg.notes
			m.notice.Set(m.common.Now(), fmt.Sprintf("noted on %s for %s", msg.note.Period, msg.note.Team))
		}
	case actionMsg:
		if msg.err != nil {
			m.notice.Set(m.common.Now(), "✗ "+msg.err.Error())
		} else {
			m.notice.Set(m.common.Now(), fmt.Sprintf("filed action brief #%d on the board: %s", msg.brief.ID, sanitize.Line(msg.brief.Title)))
		}
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.writing {
		switch {
		case key.Matches(msg, k.Cancel):
			m.writing = false
			m.input.Blur()
			return nil
		case key.Matches(msg, k.Save):
			m.writing = false
			m.input.Blur()
			return noteCmd(m.common.Ctx, m.common.Backend, m.common.Identity, m.notePeriod(), m.input.Value())
		}
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		common.CleanInput(&m.input)
		return cmd
	}
	switch {
	case key.Matches(msg, k.Up):
		m.cursor, m.scroll = max(m.cursor-1, 0), -1
	case key.Matches(msg, k.Down):
		m.cursor, m.scroll = min(m.cursor+1, max(len(m.trends)+len(m.stalled)-1, 0)), -1
	case key.Matches(msg, k.PageUp):
		m.page(-1)
	case key.Matches(msg, k.PageDown):
		m.page(1)
	case key.Matches(msg, k.Period):
		m.period = (m.period + 1) % len(periodDays())
		return m.loadCmd()
	case key.Matches(msg, k.Campaign):
		// All campaigns, then each in turn.
		i := slices.Index(m.campaigns, m.campaign) + 1
		if m.campaign == "" {
			i = 0
		}
		m.campaign = ""
		if i < len(m.campaigns) {
			m.campaign = m.campaigns[i]
		}
		return m.loadCmd()
	case key.Matches(msg, k.Explain):
		m.explain = !m.explain
	case key.Matches(msg, k.Action):
		i := m.cursor - len(m.trends)
		if i < 0 || i >= len(m.stalled) {
			m.notice.Set(m.common.Now(), "move to a stalled item first (below the KPIs)")
			return nil
		}
		return actionCmd(m.common.Ctx, m.common.Backend, m.common.Identity, m.stalled[i], m.common.Now())
	case key.Matches(msg, k.Note):
		if err := core.Authorize(m.common.Identity, core.ActionNote); err != nil {
			m.notice.Set(m.common.Now(), "✗ "+err.Error())
			return nil
		}
		m.writing = true
		m.input.Prompt = fmt.Sprintf("Note on %s for %s: ", m.notePeriod(), core.TeamOf(m.common.Identity.Role))
		m.input.SetValue("")
		m.fitInput()
		m.scroll = -1 // follow the box
		return m.input.Focus()
	}
	return nil
}

func noteCmd(ctx context.Context, be *backend.Backend, who core.Identity, period, text string) tea.Cmd {
	return func() tea.Msg {
		n, err := be.AddRetroNote(ctx, who, period, text)
		if err != nil {
			return notedMsg{err: err}
		}
		notes, err := be.RetroNotes(ctx)
		return notedMsg{note: n, notes: notes, err: err}
	}
}

func actionCmd(ctx context.Context, be *backend.Backend, who core.Identity, s kpi.Stall, now time.Time) tea.Cmd {
	return func() tea.Msg {
		added, err := be.FileAction(ctx, who, s.Brief, s.For, now)
		return actionMsg{brief: added, err: err}
	}
}

// Noticing implements common.Noticer.
func (m *Model) Noticing() bool { return m.notice.Text(m.common.Now()) != "" }

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	if m.writing {
		return []key.Binding{m.keys.Save, m.keys.Cancel}
	}
	return []key.Binding{m.keys.Up, m.keys.Period, m.keys.Campaign, m.keys.Explain, m.keys.Action, m.keys.Note}
}

// FullHelp implements help.KeyMap: every key of the tab, from the
// registry.
func (m *Model) FullHelp() [][]key.Binding { return m.common.KeyMap.FullHelp("retro") }
