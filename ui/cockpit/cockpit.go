// Package cockpit is the root of tandem's terminal UI: the tabs, the status
// bar and help around the views, the session state, and the change-feed
// subscription that repaints every view when anyone writes.
package cockpit

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
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

// state is where the session stands.
type state int

const (
	stateLoading state = iota
	stateReady
	stateError
)

// Minimum terminal size the cockpit lays out in.
const (
	minWidth  = 40
	minHeight = 10
)

// chrome is the rows around the body: tabs and their rule, help, status.
const chrome = 4

// bodyTop is the first row of the body, under the tabs and their rule.
const bodyTop = 2

// ClockInterval is how often the status bar clock repaints: as its
// minute turns on the system clock. A tick that repaints nothing still
// costs a session: Bubble Tea copies and compares the whole frame on every
// render tick after any message, until the frame changes.
const ClockInterval = time.Minute

// Model is the cockpit's root model.
type Model struct {
	common   *common.Common
	pages    []page
	active   int
	state    state
	err      error
	snap     core.Snapshot
	sub      *backend.Subscription
	help     help.Model
	showHelp bool
	// Workspace names the open database in the status bar.
	workspace string
	// lastCount is how many writes came together with the snapshot's
	// change; 0 until one arrives in this session, so the status bar
	// tells of writes made while it is open.
	lastCount int
	// inbox is what needs this session's person, kept with the snapshot.
	inbox []core.InboxItem
	// inboxList shows the inbox, inboxRows its items as text.
	inboxList *list.Model
	inboxRows []string
	showInbox bool
	// wall cycles the tabs for a team screen when non-zero.
	wall time.Duration
	// behind marks the hidden pages that have not been given the latest
	// snapshot: a page takes it when it shows, so a write costs a session
	// the work of the tab it is looking at, not of all six.
	behind []bool
	// locked holds, per page, the write keys this session's person may not
	// use: off in the view, answered here with a note.
	locked [][]common.WriteKey
	// notice is shown in place of the help line until the next key, e.g.
	// what was wrong with the config file.
	notice string
	// The command palette, open over the body while paletteOpen.
	palette     *palette
	paletteOpen bool
	// Renderings of the tab bar and the help line, kept between frames.
	tabsMemo, helpMemo memo
	barInks            barInks
	// frame is the last screen drawn; it is drawn again only after a
	// message that can change it. With many SSH sessions, a write would
	// otherwise cost every session a frame for the news and another for
	// the snapshot that follows.
	frame      string
	frameValid bool
	frameClock string
	// frameNotice says the frame shows a view's notice: the clock repaints
	// it, so the notice goes when it expires (common.Noticer).
	frameNotice bool
}

// wallMsg moves a wall display to the next tab.
type wallMsg struct{}

// Wall makes the cockpit a team screen that shows each tab in turn for d.
func (m *Model) Wall(d time.Duration) { m.wall = d }

func wallCmd(d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return wallMsg{} })
}

// New returns a cockpit for one session. It subscribes to the change feed at
// once, so no write between now and Init is missed; Close ends it.
func New(c *common.Common, workspace string) *Model {
	h := help.New()
	h.ShortSeparator = "  "
	m := &Model{
		common:    c,
		pages:     newPages(*c),
		sub:       c.Backend.Subscribe(backend.DefaultSubscriptionBuffer),
		help:      h,
		workspace: workspace,
		palette:   newPalette(c),
		inboxList: newInboxList(c),
		barInks:   newBarInks(c.Styles),
	}
	m.behind = make([]bool, len(m.pages))
	m.lockWriteKeys()
	return m
}

// lockWriteKeys turns off every write key the session's person may not
// use, so no footer, help or palette offers it.
func (m *Model) lockWriteKeys() {
	m.locked = make([][]common.WriteKey, len(m.pages))
	for i, p := range m.pages {
		w, ok := p.view.(common.Writer)
		if !ok {
			continue
		}
		for _, wk := range w.WriteKeys() {
			if !core.Can(m.common.Identity.Role, wk.Action) {
				wk.Binding.SetEnabled(false)
				m.locked[i] = append(m.locked[i], wk)
			}
		}
	}
}

// refusal is the note for a key the person may not use on the active page,
// or "" when msg is not one.
func (m *Model) refusal(msg tea.KeyMsg) string {
	for _, wk := range m.locked[m.active] {
		if slices.Contains(wk.Binding.Keys(), msg.String()) {
			who := m.common.Identity
			return fmt.Sprintf("read-only: %s (%s) may not %s here", sanitize.Line(who.Name), who.Role, wk.Action)
		}
	}
	return ""
}

// Notice shows text in place of the help line until the next key press.
func (m *Model) Notice(text string) { m.notice, m.frameValid = text, false }

// Close ends the session's change-feed subscription.
func (m *Model) Close() { m.sub.Close() }

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.reload(), m.waitForChange(false), clockCmd(ClockInterval)}
	if m.wall > 0 {
		cmds = append(cmds, wallCmd(m.wall))
	}
	return tea.Batch(cmds...)
}

func (m *Model) reload() tea.Cmd {
	return loadCmd(m.common.Ctx, m.common.Backend)
}

func (m *Model) waitForChange(taken bool) tea.Cmd {
	return waitForChangeCmd(m.common.Ctx, m.common.Backend, m.sub, taken)
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	caught := m.catchUp()
	_, cmd := m.update(msg)
	if caught == nil {
		return m, cmd
	}
	return m, tea.Batch(caught, cmd)
}

func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	owner := ownerOf(m.pages, msg)
	switch msg.(type) {
	case clockMsg:
		// The clock shows only when its minute turns.
	default:
		if owner < 0 || owner == m.active {
			m.frameValid = false
		}
	}
	if owner >= 0 {
		_, cmd := m.pages[owner].view.Update(msg)
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.setSize(msg.Width, msg.Height)
		return m, nil
	case tea.KeyMsg:
		return m, m.handleKeys(msg)
	case changedMsg:
		return m, tea.Batch(m.applyChanged(msg), m.waitForChange(msg.newer))
	case feedClosedMsg:
		if !msg.dropped {
			return m, nil // the store closed: the session is ending
		}
		// Fell behind: start over with a fresh subscription and a full reload.
		m.sub = m.common.Backend.Subscribe(backend.DefaultSubscriptionBuffer)
		return m, tea.Batch(m.reload(), m.waitForChange(false))
	case core.Snapshot:
		if m.state == stateReady && msg.Seq < m.snap.Seq {
			return m, nil // a slow, older load
		}
		return m, m.applySnapshot(msg)
	case loadFailedMsg:
		m.state, m.err = stateError, msg.err
		return m, nil
	case clockMsg:
		if m.frameNotice {
			m.frameValid = false
		}
		return m, clockCmd(ClockInterval)
	case wallMsg:
		return m, tea.Batch(m.show((m.active+1)%len(m.pages)), wallCmd(m.wall))
	case tea.MouseMsg:
		return m, m.handleMouse(msg)
	case personalSavedMsg:
		if msg.err != nil {
			m.notice = "✗ " + msg.err.Error()
		} else {
			m.notice = fmt.Sprintf("saved your %s: %s; your next cockpit opens with it, here or over SSH", msg.key, msg.value)
		}
		return m, nil
	}
	return m, m.broadcast(msg)
}

// broadcast hands a message to every page: results of a page's commands
// (a save, a load) must reach it even when another tab is showing.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, len(m.pages))
	for i, p := range m.pages {
		_, cmds[i] = p.view.Update(msg)
	}
	return tea.Batch(cmds...)
}

// applyChanged shows the workspace after writes, and how many there were.
func (m *Model) applyChanged(msg changedMsg) tea.Cmd {
	m.lastCount = msg.count
	switch {
	case msg.err != nil:
		m.state, m.err = stateError, msg.err
		return nil
	case m.state == stateReady && msg.snap.Seq < m.snap.Seq:
		return nil // a slow, older load
	}
	return m.applySnapshot(msg.snap)
}

func (m *Model) applySnapshot(snap core.Snapshot) tea.Cmd {
	m.snap = snap
	m.state, m.err = stateReady, nil
	m.inbox = backend.InboxOf(m.snap, m.common.Identity, m.common.Now())
	m.inboxRows = inboxRows(m.inbox)
	m.inboxList.SetItems(m.inboxRows)
	for i := range m.behind {
		m.behind[i] = i != m.active
	}
	_, cmd := m.pages[m.active].view.Update(snap)
	return cmd
}

// show makes tab i the active one, giving it the latest snapshot first if
// it missed it while hidden.
func (m *Model) show(i int) tea.Cmd {
	m.active = i
	return m.catchUp()
}

// catchUp gives the active page the snapshot it missed while hidden.
func (m *Model) catchUp() tea.Cmd {
	if !m.behind[m.active] {
		return nil
	}
	m.behind[m.active], m.frameValid = false, false
	_, cmd := m.pages[m.active].view.Update(m.snap)
	return cmd
}

// handleKeys handles runes that arrived in one read (a fast typist, key
// repeat, or SSH) as the separate key presses they were, until a text
// input takes over: the rest is its typed text.
func (m *Model) handleKeys(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste {
		_, cmd := m.handleKey(msg)
		return cmd
	}
	var cmds []tea.Cmd
	for i, r := range msg.Runes {
		if m.paletteOpen || m.capturing() {
			rest := msg
			rest.Runes = msg.Runes[i:]
			_, cmd := m.handleKey(rest)
			return tea.Batch(append(cmds, cmd)...)
		}
		_, cmd := m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (m *Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	km := m.common.KeyMap
	m.notice = ""
	if m.paletteOpen {
		if msg.Type == tea.KeyCtrlC {
			return m, tea.Quit
		}
		return m, m.handlePaletteKey(msg)
	}
	if m.showHelp || m.showInbox {
		// An overlay closes with esc, its own key or q; only ctrl+c quits
		// from it. The inbox's list takes its keys first: its filter box
		// takes every key.
		if msg.Type == tea.KeyCtrlC {
			return m, tea.Quit
		}
		if m.showInbox {
			if handled, cmd := m.inboxList.Update(msg); handled || m.inboxList.Typing() {
				return m, cmd
			}
		}
		if key.Matches(msg, km.Overlay.Close) || key.Matches(msg, km.Quit) {
			m.showHelp, m.showInbox = false, false
			return m, nil
		}
	}
	if m.capturing() && !m.showHelp {
		if msg.Type == tea.KeyCtrlC {
			return m, tea.Quit
		}
		return m, m.updateActive(msg)
	}
	switch {
	case key.Matches(msg, km.Quit):
		return m, tea.Quit
	case key.Matches(msg, km.Help):
		m.showHelp, m.showInbox = !m.showHelp, false
		return m, nil
	case key.Matches(msg, km.Inbox):
		m.showInbox, m.showHelp = !m.showInbox, false
		return m, nil
	case key.Matches(msg, km.Palette):
		m.showHelp = false
		return m, m.openPalette()
	case key.Matches(msg, km.NextTab):
		return m, m.switchTo((m.active + 1) % len(m.pages))
	case key.Matches(msg, km.PrevTab):
		return m, m.switchTo((m.active + len(m.pages) - 1) % len(m.pages))
	}
	for i, b := range km.GoTo {
		if i < len(m.pages) && key.Matches(msg, b) {
			return m, m.switchTo(i)
		}
	}
	if note := m.refusal(msg); note != "" {
		m.notice = note
		return m, nil
	}
	return m, m.updateActive(msg)
}

// switchTo shows tab i; an open overlay (help, inbox) belongs to the tab it
// was opened on and closes.
func (m *Model) switchTo(i int) tea.Cmd {
	m.showHelp, m.showInbox = false, false
	return m.show(i)
}

// handleMouse selects a tab on a click in the tab row, hands a click in the
// body to the active view, and turns the wheel into up and down for it.
func (m *Model) handleMouse(msg tea.MouseMsg) tea.Cmd {
	switch {
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft && msg.Y == 0:
		x := 0
		for i, p := range m.pages {
			w := lipgloss.Width(m.common.Styles.Tabs.Inactive.Render(fmt.Sprintf("%d %s", i+1, p.title)))
			if msg.X >= x && msg.X < x+w {
				return m.show(i)
			}
			x += w
		}
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft:
		// A click in the body goes to the view in its own cells (the
		// board focuses the card under it), unless an overlay covers it.
		if m.paletteOpen || m.showHelp || m.showInbox || msg.Y < bodyTop || msg.Y >= bodyTop+m.common.Height-chrome {
			return nil
		}
		msg.Y -= bodyTop
		return m.updateActive(msg)
	case msg.Button == tea.MouseButtonWheelUp:
		return m.updateActive(tea.KeyMsg{Type: tea.KeyUp})
	case msg.Button == tea.MouseButtonWheelDown:
		return m.updateActive(tea.KeyMsg{Type: tea.KeyDown})
	}
	return nil
}

func (m *Model) updateActive(msg tea.Msg) tea.Cmd {
	_, cmd := m.pages[m.active].view.Update(msg)
	return cmd
}

func (m *Model) setSize(width, height int) {
	m.common.SetSize(width, height)
	// The help line's padding is outside the width help fills, so that
	// help, not the clip, ends a line too long with its "…".
	m.help.Width = width - m.common.Styles.Help.GetHorizontalFrameSize()
	m.palette.setSize(width, max(height-chrome, 0))
	m.inboxList.SetSize(width, max(height-chrome-inboxTop, 0))
	for _, p := range m.pages {
		p.view.SetSize(width, max(height-chrome, 0))
	}
}

// ShortHelp implements help.KeyMap: the active view's keys, then the
// global ones.
func (m *Model) ShortHelp() []key.Binding {
	km := m.common.KeyMap
	switch p := km.CommandPalette; {
	case m.paletteOpen:
		return []key.Binding{p.Up, p.Down, p.Run, p.Close}
	case m.showInbox && m.inboxList.Typing():
		return []key.Binding{km.List.FilterApply, km.List.FilterClear}
	case m.showInbox:
		return []key.Binding{km.Overlay.Up, km.List.Filter, km.Overlay.Close}
	}
	if m.capturing() {
		return m.pages[m.active].view.ShortHelp()
	}
	// The global keys by their first key alone: the line is short, and
	// full help names ctrl+p and ctrl+c too.
	return append(m.pages[m.active].view.ShortHelp(), km.NextTab, keymap.Primary(km.Palette), km.Help, keymap.Primary(km.Quit))
}

// capturing reports whether the active view is taking typed text, so global
// keys are off.
func (m *Model) capturing() bool {
	capt, ok := m.pages[m.active].view.(common.InputCapturer)
	return ok && capt.CapturesInput()
}

// View implements tea.Model.
func (m *Model) View() string {
	clock := m.common.Now().Format("15:04")
	if m.frameValid && clock == m.frameClock {
		return m.frame
	}
	m.frame, m.frameValid, m.frameClock = m.draw(clock), true, clock
	n, ok := m.pages[m.active].view.(common.Noticer)
	m.frameNotice = ok && n.Noticing()
	return m.frame
}

func (m *Model) render() string {
	w, h := m.common.Width, m.common.Height
	if w == 0 {
		return "" // no size yet: the first WindowSizeMsg is on its way
	}
	if w < minWidth || h < minHeight {
		return tooSmall(w, h)
	}
	bodyHeight := h - chrome
	var body string
	switch {
	case m.paletteOpen:
		body = m.paletteView(bodyHeight)
	case m.showHelp:
		body = m.helpView()
	case m.showInbox:
		body = m.inboxView()
	case m.state == stateLoading:
		body = m.common.Styles.App.Muted.Render("Loading the workspace…")
	case m.state == stateError:
		body = m.common.Styles.App.Error.Render("Cannot read the workspace: ") + sanitize.Line(m.err.Error()) +
			"\n\n" + m.common.Styles.App.Muted.Render("Check the database with `tandem status`, or restore it from a backup.")
	default:
		body = m.pages[m.active].view.View()
	}
	body = common.Clip(body, w, bodyHeight)
	if pad := bodyHeight - lipgloss.Height(body); pad > 0 {
		body += strings.Repeat("\n", pad)
	}
	helpLine := m.helpLine()
	if m.notice != "" {
		helpLine = common.Clip(m.common.Styles.App.Warning.Render(" "+sanitize.Line(m.notice)), w, 1)
	}
	// Every part is clipped to the width already; lipgloss.JoinVertical
	// would measure each line again only to pad it.
	return strings.Join([]string{m.tabsView(), body, helpLine, m.statusView()}, "\n")
}

// helpLine is the short help of the active view and the global keys.
func (m *Model) helpLine() string {
	bindings := m.ShortHelp()
	var key strings.Builder
	fmt.Fprint(&key, m.common.Width)
	for _, b := range bindings {
		if b.Enabled() {
			key.WriteString("\x00" + b.Help().Key + "\x00" + b.Help().Desc)
		}
	}
	return m.helpMemo.get(key.String(), func() string {
		return common.Clip(m.common.Styles.Help.Render(m.help.ShortHelpView(bindings)), m.common.Width, 1)
	})
}

func (m *Model) tabsView() string {
	return m.tabsMemo.get(fmt.Sprint(m.common.Width, m.active), m.renderTabs)
}

func (m *Model) renderTabs() string {
	s := m.common.Styles.Tabs
	tabs := make([]string, len(m.pages))
	for i, p := range m.pages {
		label := fmt.Sprintf("%d %s", i+1, p.title)
		if i == m.active {
			tabs[i] = s.Active.Render("▸" + label)
		} else {
			tabs[i] = s.Inactive.Render(label)
		}
	}
	row := common.Clip(lipgloss.JoinHorizontal(lipgloss.Top, tabs...), m.common.Width, 1)
	return s.Bar.Width(m.common.Width).Render(row)
}
