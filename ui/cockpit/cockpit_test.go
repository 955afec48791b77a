package cockpit

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

var testNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// newTestCockpit returns a cockpit over a demo-seeded store, rendering
// without colour on a fixed clock so that its screens are repeatable.
func newTestCockpit(t *testing.T) (*Model, *store.Store) {
	t.Helper()
	st, be := commontest.Workspace(t, testNow)
	c := commontest.Common(be, commontest.Admin, testNow)
	m := New(&c, "demo.db")
	t.Cleanup(m.Close)
	return m, st
}

func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func finalView(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).View()
}

// TestCockpit_Golden renders the shell at the two sizes people use most.
func TestCockpit_Golden(t *testing.T) {
	for _, size := range []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"120x40", 120, 40}} {
		t.Run(size.name, func(t *testing.T) {
			m, _ := newTestCockpit(t)
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(size.w, size.h))
			waitFor(t, tm, "store ok")
			golden.RequireEqual(t, []byte(finalView(t, tm)))
		})
	}
}

// Ensure that a write made elsewhere shows without a key press.
func TestCockpit_LiveChange(t *testing.T) {
	m, st := newTestCockpit(t)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	waitFor(t, tm, "store ok")
	b, err := st.Brief(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	to := b.Stage.Next()
	if to == b.Stage {
		to = b.Stage.Prev()
	}
	if _, err := st.MoveBrief(context.Background(), "bo", 3, to); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tm, "bo brief move 3")
	if _, err := tm.Quit(), error(nil); err != nil {
		t.Fatal(err)
	}
}

// Ensure that the tab keys, help and quit work from the keyboard.
func TestCockpit_Keys(t *testing.T) {
	m, _ := newTestCockpit(t)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	waitFor(t, tm, "store ok")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4")})
	waitFor(t, tm, "EXPERIMENT")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	waitFor(t, tm, "Generation studio")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")})
	waitFor(t, tm, "previous tab")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc}) // closes help
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
}

// Ensure that keys arriving in one read are each handled, as over SSH or
// with key repeat: "23" goes to tab 2, then tab 3.
func TestCockpit_KeysInOneRead(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("23")})
	if m.active != 2 {
		t.Fatalf("after \"23\" in one message the active tab is %d", m.active)
	}
	// Once a text input has the focus, the rest of the read is its text.
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("1/ab")})
	if m.active != 0 || !m.capturing() {
		t.Fatalf("after \"1/ab\": tab %d, capturing %v", m.active, m.capturing())
	}
}

// Ensure that a terminal too small to lay out in gets a message, and that
// resizing back restores the cockpit.
func TestCockpit_TooSmall(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 30, Height: 8})
	if got := m.View(); !bytes.Contains([]byte(got), []byte("30x8")) {
		t.Fatalf("small view = %q", got)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if got := lipgloss.Height(m.View()); got != 24 {
		t.Fatalf("view is %d lines at 80x24", got)
	}
}

// Ensure that a wall display cycles the tabs by itself and a click on the
// tab row selects a tab.
func TestCockpit_WallAndMouse(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Update(wallMsg{})
	if m.active != 1 {
		t.Fatalf("after a wall tick the active tab is %d", m.active)
	}
	// "1 Board" and "2 Capacity" come first, each padded by one cell.
	m.Update(tea.MouseMsg{X: 2, Y: 0, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if m.active != 0 {
		t.Fatalf("a click on the first tab left tab %d active", m.active)
	}
}

// Ensure that the status bar counts the inbox of the session's person.
func TestCockpit_InboxCount(t *testing.T) {
	m, _ := newTestCockpit(t)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(140, 30))
	waitFor(t, tm, "inbox 2") // the demo's winner and SRM, for an admin
	_ = tm.Quit()
}

// Ensure that the palette finds a brief by part of its title and enter
// jumps to it on the board; recent choices come first next time.
func TestCockpit_Palette(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.applySnapshot(loadSnapshot(t, m))
	m.active = 2
	press := func(msg tea.KeyMsg) { m.Update(msg) }
	press(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(":")})
	for _, r := range "holiday promo" {
		press(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	view := m.View()
	if !strings.Contains(view, "Holiday promo") || !strings.Contains(view, "brief ·") {
		t.Fatalf("palette:\n%s", view)
	}
	golden.RequireEqual(t, []byte(view))
	press(tea.KeyMsg{Type: tea.KeyEnter})
	if m.paletteOpen || m.active != 0 {
		t.Fatalf("enter did not jump to the board (active %d)", m.active)
	}
	press(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(":")})
	if first := m.palette.items[m.palette.matches[0]].label; !strings.Contains(first, "Holiday promo") {
		t.Fatalf("the recent choice is not first: %q", first)
	}
	press(tea.KeyMsg{Type: tea.KeyEsc})
	if m.paletteOpen {
		t.Fatal("esc did not close the palette")
	}
}

func loadSnapshot(t *testing.T, m *Model) core.Snapshot {
	t.Helper()
	snap, err := m.common.Backend.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// Ensure that i shows the inbox list and any key closes it.
func TestCockpit_InboxList(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	m.applySnapshot(loadSnapshot(t, m))
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("i")})
	view := m.View()
	if !strings.Contains(view, "Inbox for ana (2)") || !strings.Contains(view, "sample-ratio mismatch") {
		t.Fatalf("inbox:\n%s", view)
	}
	golden.RequireEqual(t, []byte(view))
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("i")})
	if m.showInbox {
		t.Fatal("i did not close the inbox")
	}
}

// Ensure that a viewer's cockpit (--read-only, --wall, a viewer over SSH)
// offers no write key and answers one with a note before anything opens.
func TestCockpit_ViewerWriteKeys(t *testing.T) {
	_, be := commontest.Workspace(t, testNow)
	c := commontest.Common(be, core.Identity{Name: "vic", Role: core.RoleViewer}, testNow)
	m := New(&c, "demo.db")
	t.Cleanup(m.Close)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.applySnapshot(loadSnapshot(t, m))
	for _, tc := range []struct {
		tab, key, help, note string
	}{
		{"1", "n", "new brief", "may not edit briefs"},
		{"1", "m", "move to next stage", "may not move briefs"},
		{"2", "a", "reassign", "may not edit briefs"},
		{"3", "a", "approve", "may not decide approvals"},
		{"5", "g", "generate", "may not generate variants"},
		{"6", "n", "add a note", "may not write retro notes"},
	} {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(tc.tab)})
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")})
		if help := m.View(); strings.Contains(help, tc.help) {
			t.Errorf("tab %s offers %q to a viewer", tc.tab, tc.help)
		}
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")})
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(tc.key)})
		if view := m.View(); !strings.Contains(view, tc.note) || m.capturing() {
			t.Errorf("tab %s key %s: capturing %v, view:\n%s", tc.tab, tc.key, m.capturing(), view)
		}
	}
}

// Ensure that help is an overlay: esc and q close it (q does not quit from
// it), and switching tabs closes it.
func TestCockpit_HelpOverlay(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	for _, closeKey := range []tea.KeyMsg{{Type: tea.KeyEsc}, {Type: tea.KeyRunes, Runes: []rune("q")}, {Type: tea.KeyRunes, Runes: []rune("2")}} {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")})
		if !m.showHelp {
			t.Fatal("? did not open help")
		}
		if _, cmd := m.Update(closeKey); cmd != nil {
			if _, quit := cmd().(tea.QuitMsg); quit {
				t.Fatalf("%s quit the cockpit from help", closeKey)
			}
		}
		if m.showHelp {
			t.Fatalf("%s left help open", closeKey)
		}
	}
}

// Ensure that at 80 columns the status bar still counts late briefs and
// breached SLAs: what needs attention is the last thing it drops.
func TestCockpit_StatusBarAt80(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.applySnapshot(loadSnapshot(t, m))
	bar := m.statusView()
	for _, want := range []string{"late", "SLA", "store ok"} {
		if !strings.Contains(bar, want) {
			t.Errorf("the status bar at 80 columns lacks %q: %q", want, bar)
		}
	}
}

// Ensure that news of the latest write too long for the room left is left
// out at 80 columns rather than cut to a stub ("09:00:00 simulato…"), and
// shown where it fits.
func TestCockpit_StatusBarNews(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.applySnapshot(loadSnapshot(t, m))
	m.snap.Change = core.Change{Seq: 1, Kind: core.KindBrief, Action: "move", ID: "12", Actor: "a-simulator-with-a-long-name", Time: testNow}
	m.lastCount = 1
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if bar := m.statusView(); strings.Contains(bar, "09:00:00") {
		t.Errorf("a stub of the news at 80 columns: %q", bar)
	}
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 24})
	if bar := m.statusView(); !strings.Contains(bar, "a-simulator-with-a-long-name") {
		t.Errorf("no news at 200 columns: %q", bar)
	}
}

// Ensure that the palette saves the person's own theme.
func TestCockpit_PaletteSavesTheme(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	for _, it := range m.paletteItems() {
		if it.label == "My theme: light" {
			msg := it.run(m)()
			m.Update(msg)
		}
	}
	if !strings.Contains(m.notice, "saved your theme: light") {
		t.Fatalf("notice %q", m.notice)
	}
	got, err := m.common.Backend.PersonalSettings(context.Background(), m.common.Identity)
	if err != nil || got["theme"] != "light" {
		t.Fatalf("settings %v, %v", got, err)
	}
}

// Ensure that an admin's inbox in the cockpit says, first and marked
// urgent, that a webhook is failing, at 80x24 and without the URL's token.
func TestCockpit_InboxWebhookFailing(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	snap := loadSnapshot(t, m)
	snap.Webhooks = []core.Webhook{{ID: 1, URL: "https://hooks.slack.com/services/T0/B0/XYZ",
		Delivery: core.WebhookStatus{FailingSince: testNow, Failures: 4, LastStatus: 503, Queued: 2}}}
	m.applySnapshot(snap)
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("i")})
	view := m.View()
	if !strings.Contains(view, "Inbox for ana (3)") || !strings.Contains(view, "! webhook") || !strings.Contains(view, "webhook 1 failing since Nov 2 09:00 UTC (HTTP 503)") || strings.Contains(view, "XYZ") {
		t.Fatalf("inbox:\n%s", view)
	}
}

// Ensure that the inbox is a list like the others: / filters it while the
// overlay stays open, esc in the filter drops the filter and the next esc
// closes the inbox.
func TestCockpit_InboxFilter(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	m.applySnapshot(loadSnapshot(t, m))
	for _, k := range []string{"i", "/", "w", "i", "n", "n", "e", "r"} {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
	}
	view := m.View()
	if !regexp.MustCompile(`/winner +1 of 2`).MatchString(view) || strings.Contains(view, "Retargeting") || !strings.Contains(view, "▌· experiment Spring launch") {
		t.Fatalf("inbox filtered by winner:\n%s", view)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	if !m.showInbox || m.inboxList.Query() != "" {
		t.Fatalf("esc in the filter: inbox open %v, query %q", m.showInbox, m.inboxList.Query())
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	if m.showInbox {
		t.Fatal("esc did not close the inbox")
	}
}
