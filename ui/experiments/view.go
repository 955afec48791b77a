package experiments

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/common/list"
	"github.com/tandem-ops/tandem/ui/experiments/format"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// The detail's layout by width: from wideDetail it shows every column;
// below it drops the converting units and the rate's interval, and below
// narrowDetail also the units, the risk and the sparkline, so that the
// verdict, lift, p and chances stay on an 80-column screen. Below
// tallExplain rows the explanation replaces the table.
const (
	wideDetail   = 140
	narrowDetail = 100
	tallExplain  = 30
)

// View implements tea.Model.
func (m *Model) View() string {
	if m.open != "" {
		return common.Clip(m.detailView(), m.common.Width, m.common.Height)
	}
	st := m.common.Styles
	body := m.list.View(func(r list.Row, _ bool) string { return m.list.Mark(r, m.rows[r.Item+1]) })
	if len(m.analyses) == 0 {
		return common.Clip(body, m.common.Width, m.common.Height)
	}
	return common.Clip(" "+st.Experiments.Header.Render(m.rows[0])+"\n"+body, m.common.Width, m.common.Height)
}

// listRows lays out the list: a header, then a row per experiment, columns
// padded to their widest cell, the names cut so a row fits in width (less
// the gutter). A row is also what the filter matches.
func listRows(analyses []core.Analysis, width int) []string {
	rows := [][]string{{"STATUS", "EXPERIMENT", "ARMS", "UNITS", "LEADER", "LIFT"}}
	for _, a := range analyses {
		var units uint64
		for _, arm := range a.Arms {
			units += arm.Totals.Exposures
		}
		lift := ""
		for _, arm := range a.Arms {
			if arm.Variant.Key == a.Leader && !arm.Variant.Control && arm.Lift != nil {
				lift = fmt.Sprintf("%+.1f%%", 100*arm.Lift.Estimate)
			}
		}
		if a.Leader != "" && a.Leader == a.Arms[0].Variant.Key {
			lift = "control" // no treatment beats it
		}
		rows = append(rows, []string{format.Status(a), sanitize.Line(a.Experiment.Name) + " (" + a.Experiment.Key + ")",
			fmt.Sprint(len(a.Arms)), fmt.Sprint(units), a.Leader, lift})
	}
	// The name gives way first: status, leader and lift are what the list
	// is read for.
	const name = 1
	others := 2 * (len(rows[0]) - 1) // the gaps
	for col := range rows[0] {
		if col != name {
			others += columnWidth(rows, col)
		}
	}
	if room := max(width-1-others, 12); columnWidth(rows, name) > room {
		for _, r := range rows[1:] {
			r[name] = common.Truncate(r[name], room, "…")
		}
	}
	return layoutTable(rows)
}

// columnWidth is the widest cell of column col.
func columnWidth(rows [][]string, col int) int {
	w := 0
	for _, r := range rows {
		w = max(w, len([]rune(r[col])))
	}
	return w
}

func (m *Model) detailView() string {
	st := m.common.Styles
	a := m.current()
	if a.Experiment.Key == "" {
		return st.App.Muted.Render("This experiment is gone. esc to go back.")
	}
	e := a.Experiment
	var b strings.Builder
	b.WriteString(st.Detail.Title.Render(sanitize.Line(e.Name)+" ("+e.Key+")") + "  " + format.Status(a) + "\n")
	b.WriteString(st.App.Muted.Width(m.common.Width).Render(m.infoLine(a)) + "\n\n")

	lo, hi := 1.0, 0.0
	for _, r := range m.rates {
		for _, v := range r {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if m.explain && m.common.Height < tallExplain {
		b.WriteString(st.Placeholder.Box.Width(max(m.common.Width-2, 20)).Render(explain(a, a.Arms[m.arm])))
		return b.String()
	}
	b.WriteString(m.armTable(a, lo, hi) + "\n\n")
	if rows := format.MetricRows(a); rows != nil {
		lines := layoutTable(rows)
		lines[0] = st.Experiments.Header.Render(lines[0])
		b.WriteString(strings.Join(lines, "\n") + "\n\n")
	}
	if bd := m.breakdown; bd != nil {
		b.WriteString(st.App.Muted.Width(m.common.Width).Render("by "+bd.Attr+": "+bd.Note) + "\n")
		rows := format.SegmentRows(a, *bd)
		for _, r := range rows[1:] {
			r[0] = sanitize.Line(r[0])
		}
		lines := layoutTable(rows)
		lines[0] = st.Experiments.Header.Render(lines[0])
		b.WriteString(strings.Join(lines, "\n") + "\n\n")
	}
	switch {
	case m.confirm:
		b.WriteString(st.Experiments.Question.Render(fmt.Sprintf("Declare %s the winner of %s? This is recorded and cannot be undone. y/n", a.Arms[m.arm].Variant.Key, e.Key)))
	case m.explain:
		b.WriteString(st.Placeholder.Box.Width(max(m.common.Width-2, 20)).Render(explain(a, a.Arms[m.arm])))
	case m.notice.Text(m.common.Now()) != "":
		b.WriteString(m.notice.View(st.App.Muted, m.common.Width, m.common.Now()))
	default:
		b.WriteString(st.App.Muted.Width(m.common.Width).Render(statusReason(a)))
	}
	return b.String()
}

// armTable is one row per arm, with as many columns as the width allows.
func (m *Model) armTable(a core.Analysis, lo, hi float64) string {
	st := m.common.Styles
	w := m.common.Width
	header := []string{"VARIANT", "VERDICT", "UNITS", "RATE", format.LiftHeader(a), format.PHeader(a), "BEAT", "RISK", "BEST", "CUMULATIVE RATE"}
	switch {
	case w >= wideDetail:
		header = slices.Insert(header, 3, "CONV")
		header[4] = "RATE [95% CI]"
	case w < narrowDetail:
		header = []string{"VARIANT", "VERDICT", "RATE", format.LiftHeader(a), format.PHeader(a), "BEAT", "BEST"}
	}
	rows := [][]string{header}
	for _, arm := range a.Arms {
		name := arm.Variant.Key
		if arm.Variant.Key == a.Experiment.Winner {
			name = "★ " + name
		}
		beat, risk, p := format.Beat(arm), format.Risk(arm), format.P(arm)
		if arm.Variant.Control {
			beat, risk, p = "", "", ""
		}
		row := []string{name, format.Verdict(arm.Verdict), fmt.Sprint(arm.Totals.Exposures), format.ShortRate(arm),
			format.Lift(arm), p, beat, risk, format.Prob(arm.ProbBest), common.Sparkline(m.rates[arm.Variant.Key], 24, lo, hi)}
		switch {
		case w >= wideDetail:
			row = slices.Insert(row, 3, fmt.Sprint(arm.Totals.Converters))
			row[4] = format.Rate(arm)
		case w < narrowDetail:
			row = []string{name, row[1], row[3], row[4], p, beat, row[8]}
		}
		rows = append(rows, row)
	}
	lines := layoutTable(rows)
	for i := range lines {
		// The focused arm carries the list's marker, so it shows without
		// colour too: d declares it.
		switch {
		case i == 0:
			lines[i] = " " + st.Experiments.Header.Render(lines[i])
		case i-1 == m.arm:
			lines[i] = st.List.Marker.Render(list.Marker) + st.List.Selected.Render(lines[i])
		default:
			lines[i] = " " + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// infoLine is the experiment's context: channel and audience, the rule in
// use, runtime, the sample-ratio check and the plan.
func (m *Model) infoLine(a core.Analysis) string {
	e := a.Experiment
	info := fmt.Sprintf("%s / %s · rule: %s%s · running %.1f days · sample-ratio p %.3g",
		sanitize.Line(e.Channel), sanitize.Line(e.Audience), a.Policy, format.Decides(a), a.Runtime.Hours()/24, a.SRMP)
	if n := a.Plan.NeededPerArm; n != nil {
		info += fmt.Sprintf(" · plan %s units per arm", format.Units(*n))
		if d := a.Plan.DaysLeft; d != nil && *d > 0 {
			info += " (" + format.Days(*d) + " left)"
		}
	}
	return info
}

// layoutTable pads each column to its widest cell.
func layoutTable(rows [][]string) []string {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	out := make([]string, len(rows))
	for j, r := range rows {
		cells := slices.Clone(r)
		for i, c := range cells {
			cells[i] = c + strings.Repeat(" ", widths[i]-len([]rune(c)))
		}
		out[j] = strings.Join(cells, "  ")
	}
	return out
}
