// Package approvals is the approval queue: what waits on you (or the whole
// team) ordered by SLA risk, with each item's brief, copy, the word diff
// against the last round, and its brand-lint result beside it.
package approvals

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/common/list"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// decidedMsg reports a recorded decision, or why it was refused.
type decidedMsg struct {
	brief uint64
	kind  core.DecisionKind
	d     backend.Decided
	err   error
}

// Model is the Approvals tab.
type Model struct {
	common  common.Common
	keys    *keymap.Approvals
	snap    core.Snapshot
	entries []core.QueueEntry
	mine    bool
	// teamPending counts every pending review, for the empty "mine" view.
	teamPending int
	// claims are each entry's claims with their evidence, by brief ID,
	// worked out when the queue is rebuilt rather than on every frame.
	claims map[uint64][]core.ClaimStatus
	// list is the queue, one row per entry, its filter value the row's
	// text ("#12  title").
	list *list.Model
	// slaWidth is the widest SLA in the queue, the width of its column.
	slaWidth int
	input    textinput.Model
	pending  core.DecisionKind // the decision the comment box is for, "" when closed
	notice   common.Notice
}

// New returns the tab, showing the caller's own queue first.
func New(c common.Common) *Model {
	ti := textinput.New()
	ti.CharLimit = 2000
	k := &c.KeyMap.Approvals
	l := list.New(list.Keys{Up: &k.Up, Down: &k.Down, Paging: &c.KeyMap.List}, c.Styles)
	return &Model{common: c, keys: k, mine: true, input: ti, list: l}
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(width, height int) {
	m.common.SetSize(width, height)
	m.input.Width = max(width-30, 10)
	m.list.SetSize(m.listWidth(), m.listHeight())
}

// listTop is the line the queue starts on: under the title, the notice's
// lines and a blank.
func (m *Model) listTop() int {
	if n := m.noticeView(); n != "" {
		return 2 + lipgloss.Height(n)
	}
	return 2
}

// noticeView is the notice wrapped to the tab's width, "" for none.
func (m *Model) noticeView() string {
	return m.notice.View(m.common.Styles.App.Muted, m.common.Width, m.common.Now())
}

// Noticing implements common.Noticer.
func (m *Model) Noticing() bool { return m.notice.Text(m.common.Now()) != "" }

// Below stackWidth columns the queue sits above the detail, full width,
// in at most stackRows lines: beside it, titles shrank to two letters.
const (
	stackWidth = 100
	stackRows  = 7
)

func (m *Model) stacked() bool { return m.common.Width < stackWidth }

// listWidth is the queue's share of the width; beside it, the detail has
// the rest.
func (m *Model) listWidth() int {
	if m.stacked() {
		return m.common.Width
	}
	return min(max(m.common.Width*2/5, 30), m.common.Width)
}

// listHeight is the queue's lines: all the tab's, or stacked, a few.
func (m *Model) listHeight() int {
	h := max(m.common.Height-m.listTop(), 0)
	if m.stacked() {
		return min(h, stackRows)
	}
	return h
}

// CapturesInput implements common.InputCapturer: the comment box and the
// queue's filter take text.
func (m *Model) CapturesInput() bool { return m.pending != "" || m.list.Typing() }

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case core.Snapshot:
		m.snap = msg
		m.rebuild()
	case decidedMsg:
		if msg.err != nil {
			m.notice.Set(m.common.Now(), "✗ "+msg.err.Error())
		} else {
			text := fmt.Sprintf("#%d: %s recorded; review is %s", msg.brief, msg.kind, msg.d.Review.Status)
			if run := msg.d.Run; run != nil {
				text += "; its run " + run.State()
			}
			m.notice.Set(m.common.Now(), text)
		}
		m.list.SetSize(m.listWidth(), m.listHeight()) // under the notice
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	case tea.MouseMsg:
		if m.pending == "" && msg.X < m.listWidth() {
			msg.Y -= m.listTop()
			m.list.Update(msg)
		}
	}
	return m, nil
}

func (m *Model) rebuild() {
	s := m.snap
	m.entries = core.BuildQueue(s.Reviews, s.Flows, s.ByID(), s.Guideline, m.common.Identity, s.Hours, m.common.Now(), m.mine)
	rows := make([]string, len(m.entries))
	m.slaWidth = 0
	for i, e := range m.entries {
		rows[i] = fmt.Sprintf("#%-3d %s", e.Brief.ID, sanitize.Line(e.Brief.Title))
		m.slaWidth = max(m.slaWidth, common.Width(e.SLA.String()))
	}
	m.list.SetItems(rows)
	results := map[string]core.Result{}
	for _, e := range s.Experiments {
		if e.Winner == "" {
			continue // only declared winners back claims
		}
		if r, ok := core.ExperimentResult(core.Analyze(e, s.Totals[e.Key], m.common.Now(), s.Guards)); ok {
			results[e.Key] = r
		}
	}
	m.claims = make(map[uint64][]core.ClaimStatus, len(m.entries))
	for _, e := range m.entries {
		m.claims[e.Brief.ID] = core.ClaimsOf(e.Review.Copy(), e.Review.Claims, s.Experiments, results)
	}
	m.teamPending = 0
	for _, r := range s.Reviews {
		if r.Status == core.ReviewPending {
			m.teamPending++
		}
	}
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.pending != "" {
		switch {
		case key.Matches(msg, k.Cancel):
			m.pending = ""
			m.input.Blur()
			return nil
		case key.Matches(msg, k.Send):
			kind, comment := m.pending, m.input.Value()
			m.pending = ""
			m.input.Blur()
			return m.decide(kind, comment)
		}
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		common.CleanInput(&m.input)
		return cmd
	}
	if handled, cmd := m.list.Update(msg); handled {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Toggle):
		m.mine = !m.mine
		m.rebuild()
	case key.Matches(msg, k.Approve):
		return m.decide(core.DecisionApprove, "")
	case key.Matches(msg, k.Request):
		return m.ask(core.DecisionRequestChanges, "What should change? ")
	case key.Matches(msg, k.Reject):
		return m.ask(core.DecisionReject, "Why reject? ")
	case key.Matches(msg, k.Comment):
		return m.ask(core.DecisionComment, "Comment: ")
	}
	return nil
}

// focused is the entry with the cursor; false when the queue, or what
// the filter leaves of it, is empty.
func (m *Model) focused() (core.QueueEntry, bool) {
	i, ok := m.list.Index()
	if !ok {
		return core.QueueEntry{}, false
	}
	return m.entries[i], true
}

func (m *Model) ask(kind core.DecisionKind, prompt string) tea.Cmd {
	if _, ok := m.focused(); !ok {
		return nil
	}
	m.pending = kind
	m.input.Prompt = prompt
	m.input.SetValue("")
	return m.input.Focus()
}

func (m *Model) decide(kind core.DecisionKind, comment string) tea.Cmd {
	e, ok := m.focused()
	if !ok {
		return nil
	}
	id := e.Brief.ID
	return decideCmd(m.common.Ctx, m.common.Backend, m.common.Identity, core.Decision{BriefID: id, Kind: kind, Comment: comment})
}

func decideCmd(ctx context.Context, be *backend.Backend, who core.Identity, d core.Decision) tea.Cmd {
	return func() tea.Msg {
		decided, err := be.Decide(ctx, who, d)
		return decidedMsg{brief: d.BriefID, kind: d.Kind, d: decided, err: err}
	}
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	switch {
	case m.pending != "":
		return []key.Binding{m.keys.Send, m.keys.Cancel}
	case m.list.Typing():
		return []key.Binding{m.common.KeyMap.List.FilterApply, m.common.KeyMap.List.FilterClear}
	}
	return []key.Binding{m.keys.Approve, m.keys.Request, m.keys.Reject, m.keys.Comment, m.keys.Toggle, m.common.KeyMap.List.Filter}
}

// FullHelp implements help.KeyMap: every key of the tab, from the
// registry.
func (m *Model) FullHelp() [][]key.Binding { return m.common.KeyMap.FullHelp("approvals") }

// View implements tea.Model.
func (m *Model) View() string {
	st := m.common.Styles
	w, h := m.common.Width, m.common.Height
	which := "My queue"
	if !m.mine {
		which = "Team queue"
	}
	breached := 0
	for _, e := range m.entries {
		if e.SLA.Risk == core.RiskBreached {
			breached++
		}
	}
	top := st.Approvals.Title.Render(fmt.Sprintf("%s (%d)", which, len(m.entries))) + st.App.Muted.Render(" · t toggles mine/team")
	if breached > 0 {
		top += "  " + st.App.Error.Render(fmt.Sprintf("✗ %d breached", breached))
	}
	if m.pending != "" {
		top = m.input.View()
	}
	if n := m.noticeView(); n != "" {
		top += "\n" + n
	}
	if len(m.entries) == 0 {
		empty := fmt.Sprintf("Nothing waits on you. t shows the team's queue (%d pending).", m.teamPending)
		if !m.mine {
			empty = "No reviews are pending. Submit copy with `tandem approvals submit BRIEF_ID --copy TEXT`."
		}
		return common.Clip(top+"\n\n"+st.App.Muted.Render(empty), w, h)
	}
	listW := m.listWidth()
	queue := m.listView(listW)
	detailW := max(w-listW-4, 10)
	if m.stacked() {
		detailW = w
	}
	detail := st.App.Muted.Render("Nothing matches the filter: / changes it.")
	if e, ok := m.focused(); ok {
		detail = m.detailView(e, detailW)
	}
	if m.stacked() {
		return common.Clip(top+"\n\n"+queue+"\n\n"+detail, w, h)
	}
	body := lipgloss.JoinHorizontal(lipgloss.Top, queue, "  ", detail)
	return common.Clip(top+"\n\n"+body, w, h)
}

// listView is the queue: each entry's number and title, cut to fit, and
// its SLA, marked by risk.
func (m *Model) listView(width int) string {
	st := m.common.Styles
	textW := max(width-m.slaWidth-2, 8)
	return m.list.View(func(r list.Row, _ bool) string {
		e := m.entries[r.Item]
		style := st.Approvals.OnTime
		switch e.SLA.Risk {
		case core.RiskBreached:
			style = st.Approvals.Breached
		case core.RiskDueSoon:
			style = st.Approvals.DueSoon
		}
		text := fmt.Sprintf("#%-3d %s", e.Brief.ID, sanitize.Line(e.Brief.Title))
		text = common.Clip(m.list.Mark(r, fmt.Sprintf("%-*s", textW, text)), textW, 1)
		return text + " " + style.Render(fmt.Sprintf("%-*s", m.slaWidth, e.SLA.String()))
	})
}

func (m *Model) detailView(e core.QueueEntry, width int) string {
	st := m.common.Styles
	var b strings.Builder
	b.WriteString(st.Detail.Title.Render(fmt.Sprintf("#%d %s", e.Brief.ID, sanitize.Line(e.Brief.Title))) + "\n")
	fmt.Fprintf(&b, "%s · stage %d/%d %s · round %d · %s\n", sanitize.Line(e.Flow.Name), e.Review.Stage+1, len(e.Flow.Stages), sanitize.Line(e.Stage), e.Review.Round, e.SLA)
	fmt.Fprintf(&b, "waiting on %s · owner %s\n\n", sanitize.Line(strings.Join(e.Waiting, ", ")), sanitize.Line(e.Brief.Owner))
	b.WriteString(st.Detail.Section.Render(fmt.Sprintf("Copy, round %d", e.Review.Round)) + "\n")
	b.WriteString(st.Detail.Value.Width(width).Render(sanitize.Text(e.Review.Copy())) + "\n")
	if n := len(e.Review.Copies); n > 1 {
		if prev := e.Review.Copies[n-2]; prev.ChangesRequested != "" {
			b.WriteString("\n" + st.Detail.Section.Render(fmt.Sprintf("Changes asked in round %d", prev.Round)) + "\n")
			b.WriteString(st.Detail.Value.Width(width).Render(sanitize.Line(prev.RequestedBy)+": "+sanitize.Text(prev.ChangesRequested)) + "\n")
		}
	}
	if diff := e.Review.Diff(); diff != nil {
		b.WriteString("\n" + st.Detail.Section.Render(fmt.Sprintf("Changes since round %d", e.Review.Round-1)) + "\n")
		b.WriteString(st.Detail.Value.Width(width).Render(m.renderDiff(diff)) + "\n")
	}
	if claims := m.claims[e.Brief.ID]; len(claims) > 0 {
		b.WriteString("\n" + st.Detail.Section.Render("Claims") + "\n")
		for _, c := range claims {
			style := st.Approvals.Supported
			if c.State != core.ClaimSupported {
				style = st.Approvals.Unsupported
			}
			b.WriteString(style.Width(width).Render(common.ClaimMark(c.State)+" "+sanitize.Line(c.Text)+" · "+sanitize.Line(c.Evidence)) + "\n")
		}
		if e.Flow.RequireClaimSupport {
			b.WriteString(st.App.Muted.Render("this flow approves only once every claim is supported") + "\n")
		}
	}
	b.WriteString("\n" + st.Detail.Section.Render(fmt.Sprintf("Brand lint: %d/100", e.Lint.Score)) + "\n")
	if len(e.Lint.Findings) == 0 {
		b.WriteString(st.App.Success.Render("✓ no findings") + "\n")
	}
	for _, f := range e.Lint.Findings {
		mark, style := "!", st.Approvals.LintWarning
		if f.Severity == core.LintError {
			mark, style = "✗", st.Approvals.LintError
		}
		b.WriteString(style.Width(width).Render(mark+" "+sanitize.Line(f.Message)) + "\n")
	}
	return common.Clip(b.String(), width, m.common.Height)
}

// renderDiff shows deletions and insertions with markers as well as colour.
func (m *Model) renderDiff(chunks []core.DiffChunk) string {
	st := m.common.Styles
	parts := make([]string, len(chunks))
	for i, c := range chunks {
		text := sanitize.Line(c.Text)
		switch c.Op {
		case core.DiffDelete:
			parts[i] = st.Approvals.Deleted.Render("[-" + text + "-]")
		case core.DiffInsert:
			parts[i] = st.Approvals.Inserted.Render("{+" + text + "+}")
		default:
			parts[i] = text
		}
	}
	return strings.Join(parts, " ")
}
