package cli

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

func personCommand(env *Env) *cobra.Command {
	var p core.Person
	var lane string
	add := &cobra.Command{
		Use:   "add NAME --lane in-house|freelance|agency|ai --hours H [--skills a,b] [--cost C] [--allocation 0-1]",
		Short: "Add a person or lane to capacity planning",
		Args:  exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := core.ParseLaneKind(lane)
			if err != nil {
				return &usageError{err}
			}
			p.Name, p.Lane = args[0], k
			added, err := env.Backend.AddPerson(cmd.Context(), env.Identity, p)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(env.Out, "added %s (%s, %gh/week)\n", sanitize.Line(added.Name), added.Lane, added.WeeklyHours)
			return err
		},
	}
	fl := add.Flags()
	fl.StringVar(&lane, "lane", "in-house", "in-house, freelance, agency or ai")
	fl.Float64Var(&p.WeeklyHours, "hours", 40, "weekly hours")
	fl.StringSliceVar(&p.Skills, "skills", nil, "skills, e.g. copy,design")
	fl.Float64Var(&p.CostPerHour, "cost", 0, "cost per hour")
	fl.Float64Var(&p.Allocation, "allocation", 0, "share of the week on this plan, 0 to 1 (default all)")

	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List people and lanes",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			people, err := env.Backend.People(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				if people == nil {
					people = []core.Person{}
				}
				return writeJSON(env.Out, people)
			}
			rows := make([][]string, len(people))
			for i, p := range people {
				rows[i] = []string{p.Name, string(p.Lane), strings.Join(p.Skills, ", "), fmt.Sprintf("%g", p.WeeklyHours), fmt.Sprintf("%g", p.CostPerHour), fmt.Sprint(len(p.TimeOff))}
			}
			return table(env.Out, []string{"NAME", "LANE", "SKILLS", "H/WEEK", "COST/H", "TIME OFF"}, rows)
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	var from, to, reason string
	off := &cobra.Command{
		Use:   "timeoff NAME --from DATE --to DATE [--reason R]",
		Short: "Record days a person is off (inclusive)",
		Args:  exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := parseDate("from", from)
			if err != nil {
				return err
			}
			t, err := parseDate("to", to)
			if err != nil {
				return err
			}
			if f.IsZero() || t.IsZero() {
				return usageErrorf("--from and --to are required")
			}
			p, err := env.Backend.PersonByName(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			p.TimeOff = append(p.TimeOff, core.TimeOff{From: f, To: t, Reason: reason})
			if _, _, err := env.Backend.UpdatePerson(cmd.Context(), env.Identity, p); err != nil {
				return err
			}
			_, err = fmt.Fprintf(env.Out, "%s is off %s to %s\n", sanitize.Line(p.Name), from, to)
			return err
		},
	}
	off.Flags().StringVar(&from, "from", "", "first day off, YYYY-MM-DD")
	off.Flags().StringVar(&to, "to", "", "last day off, YYYY-MM-DD")
	off.Flags().StringVar(&reason, "reason", "", "e.g. holiday")
	return group("person", "People and lanes who supply hours",
		needs(core.ActionEditPeople, add), needs(core.ActionRead, list), needs(core.ActionEditPeople, off))
}

func capacityCommand(env *Env) *cobra.Command {
	var asJSON bool
	var weeks int
	var from string
	cmd := &cobra.Command{
		Use:   "capacity [--weeks N] [--from DATE] [--json]",
		Short: "Supply, demand, utilization and shortfall per person, skill and week",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if weeks < 1 || weeks > 104 {
				return usageErrorf("--weeks %d: use 1 to 104", weeks)
			}
			start := env.Now()
			if from != "" {
				var err error
				if start, err = parseDate("from", from); err != nil {
					return err
				}
			}
			plan, err := env.Backend.Capacity(cmd.Context(), start, weeks)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, capacityJSONOf(plan))
			}
			header := []string{"PERSON"}
			for _, w := range plan.Weeks {
				header = append(header, w.String())
			}
			var rows [][]string
			for _, p := range plan.People {
				row := []string{p.Name}
				for _, l := range plan.Load[p.ID] {
					row = append(row, utilText(l))
				}
				rows = append(rows, row)
			}
			if err := table(env.Out, header, rows); err != nil {
				return err
			}
			fmt.Fprintln(env.Out)
			header[0] = "SKILL SHORTFALL (h)"
			rows = rows[:0]
			for _, s := range slices.Sorted(maps.Keys(plan.Skills)) {
				row := []string{s}
				for _, sw := range plan.Skills[s] {
					cell := "-"
					if sw.Shortfall > 0 {
						cell = fmt.Sprintf("✗ %.0f", sw.Shortfall)
					}
					row = append(row, cell)
				}
				rows = append(rows, row)
			}
			if err := table(env.Out, header, rows); err != nil {
				return err
			}
			if n := len(plan.Unestimated); n > 0 {
				fmt.Fprintf(env.Out, "\n⚠ %d brief(s) have no estimate and are not counted: %v\n", n, plan.Unestimated)
			}
			if n := len(plan.Undated); n > 0 {
				fmt.Fprintf(env.Out, "\n⚠ %d brief(s) have hours but no due date and fall in no week: %v\n", n, plan.Undated)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().IntVar(&weeks, "weeks", 8, "how many weeks")
	cmd.Flags().StringVar(&from, "from", "", "first week, by a date in it (default this week)")
	return needs(core.ActionRead, cmd)
}

// utilText is a load as a percentage, marked when over 100 %.
func utilText(l core.Load) string {
	u := l.Utilization()
	switch {
	case l.Supply == 0 && l.Demand == 0:
		return "-"
	case math.IsInf(u, 1) || u > 1e300:
		return fmt.Sprintf("✗ %.0fh/0", l.Demand)
	case l.Over():
		return fmt.Sprintf("✗ %.0f%%", 100*u)
	}
	return fmt.Sprintf("%.0f%%", 100*u)
}
