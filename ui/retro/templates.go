package retro

import (
	"fmt"
	"strings"

	"github.com/tandem-ops/tandem/core/kpi"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// templatesView is reuse by template: the most used templates, how many
// briefs each served (↻ when more than one: reused), and for a brief
// template how its briefs did in the period.
func (m *Model) templatesView() string {
	st := m.common.Styles
	var b strings.Builder
	b.WriteString(st.Detail.Section.Render("Reuse by template") + "\n")
	if len(m.templates) == 0 {
		b.WriteString(st.App.Muted.Render(" no briefs, flows or experiments from templates yet") + "\n")
	}
	for _, t := range m.templates {
		mark := " "
		if t.Reused() {
			mark = "↻"
		}
		line := fmt.Sprintf("%s %s (%s): %s", mark, sanitize.Line(t.Name), t.Kind, common.Plural(t.Uses, "brief"))
		for _, k := range t.KPIs {
			line += fmt.Sprintf(" · %s %s", shortKPI(k), kpi.Format(k))
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// shortKPI names a template's KPI in few letters: the line shares the
// width with the notes.
func shortKPI(k kpi.KPI) string {
	switch k.Key {
	case "cycle_time":
		return "cycle"
	case "first_pass":
		return "first pass"
	}
	return strings.ToLower(k.Name)
}
