package cockpit

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/ui/common"
)

// Ensure that a terminal too small for the cockpit is told its size and
// the size needed, whole, within its columns and rows, down to 10x3; and
// that smaller terminals, down to none at all, get no more than fits.
func TestCockpit_TooSmallFits(t *testing.T) {
	m, _ := newTestCockpit(t)
	for _, size := range []struct{ w, h int }{{39, 24}, {80, 9}, {30, 8}, {20, 5}, {12, 4}, {10, 3}, {9, 3}, {5, 2}, {1, 1}, {0, 0}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			m.Update(tea.WindowSizeMsg{Width: size.w, Height: size.h})
			v := m.View()
			lines := strings.Split(v, "\n")
			if v == "" {
				lines = nil
			}
			if len(lines) > size.h {
				t.Errorf("%d lines in %d rows:\n%s", len(lines), size.h, v)
			}
			for _, l := range lines {
				if common.Width(l) > size.w {
					t.Errorf("a line of %d cells in %d columns: %q", common.Width(l), size.w, l)
				}
			}
			if size.w < 10 || size.h < 3 {
				return
			}
			flat := strings.Join(strings.Fields(v), " ")
			for _, want := range []string{fmt.Sprintf("%dx%d", size.w, size.h), fmt.Sprintf("%dx%d", minWidth, minHeight)} {
				if !strings.Contains(flat, want) {
					t.Errorf("the message lacks %q:\n%s", want, v)
				}
			}
			if strings.Contains(v, "…") {
				t.Errorf("the message is cut:\n%s", v)
			}
		})
	}
}
