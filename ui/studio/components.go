package studio

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// componentsMsg carries the component library and each component's
// measured effects.
type componentsMsg struct {
	list []core.Component
	perf map[uint64][]core.ComponentPerformance
	err  error
}

// componentsCmd reads the library and the effects as of now.
func componentsCmd(ctx context.Context, be *backend.Backend, now time.Time) tea.Cmd {
	return func() tea.Msg {
		list, err := be.Components(ctx)
		if err != nil {
			return componentsMsg{err: err}
		}
		perf, err := be.ComponentPerformance(ctx, now)
		return componentsMsg{list: list, perf: perf, err: err}
	}
}

// components is the Studio's Components section: the library by slot,
// each with its lint score, state and measured effect.
type components struct {
	shown   bool
	loading bool
	list    []core.Component
	perf    map[uint64][]core.ComponentPerformance
	err     error
	cursor  int
}

// slotOrder puts the generated slots first in copy order, then the rest
// by name.
func slotOrder(slot string) string {
	switch strings.ToLower(slot) {
	case "headline":
		return "0"
	case "body":
		return "1"
	case "cta":
		return "2"
	}
	return "3" + strings.ToLower(slot)
}

// set keeps the library sorted by slot, then ID.
func (c *components) set(msg componentsMsg) {
	c.loading = false
	c.err = msg.err
	if msg.err != nil {
		return
	}
	c.list, c.perf = msg.list, msg.perf
	slices.SortStableFunc(c.list, func(a, b core.Component) int {
		if o := cmp.Compare(slotOrder(a.Slot), slotOrder(b.Slot)); o != 0 {
			return o
		}
		return cmp.Compare(a.ID, b.ID)
	})
	c.cursor = min(c.cursor, max(len(c.list)-1, 0))
}

// reload reads the library again unless a read is under way.
func (c *components) reload(m *Model) tea.Cmd {
	if c.loading {
		return nil
	}
	c.loading = true
	return componentsCmd(m.common.Ctx, m.common.Backend, m.common.Now())
}

// handleKey moves through the library, or leaves it.
func (c *components) handleKey(m *Model, msg tea.KeyMsg) tea.Cmd {
	switch k := m.keys; {
	case key.Matches(msg, k.Components):
		c.shown = false
	case key.Matches(msg, k.Up):
		c.cursor = max(c.cursor-1, 0)
	case key.Matches(msg, k.Down):
		c.cursor = min(c.cursor+1, max(len(c.list)-1, 0))
	}
	return nil
}

// effect is a component's measured effect in words: the test's, with its
// interval and whether it is called; a significant one is preferred when
// it was tested more than once.
func effect(perf []core.ComponentPerformance) string {
	if len(perf) == 0 {
		return "not tested"
	}
	p := perf[len(perf)-1]
	if i := slices.IndexFunc(perf, func(p core.ComponentPerformance) bool { return p.Effect.Significant }); i >= 0 {
		p = perf[i]
	}
	e := p.Effect
	if e.Reference {
		return "reference in " + p.Experiment
	}
	mark := "~"
	if e.Significant {
		mark = map[bool]string{true: "▲", false: "▼"}[e.Effect > 0]
	}
	return fmt.Sprintf("%s%+.1f pts [%+.1f, %+.1f] %s", mark, 100*e.Effect, 100*e.CI.Low, 100*e.CI.High, p.Experiment)
}

// view draws the library, slot by slot, the cursor's row kept on screen.
func (c *components) view(m *Model) string {
	st := m.common.Styles
	width := m.common.Width
	var b strings.Builder
	b.WriteString(st.Studio.Title.Render("Components") + st.App.Muted.Render("  effects: ▲ better · ▼ worse · ~ not significant · fixed horizon"))
	b.WriteString("\n\n")
	switch {
	case c.err != nil:
		return b.String() + st.Studio.Error.Render("✗ "+sanitize.Line(c.err.Error()))
	case c.list == nil && c.loading:
		return b.String() + st.App.Muted.Render("reading the library…")
	case len(c.list) == 0:
		return b.String() + st.App.Muted.Render("No components yet: `tandem component add` or `tandem component generate`.")
	}
	var lines []string
	at := 0
	for i, comp := range c.list {
		if i == 0 || !strings.EqualFold(c.list[i-1].Slot, comp.Slot) {
			lines = append(lines, st.Detail.Section.Render(strings.ToUpper(sanitize.Line(comp.Slot))))
		}
		eff := common.Truncate(sanitize.Line(effect(c.perf[comp.ID])), 30, "…")
		row := fmt.Sprintf("#%-4d %-8s lint %3d  %s ", comp.ID, comp.State, comp.Lint.Score, eff+strings.Repeat(" ", max(30-common.Width(eff), 0)))
		row += common.Truncate(sanitize.Line(comp.Text), max(width-common.Width(row)-1, 8), "…")
		if i == c.cursor {
			at = len(lines)
			row = st.App.Selected.Render("▌" + row)
		} else {
			row = " " + row
		}
		lines = append(lines, row)
	}
	room := max(m.common.Height-3, 3)
	first := min(max(at-room/2, 0), max(len(lines)-room, 0))
	b.WriteString(strings.Join(lines[first:min(len(lines), first+room)], "\n"))
	return b.String()
}
