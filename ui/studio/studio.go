// Package studio is the generation studio tab: pick a brief, and the local
// model writes variants grounded in the brand guidelines and past winners;
// they stream in with tokens/s, each is linted, stored with provenance, and
// can be sent to the approval queue.
package studio

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/common/list"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// The number of variants a run asks for: 3 unless changed, 1 to 8.
const (
	defaultVariants = 3
	maxVariants     = 8
)

// event is one thing a running generation reports.
type event struct {
	token   string
	variant *core.GeneratedVariant
	err     error
	done    bool
}

// eventMsg carries an event of the run with id.
type eventMsg struct {
	run int
	ev  event
}

// modelsMsg carries the models the Ollama server has installed.
type modelsMsg struct {
	names []string
	err   error
}

// submittedMsg reports a variant sent to approvals, or why not.
type submittedMsg struct {
	v   core.GeneratedVariant
	r   core.Review
	err error
}

// Model is the Studio tab.
type Model struct {
	common common.Common
	keys   *keymap.Studio
	model  string
	// installed are the server's models, listed on the first m; n is how
	// many variants a run asks for.
	installed []string
	n         int
	briefs    []core.Brief
	// list is the briefs to generate for, one row each (rows).
	list     *list.Model
	rows     []string
	variants []core.GeneratedVariant
	chosen   int
	// The current run: its id, events, cancel, live text and clock.
	run     int
	events  chan event
	cancel  context.CancelFunc
	live    strings.Builder
	tokens  int
	started time.Time
	notice  common.Notice
	// overWIP is a variant whose brief review has no room for, waiting
	// for y/n: the board's question, asked here too.
	overWIP *core.GeneratedVariant
	// ledger is the recipe ledger, read after writes that can change it.
	ledger     []core.RecipeRow
	ledgerErr  error
	ledgerRead bool // asked for
	ledgerIn   bool // arrived
	// comps is the Components section, shown in place of the briefs.
	comps components
}

// New returns the tab; it generates with the workspace's model.
func New(c common.Common) *Model {
	k := &c.KeyMap.Studio
	l := list.New(list.Keys{Up: &k.Up, Down: &k.Down, Paging: &c.KeyMap.List}, c.Styles)
	l.SetEmpty("No briefs in planning, production or review.")
	return &Model{common: c, keys: k, list: l, model: c.Backend.Models().Model, n: defaultVariants}
}

// The brief list shows up to listRows briefs and where they are in the
// list.
const listRows = 6

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) {
	m.common.SetSize(w, h)
	m.list.SetSize(w, min(listRows+1, max(h-2, 0)))
	if m.comps.form != nil {
		m.comps.form.setSize(w, h-formTop)
	}
}

// brief is the brief with the cursor; false when there is none.
func (m *Model) brief() (core.Brief, bool) {
	i, ok := m.list.Index()
	if !ok {
		return core.Brief{}, false
	}
	return m.briefs[i], true
}

func (m *Model) running() bool { return m.cancel != nil }

// noticeView is the notice's lines under the header, or the question of a
// variant over review's WIP limit, which stays until it is answered.
func (m *Model) noticeView() string {
	st := m.common.Styles
	if m.overWIP != nil {
		return st.Studio.Running.Width(max(m.common.Width, 1)).Render(sanitize.Line(m.notice.String()))
	}
	return m.notice.View(st.App.Muted, m.common.Width, m.common.Now())
}

// listTop is the line the brief list starts on: under the header, the
// notice's lines and a blank.
func (m *Model) listTop() int {
	if n := m.noticeView(); n != "" {
		return 2 + lipgloss.Height(n)
	}
	return 2
}

// Noticing implements common.Noticer.
func (m *Model) Noticing() bool { return m.notice.Text(m.common.Now()) != "" }

// CapturesInput implements common.InputCapturer: the brief list's filter
// box and the form of a generation by slot take typed text.
func (m *Model) CapturesInput() bool { return m.list.Typing() || m.comps.form != nil }

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case core.Snapshot:
		m.briefs = m.briefs[:0]
		for _, b := range msg.Briefs {
			if b.Stage >= core.StagePlanned && b.Stage <= core.StageReview {
				m.briefs = append(m.briefs, b)
			}
		}
		m.rows = m.rows[:0]
		for _, br := range m.briefs {
			m.rows = append(m.rows, fmt.Sprintf("#%-4d %-30s %s · %s", br.ID, sanitize.Line(br.Title), sanitize.Line(br.Channel), br.Stage))
		}
		m.list.SetItems(m.rows)
		if m.comps.shown {
			return m, m.comps.reload(m)
		}
		if m.wantsLedger(msg) {
			m.ledgerRead = true
			return m, ledgerCmd(m.common.Ctx, m.common.Backend, msg.Seq, m.common.Now())
		}
	case ledgerMsg:
		m.ledger, m.ledgerErr, m.ledgerIn = msg.rows, msg.err, true
	case componentsMsg:
		m.comps.set(msg)
	case slotsMsg:
		return m, m.comps.handleSlots(m, msg.ev)
	case eventMsg:
		if msg.run != m.run {
			return m, nil // a cancelled run's leftovers
		}
		return m, m.handleEvent(msg.ev)
	case modelsMsg:
		switch {
		case msg.err != nil:
			m.notice.Set(m.common.Now(), "✗ "+msg.err.Error())
		case len(msg.names) == 0:
			m.notice.Set(m.common.Now(), "the Ollama server has no models installed: pull one with `tandem models pull NAME`")
		default:
			m.installed = msg.names
			m.nextModel()
		}
	case submittedMsg:
		var wip *core.WIPError
		switch {
		case errors.As(msg.err, &wip):
			m.overWIP = &msg.v
			m.notice.Set(m.common.Now(), fmt.Sprintf("! review is at its WIP limit (%d of %d): send #%d anyway? y/n", wip.Count, wip.Limit, wip.BriefID))
		case msg.err != nil:
			m.notice.Set(m.common.Now(), "✗ "+msg.err.Error())
		default:
			m.notice.Set(m.common.Now(), fmt.Sprintf("sent to approvals: brief %d, round %d", msg.r.BriefID, msg.r.Round))
		}
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	case tea.MouseMsg:
		if !m.running() && m.overWIP == nil && !m.comps.shown {
			msg.Y -= m.listTop()
			m.pick(msg)
		}
	default:
		if m.comps.form != nil { // the form's own messages
			return m, m.comps.updateForm(m, msg)
		}
	}
	return m, nil
}

// pick passes msg to the brief list; a brief newly picked starts without
// variants.
func (m *Model) pick(msg tea.Msg) (bool, tea.Cmd) {
	before, _ := m.list.Index()
	handled, cmd := m.list.Update(msg)
	if after, _ := m.list.Index(); after != before {
		m.variants = nil
	}
	return handled, cmd
}

func (m *Model) handleEvent(ev event) tea.Cmd {
	switch {
	case ev.token != "":
		m.live.WriteString(ev.token)
		m.tokens++
	case ev.variant != nil:
		m.variants = append(m.variants, *ev.variant)
		m.live.Reset()
	case ev.done:
		m.cancel = nil
		if ev.err != nil {
			m.notice.Set(m.common.Now(), "✗ "+ev.err.Error())
		} else {
			m.notice.Set(m.common.Now(), fmt.Sprintf("%d variants in %.1fs", len(m.variants), time.Since(m.started).Seconds()))
		}
		return nil
	}
	return waitCmd(m.run, m.events)
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if v := m.overWIP; v != nil {
		switch {
		case key.Matches(msg, k.Confirm):
			m.overWIP = nil
			return submitCmd(m.common.Ctx, m.common.Backend, m.common.Identity, *v, true)
		case key.Matches(msg, k.Decline):
			m.overWIP = nil
			m.notice.Set(m.common.Now(), fmt.Sprintf("kept brief %d out of review", v.BriefID))
		}
		return nil
	}
	if m.comps.shown {
		return m.comps.handleKey(m, msg)
	}
	switch {
	case key.Matches(msg, k.Stop) && m.running():
		m.cancel()
		m.cancel = nil
		m.notice.Set(m.common.Now(), "stopped")
	case m.running():
		return nil // one run at a time
	}
	if handled, cmd := m.pick(msg); handled {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Next):
		if len(m.variants) > 0 {
			m.chosen = (m.chosen + 1) % len(m.variants)
		}
	case key.Matches(msg, k.Generate):
		return m.generate()
	case key.Matches(msg, k.Components):
		m.comps.shown = true
		return m.comps.reload(m)
	case key.Matches(msg, k.More):
		m.n = min(m.n+1, maxVariants)
	case key.Matches(msg, k.Fewer):
		m.n = max(m.n-1, 1)
	case key.Matches(msg, k.Model):
		if m.installed == nil {
			return listModelsCmd(m.common.Ctx, m.common.Backend.Models())
		}
		m.nextModel()
	case key.Matches(msg, k.Submit):
		if m.chosen < len(m.variants) {
			v := m.variants[m.chosen]
			return submitCmd(m.common.Ctx, m.common.Backend, m.common.Identity, v, false)
		}
	}
	return nil
}

// nextModel moves to the installed model after the current one.
func (m *Model) nextModel() {
	i := slices.Index(m.installed, m.model)
	m.model = m.installed[(i+1)%len(m.installed)]
	m.notice.Set(m.common.Now(), fmt.Sprintf("model %s (%d installed)", m.model, len(m.installed)))
}

func listModelsCmd(ctx context.Context, settings backend.ModelSettings) tea.Cmd {
	return func() tea.Msg {
		client, err := settings.Client()
		if err != nil {
			return modelsMsg{err: err}
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		list, err := client.Models(ctx)
		names := make([]string, len(list))
		for i, md := range list {
			names[i] = md.Name
		}
		return modelsMsg{names: names, err: err}
	}
}

func (m *Model) generate() tea.Cmd {
	br, ok := m.brief()
	if !ok {
		return nil
	}
	client, err := m.common.Backend.Models().Client()
	if err != nil {
		m.notice.Set(m.common.Now(), "✗ "+err.Error())
		return nil
	}
	ctx, cancel := context.WithCancel(m.common.Ctx)
	m.run++
	m.cancel, m.events = cancel, make(chan event, 256)
	m.variants, m.chosen, m.tokens, m.started = nil, 0, 0, time.Now()
	m.notice.Set(m.common.Now(), "")
	m.live.Reset()
	req := backend.GenerateRequest{BriefID: br.ID, N: m.n, Model: m.model, Seed: int(time.Now().Unix() % 100000), Now: m.common.Now()}
	events, be, who := m.events, m.common.Backend, m.common.Identity
	go func() {
		_, err := be.Generate(ctx, who, client, req,
			func(_ int, s string) { events <- event{token: s} },
			func(v core.GeneratedVariant) { events <- event{variant: &v} })
		events <- event{done: true, err: err}
	}()
	return waitCmd(m.run, events)
}

// waitCmd waits for the run's next event; the model asks again after each.
func waitCmd(run int, events <-chan event) tea.Cmd {
	return func() tea.Msg { return eventMsg{run: run, ev: <-events} }
}

// submitCmd sends v to approvals; force says the person confirmed it
// past review's WIP limit.
func submitCmd(ctx context.Context, be *backend.Backend, who core.Identity, v core.GeneratedVariant, force bool) tea.Cmd {
	return func() tea.Msg {
		r, err := be.Submit(ctx, who, v.BriefID, 0, v.Copy.Text(), force)
		return submittedMsg{v: v, r: r, err: err}
	}
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	if m.overWIP != nil {
		return []key.Binding{m.keys.Confirm, m.keys.Decline}
	}
	if m.comps.form != nil {
		return []key.Binding{m.keys.Discard}
	}
	if m.running() || m.comps.run != nil {
		return []key.Binding{m.keys.Stop}
	}
	if m.comps.shown {
		// Up and down move among components here, not briefs.
		move := m.keys.Up
		move.SetHelp(move.Help().Key, "component")
		return []key.Binding{move, m.keys.GenerateSlots, m.keys.Components}
	}
	if m.list.Typing() {
		return []key.Binding{m.common.KeyMap.List.FilterApply, m.common.KeyMap.List.FilterClear}
	}
	return []key.Binding{m.keys.Up, m.common.KeyMap.List.Filter, m.keys.Generate, m.keys.Next, m.keys.Submit, m.keys.Model, m.keys.More}
}

// FullHelp implements help.KeyMap: every key of the tab, from the
// registry.
func (m *Model) FullHelp() [][]key.Binding { return m.common.KeyMap.FullHelp("studio") }

// View implements tea.Model.
func (m *Model) View() string {
	if m.comps.shown {
		return common.Clip(m.comps.view(m), m.common.Width, m.common.Height)
	}
	st := m.common.Styles
	var b strings.Builder
	where := ""
	if ms := m.common.Backend.Models(); !ms.Remote {
		where = " at " + sanitize.Line(ms.Host) // over SSH the server's address is not the person's to know
	}
	b.WriteString(st.Studio.Title.Render("Generation studio") + st.App.Muted.Render(fmt.Sprintf("  %s with %s%s", common.Plural(m.n, "variant"), sanitize.Line(m.model), where)))
	b.WriteString("\n")
	if n := m.noticeView(); n != "" {
		b.WriteString(n + "\n")
	}
	b.WriteString("\n")
	b.WriteString(m.list.View(func(r list.Row, _ bool) string { return m.list.Mark(r, m.rows[r.Item]) }) + "\n")
	if len(m.briefs) == 0 {
		return common.Clip(b.String(), m.common.Width, m.common.Height)
	}
	if m.ledgerIn && !m.running() && len(m.variants) == 0 {
		b.WriteString("\n" + m.ledgerView())
	}
	if m.running() {
		elapsed := time.Since(m.started).Seconds()
		rate := 0.0
		if elapsed > 0 {
			rate = float64(m.tokens) / elapsed
		}
		b.WriteString("\n" + st.Studio.Running.Render(fmt.Sprintf("generating variant %d of %d · %d tokens · %.0f tokens/s · %.1fs", len(m.variants)+1, m.n, m.tokens, rate, elapsed)) + "\n")
		b.WriteString(st.App.Muted.Width(m.common.Width).Render(sanitize.Line(lastRunes(m.live.String(), 400))) + "\n")
	}
	for i, v := range m.variants {
		mark := " "
		if i == m.chosen {
			mark = "▌"
		}
		p := v.Provenance
		head := fmt.Sprintf("%s variant %d · lint %d/100 · %s seed %d · %d→%d tokens · %.1fs", mark, v.ID, v.Lint.Score, p.Model, p.Seed, p.TokensIn, p.TokensOut, p.Duration.Seconds())
		if p.Truncated {
			head += " · ⚠ prompt filled the window"
		}
		b.WriteString("\n" + st.Detail.Section.Render(head) + "\n")
		b.WriteString(st.Detail.Value.Width(m.common.Width).Render(sanitize.Text(v.Copy.Text())) + "\n")
		if len(p.Sources) > 0 {
			b.WriteString(st.App.Muted.Render("  grounded in: "+strings.Join(p.Sources, ", ")) + "\n")
		}
		for _, f := range v.Lint.Findings {
			b.WriteString(st.Studio.Finding.Render("  ! "+sanitize.Line(f.Message)) + "\n")
		}
	}
	return common.Clip(b.String(), m.common.Width, m.common.Height)
}

func lastRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[len(r)-n:])
}
