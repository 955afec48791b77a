package cockpit

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// helpGap is the space between help columns.
const helpGap = "   "

// helpView is the help overlay: the active tab's keys, then every tab's,
// each under its title, their columns wrapped to the width so no key is
// cut off at 80 columns.
func (m *Model) helpView() string {
	global := m.globalHelp()
	sections := []string{
		m.helpSection(m.pages[m.active].title, m.pages[m.active].view.FullHelp()),
		m.helpSection("Every tab", [][]key.Binding{global[:min(len(global), 5)], global[min(len(global), 5):]}),
	}
	return strings.Join(sections, "\n\n")
}

// helpSection renders columns under a title, as many side by side as the
// width holds.
func (m *Model) helpSection(title string, cols [][]key.Binding) string {
	lines := []string{m.common.Styles.App.Muted.Render(title)}
	var row []string
	rowWidth := 0
	flush := func() {
		if len(row) > 0 {
			lines = append(lines, lipgloss.JoinHorizontal(lipgloss.Top, row...))
		}
		row, rowWidth = nil, 0
	}
	for _, col := range cols {
		if len(col) == 0 {
			continue
		}
		block := m.help.FullHelpView([][]key.Binding{col})
		if block == "" {
			continue // every key of the column is off for this person
		}
		w := lipgloss.Width(block)
		if len(row) > 0 && rowWidth+len(helpGap)+w > m.common.Width {
			flush()
		}
		if len(row) > 0 {
			block = lipgloss.JoinHorizontal(lipgloss.Top, helpGap, block)
			w += len(helpGap)
		}
		row, rowWidth = append(row, block), rowWidth+w
	}
	flush()
	return strings.Join(lines, "\n")
}

// globalHelp is every global key help shows, then how to close it.
func (m *Model) globalHelp() []key.Binding {
	km := m.common.KeyMap
	var global []key.Binding
	for _, col := range km.FullHelp("global") {
		global = append(global, col...)
	}
	return append(global, km.Overlay.Close)
}
