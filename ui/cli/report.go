package cli

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/core/kpi"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

func reportCommand(env *Env) *cobra.Command {
	var asJSON bool
	var since, until, by string
	kpis := &cobra.Command{
		Use:   "kpis [--since DATE] [--until DATE] [--by campaign|channel|team|template] [--json]",
		Short: "Every KPI for a period (default the last 28 days), against the period before",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			to := env.Now().Truncate(24*time.Hour).AddDate(0, 0, 1)
			from := to.AddDate(0, 0, -28)
			var err error
			if since != "" {
				if from, err = parseDate("since", since); err != nil {
					return err
				}
			}
			if until != "" {
				if to, err = parseDate("until", until); err != nil {
					return err
				}
				to = to.AddDate(0, 0, 1) // inclusive
			}
			if !from.Before(to) {
				return usageErrorf("--since must be before --until")
			}
			in, err := env.Backend.KPIInput(cmd.Context(), env.Now())
			if err != nil {
				return err
			}
			// A report costs what the data spans, whatever dates are asked.
			from, to, _ = kpi.Clamp(in, from, to, env.Now())
			groups := map[string]kpi.Input{"all": in}
			if by != "" {
				if groups, err = groupBy(in, by); err != nil {
					return err
				}
			}
			out := map[string][]kpi.Trend{}
			for name, g := range groups {
				out[name] = kpi.Trends(g, from, to)
			}
			if asJSON {
				return writeJSON(env.Out, map[string]any{"from": from, "to": to, "by": by, "groups": out})
			}
			for _, name := range slices.Sorted(maps.Keys(out)) {
				if by != "" {
					fmt.Fprintf(env.Out, "\n%s: %s\n", by, sanitize.Line(name))
				}
				rows := make([][]string, 0, len(out[name]))
				for _, t := range out[name] {
					rows = append(rows, []string{t.Name, kpi.Format(t.KPI), kpi.Format(t.Previous), kpi.Arrow(t), strconv.Itoa(t.N)})
				}
				if err := table(env.Out, []string{"KPI", "THIS PERIOD", "PREVIOUS", "TREND", "N"}, rows); err != nil {
					return err
				}
			}
			return nil
		},
	}
	kpis.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	kpis.Flags().StringVar(&since, "since", "", "first day, YYYY-MM-DD")
	kpis.Flags().StringVar(&until, "until", "", "last day, YYYY-MM-DD")
	kpis.Flags().StringVar(&by, "by", "", "split by campaign, channel, team (the owner's lane) or template (the brief template briefs came from)")
	return group("report", "Reports", needs(core.ActionRead, kpis), recipesCommand(env))
}

// groupBy splits the input's briefs (and what hangs off them) by a field.
func groupBy(in kpi.Input, by string) (map[string]kpi.Input, error) {
	lanes := map[string]string{}
	for _, p := range in.People {
		lanes[strings.ToLower(p.Name)] = string(p.Lane)
	}
	var key func(core.Brief) string
	switch by {
	case "campaign":
		key = func(b core.Brief) string { return b.Campaign }
	case "channel":
		key = func(b core.Brief) string { return b.Channel }
	case "team":
		key = func(b core.Brief) string { return lanes[strings.ToLower(b.Owner)] }
	case "template":
		key = func(b core.Brief) string { return b.Template }
	default:
		return nil, usageErrorf("--by %q: use campaign, channel, team or template", by)
	}
	return kpi.Split(in, key), nil
}
