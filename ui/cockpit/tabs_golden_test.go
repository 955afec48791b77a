package cockpit

import (
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestCockpit_TabsGolden renders every tab at the three sizes people use,
// without colour (the test renderer has none), so a change to any tab's
// layout, and any state shown only by colour, shows as a diff.
func TestCockpit_TabsGolden(t *testing.T) {
	tabs := []struct{ key, name, ready string }{
		{"", "board", ""}, // the first tab: shown once the store is read
		{"2", "capacity", "skill shortfall"},
		{"3", "approvals", "queue ("},
		{"4", "experiments", "Spring launch"},
		{"5", "studio", "What works"}, // once the recipe ledger is read
		{"6", "retro", "Cycle time"},
	}
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}, {200, 50}} {
		for _, tab := range tabs {
			t.Run(fmt.Sprintf("%s_%dx%d", tab.name, size.w, size.h), func(t *testing.T) {
				m, _ := newTestCockpit(t)
				tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(size.w, size.h))
				waitFor(t, tm, "store ok")
				if tab.key != "" {
					tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(tab.key)})
					waitFor(t, tm, tab.ready)
				}
				golden.RequireEqual(t, []byte(finalView(t, tm)))
			})
		}
	}
}
