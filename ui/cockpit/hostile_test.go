package cockpit

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/ui/common/commontest"
	"github.com/tandem-ops/tandem/ui/sanitize/sanitizetest"
)

// settle runs cmd and feeds what it returns back to m, a few rounds deep,
// as a program would; a command that does not answer within a moment (a
// wait for the next change, a tick) is left behind.
func settle(m *Model, cmd tea.Cmd, depth int) {
	if cmd == nil || depth == 0 {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(200 * time.Millisecond):
		return
	}
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			settle(m, c, depth)
		}
		return
	}
	if msg != nil {
		_, next := m.Update(msg)
		settle(m, next, depth-1)
	}
}

// Ensure that no screen of the cockpit prints a hostile string raw: with
// hostile text in every field of the workspace, in the session's name and
// in the latest change, every tab, its detail and the overlays (inbox,
// palette, help) hold no escape sequence, control character but newline,
// DEL, C1, bidi control or invisible character, at 120x40 and 80x24. The
// styles have no colour, so any ESC in a frame was injected.
func TestCockpit_Hostile(t *testing.T) {
	be := commontest.HostileWorkspace(t, testNow)
	who := commontest.HostileActor()
	keys := map[string][]string{
		"tab":         nil,
		"moved":       {"down", "right", "down"},
		"detail":      {"enter"},
		"detail down": {"down", "enter", "down", "down"},
		"picks":       {"]", "]", "x"},
		"help":        {"?"},
		"grouped":     {"g"},
		"grouped 2":   {"g", "g"},
		"grouped 3":   {"g", "g", "g"},
		"edit":        {"e"},
		"edit more":   {"e", "tab", "tab", "tab", "tab", "tab", "tab"},
		"period":      {"p", "c"},
	}
	for _, size := range []struct{ w, h int }{{120, 40}, {80, 24}} {
		for page := range 6 {
			for name, seq := range keys {
				t.Run(fmt.Sprintf("%dx%d/tab %d/%s", size.w, size.h, page+1, name), func(t *testing.T) {
					c := commontest.Common(be, who, testNow)
					m := New(&c, sanitizetest.Corpus()[3])
					t.Cleanup(m.Close)
					m.Update(tea.WindowSizeMsg{Width: size.w, Height: size.h})
					settle(m, m.applyChanged(changedMsg{snap: commontest.Snapshot(t, be), count: 1}), 3)
					settle(m, m.switchTo(page), 3)
					for _, k := range seq {
						_, cmd := m.Update(keyMsg(k))
						settle(m, cmd, 3)
					}
					frame := m.render()
					if why := sanitizetest.Check(frame, true); why != "" {
						t.Fatalf("%s\n%s", why, frame)
					}
					if name == "tab" && !strings.Contains(frame, "ok") {
						t.Errorf("no hostile text on the screen at all:\n%s", frame)
					}
				})
			}
		}
		for _, overlay := range [][]string{{"i"}, {":", "o", "k"}, {":", "1"}} {
			t.Run(fmt.Sprintf("%dx%d/%s", size.w, size.h, strings.Join(overlay, "")), func(t *testing.T) {
				c := commontest.Common(be, who, testNow)
				m := New(&c, "hostile.db")
				t.Cleanup(m.Close)
				m.Update(tea.WindowSizeMsg{Width: size.w, Height: size.h})
				m.applySnapshot(commontest.Snapshot(t, be))
				for _, k := range overlay {
					m.Update(keyMsg(k))
				}
				frame := m.render()
				if why := sanitizetest.Check(frame, true); why != "" {
					t.Fatalf("%s\n%s", why, frame)
				}
				if !strings.Contains(frame, "ok") {
					t.Errorf("no hostile text in the overlay:\n%s", frame)
				}
			})
		}
	}
}

// keyMsg is the key press named k: a special key's name or runes.
func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}
