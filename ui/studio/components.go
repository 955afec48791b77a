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
	"github.com/charmbracelet/lipgloss"

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
// each with its lint score, state and measured effect, and generation by
// slot for the focused brief.
type components struct {
	shown   bool
	loading bool
	list    []core.Component
	perf    map[uint64][]core.ComponentPerformance
	err     error
	cursor  int
	// form asks the counts of a generation by slot; run is one under way.
	form *slotsForm
	run  *slotsRun
	// made are the components the latest generation by slot stored,
	// marked new in the library (the cursor goes to the first once they
	// are read); combos are its combinations, shown under the library.
	made      map[uint64]uint64
	focusMade bool
	combos    *combinations
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
	if !c.focusMade {
		return
	}
	if i := slices.IndexFunc(c.list, func(comp core.Component) bool { _, ok := c.made[comp.ID]; return ok }); i >= 0 {
		c.cursor, c.focusMade = i, false
	}
}

// reload reads the library again unless a read is under way.
func (c *components) reload(m *Model) tea.Cmd {
	if c.loading {
		return nil
	}
	c.loading = true
	return componentsCmd(m.common.Ctx, m.common.Backend, m.common.Now())
}

// handleKey moves through the library, opens the form of a generation by
// slot and stops one, or leaves the library. The form takes every key but
// the one that discards it; while a run is under way the section stays.
func (c *components) handleKey(m *Model, msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case c.form != nil && key.Matches(msg, k.Discard):
		c.form = nil
		m.notice.Set(m.common.Now(), "discarded the form")
		return nil
	case c.form != nil:
		return c.updateForm(m, msg)
	case c.run != nil && key.Matches(msg, k.Stop):
		c.run.stopping = true
		c.run.cancel()
		m.notice.Set(m.common.Now(), "stopping…")
		return nil
	}
	switch {
	case key.Matches(msg, k.Components) && c.run == nil:
		c.shown = false
	case key.Matches(msg, k.GenerateSlots) && c.run == nil:
		return c.openForm(m)
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

// view draws the library, slot by slot, the cursor's row kept on screen,
// and under it a generation by slot under way or the latest one's
// combinations; or the form of a generation by slot in its place.
func (c *components) view(m *Model) string {
	st := m.common.Styles
	var b strings.Builder
	b.WriteString(st.Studio.Title.Render("Components") + st.App.Muted.Render("  effects: ▲ better · ▼ worse · ~ not significant · fixed horizon"))
	b.WriteString("\n")
	if c.form != nil {
		return b.String() + "\n" + c.form.view()
	}
	if why := lockedWhy(m.common.Identity); why != "" {
		b.WriteString(st.App.Muted.Width(max(m.common.Width, 1)).Render("generate by slot: "+why) + "\n")
	}
	if n := m.noticeView(); n != "" {
		b.WriteString(n + "\n")
	}
	b.WriteString("\n")
	bottom := c.bottomView(m)
	room := max(m.common.Height-lipgloss.Height(b.String())-len(bottom), 3)
	b.WriteString(strings.Join(append(c.libraryView(m, room), bottom...), "\n"))
	return b.String()
}

// lockedWhy says why who may not generate by slot, "" when they may.
func lockedWhy(who core.Identity) string {
	if core.Can(who.Role, core.ActionGenerate) {
		return ""
	}
	return fmt.Sprintf("%s (%s) may not %s", sanitize.Line(who.Name), who.Role, core.ActionGenerate)
}

// libraryView is the library's lines that fit in room, the cursor's row
// among them, or why there are none.
func (c *components) libraryView(m *Model, room int) []string {
	st := m.common.Styles
	width := m.common.Width
	switch {
	case c.err != nil:
		return []string{st.Studio.Error.Render("✗ " + sanitize.Line(c.err.Error()))}
	case c.list == nil && c.loading:
		return []string{st.App.Muted.Render("reading the library…")}
	case len(c.list) == 0:
		return []string{st.App.Muted.Width(max(width, 1)).Render("No components yet: press " + m.keys.GenerateSlots.Help().Key + " to generate them by slot for the focused brief, or `tandem component add`.")}
	}
	var lines []string
	at := 0
	for i, comp := range c.list {
		if i == 0 || !strings.EqualFold(c.list[i-1].Slot, comp.Slot) {
			lines = append(lines, st.Detail.Section.Render(strings.ToUpper(sanitize.Line(comp.Slot))))
		}
		eff := effect(c.perf[comp.ID])
		if variant, ok := c.made[comp.ID]; ok {
			eff = fmt.Sprintf("new, from variant %d", variant)
		}
		eff = common.Truncate(sanitize.Line(eff), 30, "…")
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
	first := min(max(at-room/2, 0), max(len(lines)-room, 0))
	return lines[first:min(len(lines), first+room)]
}

// bottomView is what shows under the library: the progress of a
// generation by slot under way, or the latest one's combinations in up to
// half the section.
func (c *components) bottomView(m *Model) []string {
	st := m.common.Styles
	width := max(m.common.Width, 1)
	switch {
	case c.run != nil:
		progress := st.Studio.Running.Width(width).Render(sanitize.Line(c.run.progress()))
		live := st.App.Muted.Render(common.Truncate(sanitize.Line(lastRunes(c.run.live.String(), width)), width, "…"))
		return append(append([]string{""}, strings.Split(progress, "\n")...), live)
	case c.combos != nil:
		room := min(len(c.combos.rows)+1, max((m.common.Height-3)/2, 4))
		return append([]string{""}, c.combos.view(m, room)...)
	}
	return nil
}
