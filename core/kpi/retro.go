package kpi

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// Stall is an open brief that has sat in one stage.
type Stall struct {
	Brief core.Brief    `json:"brief"`
	Since time.Time     `json:"since"`
	For   time.Duration `json:"for"`
}

// Stalled returns the open briefs (planned to approved) that have sat
// longest in their stage at now, longest first, at most n.
func Stalled(in Input, now time.Time, n int) []Stall {
	last := map[uint64]time.Time{}
	for _, c := range in.History {
		if c.Time.After(last[c.BriefID]) && !c.Time.After(now) {
			last[c.BriefID] = c.Time
		}
	}
	var out []Stall
	for _, b := range in.Briefs {
		if b.Stage < core.StagePlanned || b.Stage > core.StageApproved {
			continue
		}
		if t, ok := last[b.ID]; ok {
			out = append(out, Stall{Brief: b, Since: t, For: now.Sub(t)})
		}
	}
	slices.SortFunc(out, func(a, b Stall) int { return int(b.For - a.For) })
	return out[:min(n, len(out))]
}

// Wins are what worked in a period: experiments decided with a new winner
// whose result still holds (in.Evidence: declared, no data error, no
// sample-ratio mismatch), and the briefs that went live fastest.
func Wins(in Input, from, to time.Time, n int) []string {
	var out []string
	for _, e := range in.Experiments {
		r, ok := in.Evidence[e.Key]
		if e.Winner == "" || !within(e.Decided, from, to) || !ok || r.Evidence != core.EvidenceDeclared {
			continue
		}
		if v, ok := e.Variant(e.Winner); ok && !v.Control {
			out = append(out, fmt.Sprintf("★ %s: variant %s, the declared winner, %+.0f%% vs control after %.0f days", e.Name, e.Winner, 100*r.Lift, days(e.Decided.Sub(e.Started))))
		}
	}
	ix := newIndex(in)
	fast := []liveBrief{}
	for _, l := range ix.live {
		if within(l.at, from, to) {
			fast = append(fast, l)
		}
	}
	slices.SortFunc(fast, func(a, b liveBrief) int { return int(a.took - b.took) })
	for _, l := range fast[:min(n, len(fast))] {
		out = append(out, fmt.Sprintf("⚡ #%d %s: intake to live in %.1f days", l.id, ix.brief(l.id).Title, days(l.took)))
	}
	return out
}

// Retro is one period's look back, for export.
type Retro struct {
	Title    string
	From, To time.Time
	Trends   []Trend
	Stalled  []Stall
	Wins     []string
	// Notes are what both teams wrote about the period.
	Notes []core.RetroNote
}

// Markdown writes the retro as a Markdown document: KPIs against the
// period before, what stalled, what worked, the teams' notes and the KPI
// definitions.
func (r Retro) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Retro: %s\n\n%s to %s\n\n", r.Title, r.From.Format(time.DateOnly), r.To.AddDate(0, 0, -1).Format(time.DateOnly))
	b.WriteString("## KPIs\n\n| KPI | this period | previous | trend | n |\n| --- | ---: | ---: | :---: | ---: |\n")
	for _, t := range r.Trends {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %d |\n", t.Name, Format(t.KPI), Format(t.Previous), Arrow(t), t.N)
	}
	b.WriteString("\n## What stalled\n\n")
	if len(r.Stalled) == 0 {
		b.WriteString("Nothing sat still.\n")
	}
	for _, s := range r.Stalled {
		fmt.Fprintf(&b, "- #%d %s: %.1f days in %s (owner %s)\n", s.Brief.ID, s.Brief.Title, days(s.For), s.Brief.Stage, s.Brief.Owner)
	}
	b.WriteString("\n## What worked\n\n")
	if len(r.Wins) == 0 {
		b.WriteString("No winners or shipped briefs this period.\n")
	}
	for _, w := range r.Wins {
		fmt.Fprintf(&b, "- %s\n", w)
	}
	b.WriteString("\n## Notes\n\n")
	if len(r.Notes) == 0 {
		b.WriteString("No notes yet: add one with `tandem retro note PERIOD TEXT` or `n` in the Retro tab.\n")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- **%s** (%s, %s): %s\n", n.Team, n.Author, n.Time.Format(time.DateOnly), n.Text)
	}
	b.WriteString("\n## Definitions\n\n")
	for _, t := range r.Trends {
		fmt.Fprintf(&b, "- **%s**: %s\n", t.Name, t.Definition)
	}
	return b.String()
}

// Format writes a KPI's value with its unit; "–" when it has no data.
func Format(k KPI) string {
	if k.N == 0 && k.Key != "wip" {
		return "–"
	}
	switch k.Unit {
	case "%":
		return fmt.Sprintf("%.0f%%", k.Value)
	case "days":
		return fmt.Sprintf("%.1f d", k.Value)
	case "hours":
		return fmt.Sprintf("%.1f h", k.Value)
	case "cost":
		return fmt.Sprintf("%.0f", k.Value)
	case "per week":
		return fmt.Sprintf("%.1f/wk", k.Value)
	}
	return fmt.Sprintf("%g", k.Value)
}

// Arrow says whether a KPI moved and whether that is good, in symbols.
func Arrow(t Trend) string {
	if t.N == 0 || t.Previous.N == 0 || t.Value == t.Previous.Value {
		return "="
	}
	up := t.Value > t.Previous.Value
	good := up == (t.Better == "up")
	if t.Better == BetterNear100 {
		good = math.Abs(t.Value-100) < math.Abs(t.Previous.Value-100)
	}
	arrow := "▼"
	if up {
		arrow = "▲"
	}
	if good {
		return arrow + " better"
	}
	return arrow + " worse"
}
