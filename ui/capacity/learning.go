package capacity

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// mdeSteps are the MDEs + and - step through.
var mdeSteps = []float64{0.02, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.50}

// stepMDE is the next MDE up or down from the one tried (cur, or the
// workspace's when cur is 0); back at the workspace's it is 0 again.
func stepMDE(workspace, cur float64, up bool) float64 {
	if cur == 0 {
		cur = workspace
	}
	next := cur
	for _, s := range mdeSteps {
		if up && s > cur+1e-9 {
			next = s
			break
		}
		if !up && s < cur-1e-9 {
			next = s
		}
	}
	if next == workspace {
		return 0
	}
	return next
}

// replanLearning plans learning capacity to the quarter's end as
// `tandem plan learning` does, before and after the staged changes and
// the MDE being tried.
func (m *Model) replanLearning() {
	now := m.common.Now()
	in := common.LearningInput(m.snap, m.daily, now)
	m.learnBase = core.PlanLearning(in, now, now, common.QuarterEnd(now))
	m.learn = m.learnBase
	if m.mde > 0 {
		in.Guards.Policy.MDE = m.mde
	}
	if len(m.staged) > 0 || m.mde > 0 {
		staged := make(map[uint64]core.Brief, len(in.Briefs))
		for id, b := range in.Briefs {
			if s, ok := m.staged[id]; ok {
				b = s
			}
			staged[id] = b
		}
		in.Briefs = staged
		m.learn = core.PlanLearning(in, now, now, common.QuarterEnd(now))
	}
}

// dailyMsg carries the experiments' daily units for the learning plan.
type dailyMsg struct {
	units map[string]core.DailyUnits
	err   error
}

// dailyCmd reads the experiments' daily units, which the backend reads
// once per event write for every session.
func (m *Model) dailyCmd() tea.Cmd {
	ctx, be, now := m.common.Ctx, m.common.Backend, m.common.Now()
	return func() tea.Msg {
		units, err := be.DailyUnits(ctx, now)
		return dailyMsg{units: units, err: err}
	}
}

// overbookedMark ends the row of a channel and audience whose planned
// tests need more traffic than the period has; a line below the rows
// says so in words. At 80 columns the rows leave it six cells.
const overbookedMark = "✗ over"

// learningView is the Learning section: per channel × audience the
// traffic and the tests it can power this quarter, then each planned
// test's expected decision (before → after in what-if mode).
func (m *Model) learningView() string {
	st := m.common.Styles
	var b strings.Builder
	p := m.learn
	mde := fmt.Sprintf("%g%%", 100*p.MDE)
	if p.MDE != m.learnBase.MDE {
		mde = fmt.Sprintf("%g%% → %g%%", 100*m.learnBase.MDE, 100*p.MDE)
	}
	b.WriteString(st.App.Muted.Render(fmt.Sprintf("LEARNING to %s · %s rule, MDE %s · %s other MDE · %s skills",
		p.To.AddDate(0, 0, -1).Format("Jan 2"), p.Rule, mde, m.keys.MDEUp.Help().Key, m.keys.Learning.Help().Key)) + "\n")
	switch {
	case !m.dailyRead:
		return b.String() + st.App.Muted.Render("Reading the experiments' daily traffic…") + "\n"
	case len(p.Cells) == 0:
		return b.String() + st.App.Muted.Render("No experiment traffic yet: ingest events with `tandem ingest`.") + "\n"
	}
	b.WriteString(st.App.Muted.Render(fmt.Sprintf("%-26s %11s %6s %9s %8s  %s", "CHANNEL / AUDIENCE", "UNITS WD/WE", "BASE", "DAYS/TEST", "POSSIBLE", "FREE FROM")) + "\n")
	overbooked := false
	for _, c := range p.Cells {
		base, days, free := "–", "–", common.PlanMonth(c.NextStart, p.From)
		if c.BaselineRate != nil {
			base = fmt.Sprintf("%.1f%%", 100**c.BaselineRate)
		}
		if c.DaysPerTest != nil {
			days = fmt.Sprintf("%.0f", *c.DaysPerTest)
		}
		// Units a workday and a weekend day: tests are counted in both.
		units := fmt.Sprintf("%.0f/%.0f", c.WorkdayUnitsPerDay, c.WeekendUnitsPerDay)
		line := fmt.Sprintf("%-26s %11s %6s %9s %8d  %-7s", common.Truncate(sanitize.Line(common.OrNone(c.Channel)+" / "+common.OrNone(c.Audience)), 26, "…"), units, base, days, c.TestsPossible, free)
		if c.Overbooked {
			overbooked = true
			b.WriteString(st.Capacity.Over.Render(line+" "+overbookedMark) + "\n")
			continue
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	if overbooked {
		b.WriteString(st.App.Muted.Render(fmt.Sprintf("%s: the tests planned need more traffic than there is to %s", overbookedMark, p.To.AddDate(0, 0, -1).Format("Jan 2"))) + "\n")
	}
	before := map[string]core.PlannedTest{}
	for _, t := range m.learnBase.Tests {
		before[t.Experiment] = t
	}
	for _, t := range p.Tests {
		when := t.Why
		if d := common.DecisionDate(t, p.From); d != "" {
			when = "decision " + d
			if old := before[t.Experiment].Decision; (m.whatIf || m.mde > 0) && old != nil && !old.Equal(*t.Decision) {
				when = fmt.Sprintf("decision ~%s → ~%s", common.PlanDate(*old, p.From), common.PlanDate(*t.Decision, p.From))
			}
		}
		mark, late := common.LateNote(t, "the quarter", p.From)
		if late != "" {
			when += " (" + late + ")"
		}
		line := common.Truncate(sanitize.Line(t.Experiment)+": "+sanitize.Line(when), max(m.common.Width-2, 20), "…")
		switch mark {
		case "✗":
			b.WriteString(st.Capacity.Over.Render("✗ "+line) + "\n")
		case "!":
			b.WriteString(st.Capacity.Warning.Render("! "+line) + "\n")
		default:
			b.WriteString("  " + line + "\n")
		}
	}
	return b.String()
}
