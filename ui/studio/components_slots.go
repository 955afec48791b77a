package studio

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
)

// formTop is the lines above the form: the section's title and a blank.
const formTop = 2

// openForm opens the form of a generation by slot for the focused brief,
// or says why it cannot.
func (c *components) openForm(m *Model) tea.Cmd {
	now := m.common.Now()
	br, ok := m.brief()
	switch {
	case lockedWhy(m.common.Identity) != "":
		m.notice.Set(now, "read-only: "+lockedWhy(m.common.Identity))
		return nil
	case m.running():
		m.notice.Set(now, "variants are being generated: wait for them, or stop them (c, then esc), and generate by slot then")
		return nil
	case !ok:
		m.notice.Set(now, "no brief to write for: generation by slot writes for the brief focused under Briefs (c goes back to them)")
		return nil
	}
	fc := m.common
	fc.SetSize(m.common.Width, m.common.Height-formTop)
	c.form = newSlotsForm(fc, br)
	return c.form.init()
}

// updateForm passes msg to the open form; once it is submitted with
// counts the studio can generate, the run starts.
func (c *components) updateForm(m *Model, msg tea.Msg) tea.Cmd {
	counts, cmd := c.form.update(msg)
	if counts == nil {
		return cmd
	}
	br := c.form.brief
	c.form = nil
	req := backend.ComponentsRequest{
		GenerateRequest: backend.GenerateRequest{BriefID: br.ID, Model: m.model, Seed: int(time.Now().Unix() % 100000), Now: m.common.Now()},
		Slots:           counts,
	}
	r, wait, err := startSlots(m.common.Ctx, m.common.Backend, m.common.Identity, br, req)
	if err != nil {
		m.notice.Set(m.common.Now(), slotsProblem(err))
		return nil
	}
	c.run = r
	m.notice.Set(m.common.Now(), "")
	return wait
}

// handleSlots takes an event of the run under way; once it is done it
// says what the run made, marks its components new, shows its
// combinations and reads the library again.
func (c *components) handleSlots(m *Model, ev slotsEvent) tea.Cmd {
	r := c.run
	if r == nil {
		return nil
	}
	if r.take(ev) {
		return r.wait()
	}
	c.run = nil
	made := map[uint64]uint64{}
	for _, s := range ev.got.Slots {
		for _, comp := range s.Components {
			made[comp.ID] = comp.Generated
		}
	}
	if len(made) > 0 {
		combos := combinationsOf(ev.got)
		c.made, c.focusMade, c.combos = made, true, &combos
	}
	now := m.common.Now()
	switch {
	case r.stopping:
		m.notice.Set(now, fmt.Sprintf("stopped generating by slot; %s kept", common.Plural(len(made), "component")))
	case ev.err != nil && len(made) > 0:
		m.notice.Set(now, madeNotice(ev.got)+"; then "+slotsProblem(ev.err))
	case ev.err != nil:
		m.notice.Set(now, slotsProblem(ev.err))
	default:
		m.notice.Set(now, madeNotice(ev.got))
	}
	return c.reload(m)
}
