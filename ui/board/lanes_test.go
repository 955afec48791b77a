package board

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// Ensure that grouped, every group is a lane whose header runs the full
// width of the board, and that moving down through the lanes keeps the
// focused card on screen at every step.
func TestBoard_LanesKeepFocusOnScreen(t *testing.T) {
	h := newHarness(t, true, admin)
	h.press("g") // by owner: the demo has more lanes than fit
	view := h.board.View()
	var header string
	for _, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(l, "─ ") {
			header = l
			break
		}
	}
	if header == "" || len([]rune(header)) != 120 {
		t.Fatalf("no lane header across the board's 120 columns:\n%s", view)
	}
	for step := range 30 {
		h.press("down")
		b := h.focused()
		view := h.board.View()
		lines := strings.Split(view, "\n")
		if len(lines) != 36 {
			t.Fatalf("step %d: %d lines, want 36", step, len(lines))
		}
		if !strings.Contains(view, "▌ "+truncateTitle(b.Title)) {
			t.Fatalf("step %d: the focused card #%d %q is off screen:\n%s", step, b.ID, b.Title, view)
		}
	}
	if !strings.Contains(h.board.View(), " of ") {
		t.Fatalf("no lane position:\n%s", h.board.View())
	}
}

// truncateTitle is how much of a title a 120-column card surely shows.
func truncateTitle(s string) string {
	r := []rune(s)
	return string(r[:min(len(r), 10)])
}

// Ensure that a click on a card in a lane focuses it.
func TestBoard_LanesClick(t *testing.T) {
	h := newHarness(t, true, admin)
	h.press("g")
	before := h.focused()
	lines := strings.Split(h.board.View(), "\n")
	// The first card line under the first lane header, in the column of
	// the first card not focused.
	for y, l := range lines {
		if y < h.board.cardsTop() || !strings.HasPrefix(l, "─ ") || y+1 >= len(lines) {
			continue
		}
		for x, r := range []rune(lines[y+1]) {
			if x%(120/7) == 2 && r != ' ' && !strings.HasPrefix(string([]rune(lines[y+1])[x-2:]), "▌") {
				h.board.Update(tea.MouseMsg{X: x, Y: y + 1, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
				if h.focused().ID == before.ID {
					t.Fatalf("a click at %d,%d left the focus on #%d", x, y+1, before.ID)
				}
				if !strings.Contains(strings.Split(h.board.View(), "\n")[y+1], "▌") {
					t.Fatalf("the clicked card is not marked:\n%s", h.board.View())
				}
				return
			}
		}
	}
	t.Fatalf("no card under a lane header:\n%s", strings.Join(lines, "\n"))
}

// Ensure that scrolled into a lane, the board's first line under the stage
// names is that lane's header.
func TestBoard_LanesStickyHeader(t *testing.T) {
	h := newHarness(t, true, admin)
	h.press("g")
	for range 12 {
		h.press("down")
	}
	if h.board.laneTop == 0 {
		t.Skip("the demo's lanes fit without scrolling")
	}
	lines := strings.Split(h.board.View(), "\n")
	if !strings.HasPrefix(lines[h.board.cardsTop()], "─ ") {
		t.Fatalf("the first line under the stage names is not a lane header:\n%s", strings.Join(lines, "\n"))
	}
}
