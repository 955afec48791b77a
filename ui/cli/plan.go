package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/experiments/format"
)

func planCommand(env *Env) *cobra.Command {
	var asJSON bool
	var quarter string
	var mde float64
	learning := &cobra.Command{
		Use:   "learning [--quarter 2026-Q4] [--mde 0.10] [--json]",
		Short: "Learning capacity: traffic per channel and audience, powered tests possible, and when each planned test should decide",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			now := env.Now()
			from, to, err := quarterOf(quarter, now)
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("mde") && !(mde >= minPlanMDE && mde < 10) {
				return usageErrorf("--mde %g: use a relative lift from %g to 10, such as 0.10 for 10 %%", mde, minPlanMDE)
			}
			p, err := env.Backend.PlanLearning(cmd.Context(), now, from, to, mde)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, p)
			}
			return writeLearning(env, p)
		},
	}
	fl := learning.Flags()
	fl.StringVar(&quarter, "quarter", "", "the quarter to plan, such as 2026-Q4 (default this quarter, from today)")
	fl.Float64Var(&mde, "mde", 0, "the smallest relative lift worth detecting, such as 0.05 (default the workspace's)")
	fl.BoolVar(&asJSON, "json", false, "print JSON")
	return group("plan", "Plan learning: what the traffic can test and when tests decide", needs(core.ActionRead, learning))
}

// minPlanMDE is the smallest MDE a plan is asked for: below it no test on
// any traffic decides in a useful time.
const minPlanMDE = 0.001

// maxPlanYears is how far ahead a quarter may be planned.
const maxPlanYears = 10

// quarterOf is the period to plan: the quarter named (from its start, or
// from now if it has begun) or, by default, the rest of now's quarter.
func quarterOf(name string, now time.Time) (from, to time.Time, err error) {
	start := common.QuarterEnd(now).AddDate(0, -3, 0)
	if name != "" {
		var y, q int
		if _, serr := fmt.Sscanf(name, "%d-Q%d", &y, &q); serr != nil || q < 1 || q > 4 || y < 2000 || y > 9999 || fmt.Sprintf("%d-Q%d", y, q) != name {
			return from, to, usageErrorf("--quarter %q: use a quarter such as 2026-Q4", name)
		}
		if y > now.Year()+maxPlanYears {
			return from, to, usageErrorf("--quarter %s is more than %d years ahead; plan a nearer quarter", name, maxPlanYears)
		}
		start = time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
	}
	to = start.AddDate(0, 3, 0)
	if !now.Before(to) {
		return from, to, usageErrorf("--quarter %s has ended; plan this quarter or a later one", name)
	}
	if now.After(start) {
		start = now
	}
	return start, to, nil
}

func writeLearning(env *Env, p core.LearningPlan) error {
	fmt.Fprintf(env.Out, "Learning capacity %s to %s · %s rule, MDE %g%%\n\n", p.From.Format(time.DateOnly), p.To.AddDate(0, 0, -1).Format(time.DateOnly), p.Rule, 100*p.MDE)
	if len(p.Cells) == 0 {
		_, err := fmt.Fprintln(env.Out, "No experiments yet: learning capacity is read from experiment traffic. Ingest events with `tandem ingest`.")
		return err
	}
	rows := make([][]string, len(p.Cells))
	for i, c := range p.Cells {
		base, days, free := "–", "–", common.PlanDate(c.NextStart, p.From)
		if c.BaselineRate != nil {
			base = fmt.Sprintf("%.1f%%", 100**c.BaselineRate)
		}
		if c.DaysPerTest != nil {
			days = fmt.Sprintf("%.1f", *c.DaysPerTest)
		}
		if c.Overbooked {
			free += " ✗ overbooked"
		}
		rows[i] = []string{common.OrNone(c.Channel), common.OrNone(c.Audience), format.Units(c.UnitsPerDay),
			format.Units(c.WorkdayUnitsPerDay) + "/" + format.Units(c.WeekendUnitsPerDay), base, days, fmt.Sprint(c.TestsPossible), fmt.Sprint(len(c.Planned)), free}
	}
	if err := table(env.Out, []string{"CHANNEL", "AUDIENCE", "UNITS/DAY", "WORKDAY/WEEKEND", "BASELINE", "DAYS/TEST", "POSSIBLE", "PLANNED", "FREE FROM"}, rows); err != nil {
		return err
	}
	if len(p.Tests) == 0 {
		return nil
	}
	fmt.Fprintln(env.Out)
	rows = make([][]string, len(p.Tests))
	for i, t := range p.Tests {
		needed, decision := "–", t.Why
		if t.NeededPerArm != nil {
			needed = format.Units(*t.NeededPerArm)
		}
		if d := common.DecisionDate(t, p.From); d != "" {
			decision = d
			if mark, late := common.LateNote(t, "the period", p.From); late != "" {
				decision += " " + mark + " " + late
			}
		}
		rows[i] = []string{t.Experiment, common.OrNone(t.Channel) + "/" + common.OrNone(t.Audience), fmt.Sprint(t.Arms), format.Units(float64(t.UnitsPerArm)), needed, common.PlanDate(t.Start, p.From), decision}
	}
	return table(env.Out, []string{"PLANNED TEST", "CHANNEL/AUDIENCE", "ARMS", "UNITS/ARM", "NEEDED/ARM", "STARTS", "DECISION EXPECTED"}, rows)
}
