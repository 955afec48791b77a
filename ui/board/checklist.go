package board

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// checklistMsg reports a move into review the store held because
// required checklist items are unticked: the board asks for a reason to
// skip them, as it asks at a WIP limit.
type checklistMsg struct {
	brief core.Brief
	to    core.Stage
	// opts are what the move was asked with (confirmed past the WIP
	// limit, made from a version).
	opts  core.MoveOptions
	items []string
	// run says the hold stopped brief's run of its recipe, which resumes
	// with the reason instead of a plain move.
	run bool
}

// pendingSkip is a move into review waiting for the reason its unticked
// checklist items are skipped.
type pendingSkip struct {
	checklistMsg
	reason textinput.Model
}

// askSkip opens the prompt for a held move's reason.
func (m *Model) askSkip(msg checklistMsg) tea.Cmd {
	ti := textinput.New()
	ti.Prompt = "reason: "
	ti.Placeholder = "why it goes to review without them"
	ti.CharLimit = 200
	ti.Width = skipInputWidth
	m.skip = &pendingSkip{checklistMsg: msg, reason: ti}
	return m.skip.reason.Focus()
}

// handleSkipKey types the reason; enter moves with it (the same audited
// skip as `--skip-checklist`), esc keeps the brief where it is.
func (m *Model) handleSkipKey(msg tea.KeyMsg) tea.Cmd {
	p := m.skip
	switch {
	case key.Matches(msg, m.keys.Back):
		m.skip = nil
		m.setNotice(false, "kept #%d in %s", p.brief.ID, p.brief.Stage)
		return nil
	case key.Matches(msg, m.keys.FilterApply):
		reason := strings.TrimSpace(p.reason.Value())
		if reason == "" {
			return nil // a skip needs its reason
		}
		m.skip = nil
		opts := p.opts
		opts.SkipChecklist = reason
		if p.run {
			return m.startRunWith(p.brief, opts)
		}
		return moveCmd(m.common.Ctx, m.common.Backend, m.common.Identity, p.brief, p.to, opts)
	}
	var cmd tea.Cmd
	p.reason, cmd = p.reason.Update(msg)
	common.CleanInput(&p.reason)
	return cmd
}

// skipInputWidth is the width of the reason typed after the question.
const skipInputWidth = 20

// skipPrompt is the question, in the lines it takes, then the reason typed:
// beside the question's last line when there is room, else on a line of
// its own, else the question gives up the end of its last line for it.
// The help line says which keys move or keep the brief.
func (m *Model) skipPrompt(width int) []string {
	p := m.skip
	q := fmt.Sprintf("⚠ #%d has unticked required items: %s. Skip them?", p.brief.ID, strings.Join(p.items, ", "))
	input := p.reason.View()
	lines := common.Wrap(sanitize.Line(q), width, maxPromptLines)
	out := make([]string, len(lines), len(lines)+1)
	for i, l := range lines {
		out[i] = m.ink.prompt.Paint(l)
	}
	last, room := len(lines)-1, width-common.Width(input)-1
	switch {
	case common.Width(lines[last]) <= room:
		out[last] += " " + input
	case len(lines) < maxPromptLines:
		out = append(out, input)
	default:
		out[last] = m.ink.prompt.Paint(common.Truncate(lines[last], max(room, 1), "…")) + " " + input
	}
	return out
}

// skipHelp is the skip prompt's keys, from the registry, saying what
// they do here.
func (m *Model) skipHelp() []key.Binding {
	return []key.Binding{relabel(m.keys.FilterApply, "skip and move"), relabel(m.keys.Back, "keep it")}
}

// relabel is b with desc as its help: a registry key doing its job in a
// prompt that names it otherwise.
func relabel(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}

// heldMsg is the question a held move asks, nil when err holds nothing.
func heldMsg(b core.Brief, to core.Stage, opts core.MoveOptions, err error) tea.Msg {
	var wip *core.WIPError
	var list *core.ChecklistError
	switch {
	case errors.As(err, &wip):
		return wipMsg{brief: b, to: to, opts: opts, err: err}
	case errors.As(err, &list):
		return checklistMsg{brief: b, to: to, opts: opts, items: list.Items}
	}
	return nil
}
