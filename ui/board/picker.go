package board

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/sahilm/fuzzy"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// templatesMsg carries the brief templates in use, for the picker `n`
// opens.
type templatesMsg struct {
	uses []core.TemplateUse
	err  error
}

// templateMsg carries the template picked, to open the form from.
type templateMsg struct {
	tmpl core.Template
	err  error
}

func templatesCmd(ctx context.Context, be *backend.Backend) tea.Cmd {
	return func() tea.Msg {
		uses, err := be.Templates(ctx, core.TemplateBrief)
		in := uses[:0]
		for _, u := range uses {
			if !u.Retired {
				in = append(in, u)
			}
		}
		return templatesMsg{uses: in, err: err}
	}
}

func templateCmd(ctx context.Context, be *backend.Backend, name string) tea.Cmd {
	return func() tea.Msg {
		t, err := be.Template(ctx, core.TemplateBrief, name, 0)
		return templateMsg{tmpl: t, err: err}
	}
}

// picker offers a new brief blank or from a brief template, with a fuzzy
// filter over the templates' names and how often each was used.
type picker struct {
	input   textinput.Model
	uses    []core.TemplateUse
	matches []int // indexes into uses; -1 is the blank brief
	cursor  int
}

func newPicker(uses []core.TemplateUse) *picker {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.Placeholder = "template name"
	ti.CharLimit = core.MaxNameBytes
	p := &picker{input: ti, uses: uses}
	p.input.Focus()
	p.filter()
	return p
}

type pickerSource []core.TemplateUse

func (s pickerSource) Len() int            { return len(s) }
func (s pickerSource) String(i int) string { return s[i].Name }

// filter keeps the templates matching the query, best first; the blank
// brief leads while the query is empty.
func (p *picker) filter() {
	p.matches = p.matches[:0]
	q := strings.TrimSpace(p.input.Value())
	if q == "" {
		p.matches = append(p.matches, -1)
		for i := range p.uses {
			p.matches = append(p.matches, i)
		}
	} else {
		for _, f := range fuzzy.FindFrom(q, pickerSource(p.uses)) {
			p.matches = append(p.matches, f.Index)
		}
	}
	p.cursor = min(p.cursor, max(len(p.matches)-1, 0))
}

// handleKey moves, picks or types into the filter. It returns the name of
// the template picked ("" for blank) and whether something was picked.
func (p *picker) handleKey(msg tea.KeyMsg, keys *keymap.Board) (string, bool, tea.Cmd) {
	switch {
	case key.Matches(msg, keys.PickUp):
		p.cursor = max(p.cursor-1, 0)
		return "", false, nil
	case key.Matches(msg, keys.PickDown):
		p.cursor = min(p.cursor+1, max(len(p.matches)-1, 0))
		return "", false, nil
	case key.Matches(msg, keys.Pick):
		if p.cursor >= len(p.matches) {
			return "", false, nil
		}
		if i := p.matches[p.cursor]; i >= 0 {
			return p.uses[i].Name, true, nil
		}
		return "", true, nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	common.CleanInput(&p.input)
	p.filter()
	return "", false, cmd
}

// view lists the choices that fit in height rows under a title and the
// filter, the focused one marked.
func (p *picker) view(c common.Common, keys *keymap.Board) string {
	st := c.Styles
	lines := []string{st.App.Title.Render("New brief: blank or from a template"), p.input.View(), ""}
	rows := max(c.Height-len(lines)-2, 1)
	first := max(p.cursor-rows+1, 0)
	for n, i := range p.matches[first:min(len(p.matches), first+rows)] {
		label := "Blank brief"
		meta := ""
		if i >= 0 {
			u := p.uses[i]
			label = sanitize.Line(u.Name)
			meta = fmt.Sprintf("v%d · used by %s", u.Version, common.Plural(u.Uses, "brief"))
		}
		line := "  " + label
		if first+n == p.cursor {
			line = st.App.Selected.Render("▸ " + label)
		}
		if meta != "" {
			line += "  " + st.App.Muted.Render(meta)
		}
		lines = append(lines, line)
	}
	if len(p.matches) == 0 {
		lines = append(lines, st.App.Muted.Render("  no template matches"))
	}
	lines = append(lines, "", st.App.Muted.Render(fmt.Sprintf("%s pick · %s cancel", keys.Pick.Help().Key, keys.Back.Help().Key)))
	return strings.Join(lines, "\n")
}

// templatePreview is the brief the form opens with for a template: its
// fields pre-filled, the title left for the person (the template's
// pattern is applied on save), and the template it is made from.
func templatePreview(t core.Template) core.Brief {
	b, _ := core.ApplyBriefTemplate(t, core.Brief{}) // required fields are checked on save
	b.Title = ""
	return b
}
