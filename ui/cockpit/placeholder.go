package cockpit

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/ui/common"
)

// placeholder stands in for a view that is not built yet, saying what the
// view will do.
type placeholder struct {
	common common.Common
	title  string
	about  []string
}

func newPlaceholder(c common.Common, title string, about []string) *placeholder {
	return &placeholder{common: c, title: title, about: about}
}

// Init implements tea.Model.
func (p *placeholder) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (p *placeholder) Update(tea.Msg) (tea.Model, tea.Cmd) { return p, nil }

// SetSize implements common.Component.
func (p *placeholder) SetSize(width, height int) { p.common.SetSize(width, height) }

// ShortHelp implements help.KeyMap: a placeholder has no keys of its own.
func (p *placeholder) ShortHelp() []key.Binding { return nil }

// FullHelp implements help.KeyMap.
func (p *placeholder) FullHelp() [][]key.Binding { return nil }

// View implements tea.Model.
func (p *placeholder) View() string {
	s := p.common.Styles.Placeholder
	var b strings.Builder
	b.WriteString(s.Title.Render(p.title))
	b.WriteString("\n\n")
	b.WriteString(s.Text.Render(strings.Join(p.about, "\n")))
	box := s.Box.Width(max(p.common.Width-2, 20)).Render(b.String())
	return common.Clip(box, p.common.Width, p.common.Height)
}
