package cockpit

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/sahilm/fuzzy"

	"github.com/tandem-ops/tandem/ui/board"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/common/list"
	"github.com/tandem-ops/tandem/ui/experiments"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// paletteRows is how many matches the palette shows at most.
const paletteRows = 10

// paletteItem is one thing the palette can jump to or run.
type paletteItem struct {
	label string
	hint  string // the key that does it, or the kind of entity
	// id is an entity's own name (a brief's number, an experiment's
	// key): typing it exactly ranks the entity first.
	id  string
	run func(m *Model) tea.Cmd
}

// palette is the `:` / ctrl+p command palette: fuzzy search over every tab,
// action and entity, recent choices first.
type palette struct {
	input textinput.Model
	items []paletteItem
	// matches are the items matching the query, best first; list shows
	// them, with what matched marked.
	matches []int
	list    *list.Model
	recent  []string // labels, most recent first
}

func newPalette(c *common.Common) *palette {
	ti := textinput.New()
	ti.Prompt = ": "
	ti.Placeholder = "jump to a tab, brief, experiment or person, or run an action"
	km := &c.KeyMap.CommandPalette
	l := list.New(list.Keys{Up: &km.Up, Down: &km.Down}, c.Styles)
	l.SetEmpty("no match")
	return &palette{input: ti, list: l}
}

// items lists what the palette offers: tabs and every action of the key
// registry, then the workspace's briefs, experiments and people.
func (m *Model) paletteItems() []paletteItem {
	var items []paletteItem
	for i, p := range m.pages {
		items = append(items, paletteItem{label: "Go to " + p.title, hint: m.tabKey(i), run: func(m *Model) tea.Cmd { return m.switchTo(i) }})
	}
	items = append(items, m.actionItems()...)
	for _, theme := range []string{"dark", "light", "high-contrast"} {
		items = append(items, paletteItem{label: "My theme: " + theme, hint: "your settings", run: func(m *Model) tea.Cmd { return m.savePersonalCmd("theme", theme) }})
	}
	for _, b := range m.snap.Briefs {
		items = append(items, paletteItem{label: fmt.Sprintf("#%d %s", b.ID, sanitize.Line(b.Title)), hint: "brief · " + b.Stage.String(), id: fmt.Sprint(b.ID),
			run: func(m *Model) tea.Cmd { return m.showOn("board", board.FocusMsg{ID: b.ID}) }})
	}
	for _, e := range m.snap.Experiments {
		items = append(items, paletteItem{label: sanitize.Line(e.Name) + " (" + e.Key + ")", hint: "experiment", id: e.Key,
			run: func(m *Model) tea.Cmd { return m.showOn("experiments", experiments.OpenMsg{Key: e.Key}) }})
	}
	for _, p := range m.snap.People {
		items = append(items, paletteItem{label: sanitize.Line(p.Name), hint: "person · " + string(p.Lane),
			run: func(m *Model) tea.Cmd { return m.showOn("capacity", nil) }})
	}
	return items
}

// showOn switches to the tab whose key group is name and hands it msg (nil
// for none): tabs are found by name, not by where they sit in the row.
func (m *Model) showOn(name string, msg tea.Msg) tea.Cmd {
	for i, p := range m.pages {
		if p.keys != name {
			continue
		}
		shown := m.switchTo(i)
		if msg == nil {
			return shown
		}
		_, cmd := p.view.Update(msg)
		return tea.Batch(shown, cmd)
	}
	return nil
}

func (m *Model) openPalette() tea.Cmd {
	m.palette.items = m.paletteItems()
	m.palette.input.SetValue("")
	m.palette.filter()
	m.paletteOpen = true
	return m.palette.input.Focus()
}

// filter matches the query, recent choices first when the query is empty.
func (p *palette) filter() {
	p.matches = p.matches[:0]
	var rows []list.Row
	q := strings.TrimSpace(p.input.Value())
	if q == "" {
		seen := map[int]bool{}
		for _, r := range p.recent {
			for i, it := range p.items {
				if it.label == r && !seen[i] {
					p.matches, seen[i] = append(p.matches, i), true
				}
			}
		}
		for i := range p.items {
			if !seen[i] {
				p.matches = append(p.matches, i)
			}
		}
	} else {
		// An exact id ("#1" or "1" for brief #1) goes before the fuzzy
		// matches, which would rank #18 or #12 as high.
		id := strings.TrimPrefix(q, "#")
		exact := map[int]bool{}
		for i, it := range p.items {
			if it.id != "" && strings.EqualFold(it.id, id) {
				p.matches, exact[i] = append(p.matches, i), true
			}
		}
		for _, i := range p.matches {
			rows = append(rows, list.Row{Item: i})
		}
		for _, f := range fuzzy.FindFrom(q, paletteSource(p.items)) {
			if !exact[f.Index] {
				p.matches = append(p.matches, f.Index)
				rows = append(rows, list.Row{Item: f.Index, Matched: f.MatchedIndexes})
			}
		}
		p.list.SetMatches(rows)
		return
	}
	for _, i := range p.matches {
		rows = append(rows, list.Row{Item: i})
	}
	p.list.SetMatches(rows)
}

type paletteSource []paletteItem

func (s paletteSource) Len() int            { return len(s) }
func (s paletteSource) String(i int) string { return s[i].label + " " + s[i].hint }

func (m *Model) handlePaletteKey(msg tea.KeyMsg) tea.Cmd {
	p, km := m.palette, &m.common.KeyMap.CommandPalette
	switch {
	case key.Matches(msg, km.Close):
		m.paletteOpen = false
		return nil
	case key.Matches(msg, km.Run):
		m.paletteOpen = false
		i, ok := p.list.Index()
		if !ok {
			return nil
		}
		it := p.items[i]
		p.recent = append([]string{it.label}, removeString(p.recent, it.label)...)
		if len(p.recent) > 8 {
			p.recent = p.recent[:8]
		}
		return it.run(m)
	}
	if moved, _ := p.list.Update(msg); moved {
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	common.CleanInput(&p.input)
	p.filter()
	return cmd
}

func removeString(list []string, s string) []string {
	out := list[:0:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// setSize gives the palette's matches the lines under its query line and
// a blank, paletteRows and a position line at most.
func (p *palette) setSize(width, bodyHeight int) {
	p.list.SetSize(width, min(paletteRows+1, max(bodyHeight-2, 1)))
}

// paletteView is the query and up to paletteRows matches, with where they
// are among the rest.
func (m *Model) paletteView(height int) string {
	st := m.common.Styles
	p := m.palette
	rows := p.list.View(func(r list.Row, _ bool) string {
		it := p.items[r.Item]
		return p.list.Mark(r, fmt.Sprintf("%-60s", it.label)) + " " + st.App.Muted.Render(it.hint)
	})
	return common.Clip(p.input.View()+"\n\n"+rows, m.common.Width, height)
}

// personalSavedMsg reports a personal setting saved from the palette.
type personalSavedMsg struct {
	key, value string
	err        error
}

// savePersonalCmd saves one of the session's person's own settings (`tandem
// me set`); it shapes the cockpit they open next, here or over SSH.
func (m *Model) savePersonalCmd(key, value string) tea.Cmd {
	ctx, be, who := m.common.Ctx, m.common.Backend, m.common.Identity
	return func() tea.Msg {
		_, err := be.SetPersonalSetting(ctx, who, key, value)
		return personalSavedMsg{key: key, value: value, err: err}
	}
}
