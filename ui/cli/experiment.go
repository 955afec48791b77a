package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
)

func experimentCommand(env *Env) *cobra.Command {
	return group("experiment", "Create, list, inspect and decide experiments",
		experimentAddCommand(env),
		experimentListCommand(env),
		experimentShowCommand(env),
		experimentDeclareCommand(env),
	)
}

func experimentAddCommand(env *Env) *cobra.Command {
	var asJSON bool
	var e core.Experiment
	var variants []string
	var weights []float64
	var generated []uint
	cmd := &cobra.Command{
		Use:   "add KEY (--variants control,b[,c…] | --generated ID,ID…) [flags]",
		Short: "Create an experiment; the first variant is the control",
		Args:  exactArgs("KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			e.Key = args[0]
			copies := map[string]string{}
			for _, id := range generated {
				v, err := env.Backend.Generated(cmd.Context(), uint64(id))
				if err != nil {
					return err
				}
				key := fmt.Sprintf("g%d", v.ID)
				variants = append(variants, key)
				copies[key] = v.Copy.Text()
				if e.BriefID == 0 {
					e.BriefID = v.BriefID
				}
			}
			if len(weights) > 0 && len(weights) != len(variants) {
				return usageErrorf("--weights has %d values for %d variants", len(weights), len(variants))
			}
			for i, v := range variants {
				w := 1.0
				if len(weights) > 0 {
					w = weights[i]
				}
				key := strings.TrimSpace(v)
				e.Variants = append(e.Variants, core.Variant{Key: key, Name: key, Copy: copies[key], Weight: w, Control: i == 0})
			}
			if e.Name == "" {
				e.Name = e.Key
			}
			added, err := env.Backend.AddExperiment(cmd.Context(), env.Identity, e)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, added)
			}
			_, err = fmt.Fprintf(env.Out, "added experiment %s with %d variants (control %s)\n", added.Key, len(added.Variants), added.Variants[0].Key)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&e.Name, "name", "", "a name people read")
	fl.StringSliceVar(&variants, "variants", nil, "variant keys, control first")
	fl.UintSliceVar(&generated, "generated", nil, "generated variant IDs to test (after any --variants), keyed g<ID> with their copy")
	fl.Float64SliceVar(&weights, "weights", nil, "traffic weights, one per variant (default equal)")
	fl.StringVar(&e.Audience, "audience", "", "audience, from the taxonomy")
	fl.StringVar(&e.Channel, "channel", "", "channel, from the taxonomy")
	fl.Uint64Var(&e.BriefID, "brief", 0, "the brief the variants were made for")
	fl.BoolVar(&asJSON, "json", false, "print JSON")
	return needs(core.ActionEditExperiment, cmd)
}

func experimentListCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List experiments with their status",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			exps, err := env.Backend.Experiments(cmd.Context())
			if err != nil {
				return err
			}
			analyses := make([]core.Analysis, 0, len(exps))
			for _, e := range exps {
				a, err := env.Backend.Analyze(cmd.Context(), e.Key, env.Now())
				if err != nil {
					return err
				}
				analyses = append(analyses, a)
			}
			if asJSON {
				return writeJSON(env.Out, analyses)
			}
			rows := make([][]string, len(analyses))
			for i, a := range analyses {
				var units uint64
				for _, arm := range a.Arms {
					units += arm.Totals.Exposures
				}
				rows[i] = []string{a.Experiment.Key, a.Experiment.Name, string(a.Status), strconv.Itoa(len(a.Arms)), strconv.FormatUint(units, 10), a.Leader}
			}
			return table(env.Out, []string{"KEY", "NAME", "STATUS", "ARMS", "UNITS", "LEADER"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return needs(core.ActionRead, cmd)
}

func experimentShowCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show KEY",
		Short: "Show an experiment's statistics per variant",
		Args:  exactArgs("KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := env.Backend.Analyze(cmd.Context(), args[0], env.Now())
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, a)
			}
			fmt.Fprintf(env.Out, "%s: %s\n", a.Experiment.Key, a.Status)
			fmt.Fprintf(env.Out, "running %.1f days; sample-ratio p = %.4g; %.0f units per arm needed for a %.0f%% lift", a.Runtime.Hours()/24, a.SRMP, a.NeededPerArm, 100*core.DefaultGuards().MDE)
			if a.DaysLeft > 0 {
				fmt.Fprintf(env.Out, ", about %.1f more days", a.DaysLeft)
			}
			fmt.Fprintln(env.Out)
			rows := make([][]string, len(a.Arms))
			for i, arm := range a.Arms {
				name := arm.Variant.Key
				lift, p, chance, risk := "control", "", "", ""
				if arm.Variant.Control {
					name += " (control)"
				} else {
					lift = "n/a: control has no conversions"
					if a.Arms[0].Rate > 0 {
						lift = fmt.Sprintf("%+.1f%% [%+.1f, %+.1f]", 100*arm.Lift.RelLift, 100*arm.Lift.RelLiftCI.Low, 100*arm.Lift.RelLiftCI.High)
					}
					p = fmt.Sprintf("%.4f", arm.PHolm)
					chance = fmt.Sprintf("%.1f%%", 100*arm.ChanceToBeat)
					risk = fmt.Sprintf("%.2f%%", 100*arm.Risk)
				}
				rows[i] = []string{name, strconv.FormatUint(arm.Totals.Exposures, 10), strconv.FormatUint(arm.Totals.Converters, 10),
					fmt.Sprintf("%.2f%% [%.2f, %.2f]", 100*arm.Rate, 100*arm.RateCI.Low, 100*arm.RateCI.High), lift, p, chance, risk,
					fmt.Sprintf("%.1f%%", 100*arm.ProbBest)}
			}
			return table(env.Out, []string{"VARIANT", "UNITS", "CONVERTED", "RATE [95% CI]", "LIFT [95% CI]", "P (HOLM)", "CHANCE TO BEAT", "RISK", "P(BEST)"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return needs(core.ActionRead, cmd)
}

func experimentDeclareCommand(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "declare KEY VARIANT",
		Short: "Declare the winning variant; new briefs on its channel and audience see it",
		Args:  exactArgs("KEY", "VARIANT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := env.Backend.DeclareWinner(cmd.Context(), env.Identity, args[0], args[1])
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(env.Out, "declared %s the winner of %s\n", e.Winner, e.Key)
			return err
		},
	}
	return needs(core.ActionDeclareWinner, cmd)
}
