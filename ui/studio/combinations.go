package studio

import (
	"fmt"
	"strings"

	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// combination is one row of a generation by slot's combinations: its
// components, lint score and the rules it breaks, in words.
type combination struct {
	text   string
	breaks bool
}

// combinations is the outcome of the latest generation by slot, shown
// under the library: its brief, and its combinations those that break a
// rule first, each marked ✗ with the rules as the CLI lists them.
type combinations struct {
	briefID  uint64
	channel  string
	rows     []combination
	breaking int
}

func combinationsOf(got backend.GeneratedComponents) combinations {
	out := combinations{briefID: got.BriefID, channel: got.Channel}
	var fine []combination
	for _, a := range got.Combinations {
		ids := make([]string, len(got.Slots))
		for j, s := range got.Slots {
			ids[j] = fmt.Sprintf("#%d", a.Components[s.Slot])
		}
		row := fmt.Sprintf("%-16s lint %3d  ", strings.Join(ids, "·"), a.Lint.Score)
		if len(a.Breaks) == 0 {
			fine = append(fine, combination{text: "  " + row + "ok"})
			continue
		}
		rules := make([]string, len(a.Breaks))
		for k, f := range a.Breaks {
			rules[k] = f.Rule + ": " + f.Message
		}
		out.rows = append(out.rows, combination{text: "✗ " + row + sanitize.Line(strings.Join(rules, "; ")), breaks: true})
		out.breaking++
	}
	out.rows = append(out.rows, fine...)
	return out
}

// view is the heading and as many rows as fit in room lines, the last
// saying how many more there are when they do not all fit.
func (c combinations) view(m *Model, room int) []string {
	st := m.common.Styles
	head := fmt.Sprintf("COMBINATIONS FOR #%d (%s): %d OF %d BREAK A RULE", c.briefID, sanitize.Line(channelOr(c.channel)), c.breaking, len(c.rows))
	lines := []string{st.Detail.Section.Render(common.Truncate(head, max(m.common.Width, 1), "…"))}
	shown := c.rows
	if len(shown) > room-1 {
		shown = shown[:max(room-2, 0)]
	}
	for _, r := range shown {
		text := " " + common.Truncate(r.text, max(m.common.Width-1, 8), "…")
		if r.breaks {
			text = st.Studio.Finding.Render(text)
		}
		lines = append(lines, text)
	}
	if rest := c.rows[len(shown):]; len(rest) > 0 {
		breaking := 0
		for _, r := range rest {
			if r.breaks {
				breaking++
			}
		}
		lines = append(lines, st.App.Muted.Render(fmt.Sprintf("  … %d more, %d breaking a rule", len(rest), breaking)))
	}
	return lines
}
