package cockpit

import (
	"io"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common/commontest"
	"github.com/tandem-ops/tandem/ui/styles"
)

// benchCockpit is a cockpit on the demo at 120x40 in 256 colours, as an
// SSH session draws it, with its backend.
func benchCockpit(b *testing.B) (*Model, *backend.Backend) {
	_, be := commontest.Workspace(b, testNow)
	c := commontest.Common(be, commontest.Admin, testNow)
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	c.Styles = styles.New(r, styles.Dark())
	m := New(&c, "demo.db")
	b.Cleanup(m.Close)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	return m, be
}

// BenchmarkCockpitView renders the demo's board screen at 120x40 in 256
// colours, as an SSH session does on every change: with a hundred sessions
// this is most of the time a change takes to reach them all.
func BenchmarkCockpitView(b *testing.B) {
	m, be := benchCockpit(b)
	m.applySnapshot(commontest.Snapshot(b, be))
	b.ReportAllocs()
	for b.Loop() {
		_ = m.render() // View would return the frame it drew last
	}
}

// BenchmarkCockpitView_Tabs renders a frame of each tab of the demo at
// 120x40 in 256 colours (issue #20: ≤ 1 ms a frame). The Approvals tab shows
// the team's queue, the longest; every tab has read what it loads after a
// snapshot.
func BenchmarkCockpitView_Tabs(b *testing.B) {
	m, be := benchCockpit(b)
	settle(m, m.applySnapshot(commontest.Snapshot(b, be)), 3) // the Retro's KPIs, the Studio's ledger
	for i, p := range m.pages {
		m.switchTo(i)
		if p.keys == "approvals" {
			m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("t")})
		}
		b.Run(p.title, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = m.render()
			}
		})
	}
}
