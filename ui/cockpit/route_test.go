package cockpit

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// pageMessage runs cmd (a batch or one command) until it yields a
// message that the page titled title declares unexported, and returns it.
func pageMessage(t *testing.T, m *Model, cmd tea.Cmd, title string) (tea.Msg, int) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	deadline := time.Now().Add(10 * time.Second)
	for len(queue) > 0 && time.Now().Before(deadline) {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if batch, ok := msg.(tea.BatchMsg); ok {
			queue = append(queue, batch...)
			continue
		}
		if owner := ownerOf(m.pages, msg); owner >= 0 && m.pages[owner].title == title {
			return msg, owner
		}
	}
	t.Fatal("no page reported back")
	return nil, -1
}

// Ensure that a page's own message (the Retro tab's KPIs arriving after a
// snapshot) reaches that page alone and redraws the frame only while that
// page is showing: a session on the Board does not draw twice per write.
// A hidden page is not given snapshots at all, and takes the latest when
// it shows.
func TestCockpit_PageMessageRedrawsOnlyItsPage(t *testing.T) {
	m, _ := newTestCockpit(t)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.applySnapshot(loadSnapshot(t, m))
	const retro = 5
	if m.pages[retro].title != "Retro" || !m.behind[retro] || m.behind[0] {
		t.Fatalf("after a snapshot on the Board, behind = %v; want every page but the Board's", m.behind)
	}
	retroBefore := m.pages[retro].view.View()
	msg, owner := pageMessage(t, m, m.switchTo(retro), "Retro")
	if m.behind[retro] {
		t.Fatal("the Retro tab showed without the latest snapshot")
	}

	m.switchTo(0)
	board := m.View()
	m.Update(msg)
	if !m.frameValid || m.View() != board {
		t.Fatal("the Retro tab's message redrew the Board")
	}
	if m.pages[owner].view.View() == retroBefore {
		t.Fatal("the Retro tab did not take its KPIs while hidden")
	}

	m.switchTo(owner)
	m.View()
	m.Update(msg)
	if m.frameValid {
		t.Fatal("the Retro tab's own message did not redraw it while it shows")
	}
}
