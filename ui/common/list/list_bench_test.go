package list

import (
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// BenchmarkList_FilterKeystroke is one keystroke in the `/` box over
// 10,000 briefs: the filter runs again over every value and a frame is
// drawn. Target: ≤ 5 ms per keystroke (issue #20).
func BenchmarkList_FilterKeystroke(b *testing.B) {
	m := newList(b, 0, 120, 30)
	values := make([]string, 10_000)
	channels := []string{"email", "paid social", "landing page", "push", "display"}
	for i := range values {
		values[i] = fmt.Sprintf("#%d Spring launch %s variant %d · %s", i+1, channels[i%len(channels)], i%7, channels[(i+2)%len(channels)])
	}
	m.SetItems(values)
	press(m, "/", "s", "p", "r")
	render := func(r Row, _ bool) string { return m.Mark(r, values[r.Item]) }
	keys := []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune("e")}, {Type: tea.KeyBackspace}}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		m.Update(keys[n%2])
		_ = m.View(render)
		n++
	}
	b.ReportMetric(float64(m.Len()), "rows_matched")
}
