package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/experiments/format"
	"github.com/tandem-ops/tandem/ui/sanitize"
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
	var start string
	var primary string
	var guardrails, secondaries []string
	var factorial []string
	var maxArms int
	var g guardFlags
	var template string
	cmd := &cobra.Command{
		Use:   "add KEY (--variants control,b[,c…] | --generated ID,ID… | --factorial SLOT=ID,ID… …) [--template NAME] [flags]",
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
			var design *backend.Factorial
			if len(factorial) > 0 {
				if len(variants) > 0 {
					return usageErrorf("--factorial builds the arms from components; leave out --variants and --generated")
				}
				slots, err := parseFactorial(factorial)
				if err != nil {
					return err
				}
				f, err := env.Backend.BuildFactorial(cmd.Context(), e, slots, maxArms)
				if err != nil {
					return err
				}
				design, e.Factors = &f, f.Experiment.Factors
				for _, v := range f.Experiment.Variants {
					variants, copies[v.Key] = append(variants, v.Key), v.Copy
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
				nv := core.Variant{Key: key, Name: key, Copy: copies[key], Weight: w, Control: i == 0}
				if design != nil {
					nv.Components = design.Experiment.Variants[i].Components
				}
				e.Variants = append(e.Variants, nv)
			}
			if e.Name == "" {
				e.Name = e.Key
			}
			if start != "" {
				ts, err := parseStart(start)
				if err != nil {
					return err
				}
				e.Started = ts
			}
			e.Guards = g.guards(cmd, env.Backend.DefaultGuards())
			if k := core.MetricKind(strings.TrimSpace(primary)); k != core.MetricConversion && k != core.MetricRevenue {
				return usageErrorf("--primary %q: use conversion or revenue (per exposed unit)", primary)
			}
			e.Metrics = metricsOf(primary, guardrails, secondaries)
			var added core.Experiment
			var err error
			if template != "" {
				added, err = env.Backend.AddExperimentFromTemplate(cmd.Context(), env.Identity, template, e)
			} else {
				added, err = env.Backend.AddExperiment(cmd.Context(), env.Identity, e)
			}
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, added)
			}
			if design != nil {
				return writeFactorial(env.Out, added, *design)
			}
			_, err = fmt.Fprintf(env.Out, "added experiment %s with %d variants (control %s)\n", added.Key, len(added.Variants), added.Variants[0].Key)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&e.Name, "name", "", "a name people read")
	fl.StringVar(&e.Hypothesis, "hypothesis", "", "what the experiment expects, and why")
	fl.StringVar(&template, "template", "", "set up from this experiment template: its hypothesis, metrics and guards unless given here; recorded with its version")
	fl.StringSliceVar(&variants, "variants", nil, "variant keys, control first")
	fl.UintSliceVar(&generated, "generated", nil, "generated variant IDs to test (after any --variants), keyed g<ID> with their copy")
	fl.Float64SliceVar(&weights, "weights", nil, "traffic weights, one per variant (default equal)")
	fl.StringArrayVar(&factorial, "factorial", nil, "a slot and the approved components to combine, as headline=4,7,9; repeat per slot")
	fl.IntVar(&maxArms, "max-arms", 16, "with --factorial: the most arms; past it a fraction of the combinations is tested")
	fl.StringVar(&e.Audience, "audience", "", "audience, from the taxonomy")
	fl.StringVar(&e.Channel, "channel", "", "channel, from the taxonomy")
	fl.Uint64Var(&e.BriefID, "brief", 0, "the brief the variants were made for")
	fl.StringVar(&start, "start", "", "when the experiment started, as 2026-11-01 or RFC 3339 (default: its earliest event)")
	fl.DurationVar(&e.ConversionWindow, "window", 0, "count conversions and revenue only this long after a unit's exposure, such as 72h (default: no bound)")
	fl.BoolVar(&e.ExcludeCrossExposed, "exclude-cross", false, "leave units exposed to more than one variant out of the analysis")
	fl.StringVar(&primary, "primary", string(core.MetricConversion), "the metric that decides: conversion (the rate) or revenue (per exposed unit)")
	fl.StringSliceVar(&guardrails, "guardrail", nil, "guardrail metrics, which block a winner when they move significantly the wrong way: revenue, revenue_per_converter")
	fl.StringSliceVar(&secondaries, "secondary", nil, "secondary metrics, shown beside the conversion rate: revenue, revenue_per_converter")
	g.register(fl)
	fl.BoolVar(&asJSON, "json", false, "print JSON")
	return needs(core.ActionEditExperiment, cmd)
}

// metricsOf is an experiment's metrics from `experiment add`'s flags: the
// primary metric, then the guardrails and secondary metrics; nil (the
// default) for the conversion rate alone. The experiment validates the
// kinds.
func metricsOf(primary string, guardrails, secondaries []string) []core.Metric {
	kind := core.MetricKind(strings.TrimSpace(primary))
	if kind == core.MetricConversion && len(guardrails) == 0 && len(secondaries) == 0 {
		return nil
	}
	out := []core.Metric{{Kind: kind, Role: core.MetricPrimary}}
	for _, k := range guardrails {
		out = append(out, core.Metric{Kind: core.MetricKind(strings.TrimSpace(k)), Role: core.MetricGuardrail})
	}
	for _, k := range secondaries {
		out = append(out, core.Metric{Kind: core.MetricKind(strings.TrimSpace(k)), Role: core.MetricSecondary})
	}
	return out
}

func experimentListCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List experiments with their status under the decision rule",
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
				rows[i] = []string{a.Experiment.Key, a.Experiment.Name, format.Status(a), string(a.Policy.Rule), strconv.Itoa(len(a.Arms)), strconv.FormatUint(units, 10), a.Leader}
			}
			return table(env.Out, []string{"KEY", "NAME", "STATUS", "RULE", "ARMS", "UNITS", "LEADER"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return needs(core.ActionRead, cmd)
}

func experimentShowCommand(env *Env) *cobra.Command {
	var asJSON, effects bool
	var by string
	var capRevenue float64
	cmd := &cobra.Command{
		Use:   "show KEY [--by ATTRIBUTE] [--cap-revenue PERCENTILE] [--effects]",
		Short: "Show an experiment's statistics and verdict per variant, optionally by an attribute of its units",
		Args:  exactArgs("KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := env.Backend.Analyze(cmd.Context(), args[0], env.Now())
			if cmd.Flags().Changed("cap-revenue") {
				a, _, err = env.Backend.AnalyzeCapped(cmd.Context(), args[0], env.Now(), capRevenue)
			}
			if err != nil {
				return err
			}
			if by != "" {
				bd, err := env.Backend.Breakdown(cmd.Context(), args[0], by, env.Now())
				if err != nil {
					return usageErrorf("%v", err)
				}
				a.Breakdown = &bd
			}
			if effects {
				eff, ok, err := env.Backend.Effects(cmd.Context(), args[0])
				switch {
				case err != nil:
					return err
				case !ok:
					return usageErrorf("experiment %s is not a factorial test; --effects reads tests made with `experiment add --factorial`", args[0])
				}
				a.Effects = &eff
				if by != "" {
					eb, _, err := env.Backend.EffectsBy(cmd.Context(), args[0], by)
					if err != nil {
						return err
					}
					a.EffectsBy = &eb
				}
			}
			if asJSON {
				return writeJSON(env.Out, a)
			}
			return writeAnalysis(env.Out, a)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&by, "by", "", "break the results down by an attribute of the units, such as audience (exploratory; at most 20 levels)")
	cmd.Flags().Float64Var(&capRevenue, "cap-revenue", 0, "cap each unit's revenue at this percentile of paying units' revenue, e.g. 99 (winsorised)")
	cmd.Flags().BoolVar(&effects, "effects", false, "a factorial test's per-component effects, interactions and the best predicted combination (with --by, also per level)")
	return needs(core.ActionRead, cmd)
}

// writeAnalysis prints an analysis as `experiment show` does: the status
// and rule, the plan, one row per variant, then why any number is missing.
func writeAnalysis(w io.Writer, a core.Analysis) error {
	fmt.Fprintf(w, "%s: %s\n", a.Experiment.Key, format.Status(a))
	if c := a.RevenueCap; c != nil {
		fmt.Fprintf(w, "revenue per unit capped at the %gth percentile of paying units: %.2f\n", c.Percentile, c.Value)
	}
	fmt.Fprintf(w, "rule: %s%s; running %.1f days; sample-ratio p = %.4g", a.Policy, format.Decides(a), a.Runtime.Hours()/24, a.SRMP)
	if n := a.Plan.NeededPerArm; n != nil {
		fmt.Fprintf(w, "; plan %s units per arm", format.Units(*n))
		if d := a.Plan.DaysLeft; d != nil && *d > 0 {
			fmt.Fprintf(w, ", %s more", format.Days(*d))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "guards: %s; at least %d units per arm and %s; started %s\n", sanitize.Line(guardSource(a)), a.Guards.MinUnitsPerArm, format.Days(a.Guards.MinRuntime.Hours()/24), startOf(a))
	for _, l := range a.Quality.Lines {
		fmt.Fprintf(w, "data quality: %s\n", sanitize.Line(l))
	}
	for _, p := range a.Problems {
		fmt.Fprintf(w, "data error: %s\n", sanitize.Line(p))
	}
	rows := make([][]string, len(a.Arms))
	var notes []string
	for i, arm := range a.Arms {
		name := arm.Variant.Key
		p, chance, risk := format.P(arm), format.Beat(arm), format.Risk(arm)
		if arm.Variant.Control {
			name += " (control)"
			p, chance, risk = "", "", ""
		}
		rows[i] = []string{name, format.Verdict(arm.Verdict), strconv.FormatUint(arm.Totals.Exposures, 10), strconv.FormatUint(arm.Totals.Converters, 10),
			format.Rate(arm), format.Lift(arm), p, chance, risk, format.Prob(arm.ProbBest)}
		for _, n := range arm.Notes {
			notes = append(notes, arm.Variant.Key+": "+n)
		}
	}
	if err := table(w, []string{"VARIANT", "VERDICT", "UNITS", "CONVERTED", "RATE [95% CI]", format.LiftHeader(a), format.PHeader(a), "CHANCE TO BEAT", "RISK", "P(BEST)"}, rows); err != nil {
		return err
	}
	if m := format.MetricRows(a); m != nil {
		fmt.Fprintln(w)
		if err := table(w, m[0], m[1:]); err != nil {
			return err
		}
	}
	for _, n := range notes {
		fmt.Fprintf(w, "%s %s\n", format.Missing, sanitize.Line(n))
	}
	if e := a.Effects; e != nil {
		if err := writeEffects(w, *e); err != nil {
			return err
		}
	}
	if b := a.EffectsBy; b != nil {
		if err := writeEffectsBy(w, *b); err != nil {
			return err
		}
	}
	if b := a.Breakdown; b != nil {
		return writeBreakdown(w, a, *b)
	}
	return nil
}

// writeBreakdown prints a breakdown under its note: each level's arms
// with their rates and lifts, no verdicts.
func writeBreakdown(w io.Writer, a core.Analysis, b core.Breakdown) error {
	fmt.Fprintf(w, "\nby %s: %s\n", b.Attr, b.Note)
	rows := format.SegmentRows(a, b)
	for _, r := range rows {
		r[0] = sanitize.Line(r[0])
	}
	if err := table(w, rows[0], rows[1:]); err != nil {
		return err
	}
	if b.Omitted > 0 {
		fmt.Fprintf(w, "%d more levels with fewer units are not shown\n", b.Omitted)
	}
	return nil
}

func experimentDeclareCommand(env *Env) *cobra.Command {
	var override string
	cmd := &cobra.Command{
		Use:   "declare KEY VARIANT [--override REASON]",
		Short: "Declare the winning variant; new briefs on its channel and audience see it",
		Args:  exactArgs("KEY", "VARIANT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := env.Backend.DeclareWinnerOverride(cmd.Context(), env.Identity, args[0], args[1], override, env.Now())
			if err != nil {
				return err
			}
			note := ""
			if e.Override != "" {
				note = " (an override, recorded with your reason)"
			}
			_, err = fmt.Fprintf(env.Out, "declared %s the winner of %s%s\n", e.Winner, e.Key, note)
			return err
		},
	}
	cmd.Flags().StringVar(&override, "override", "", "declare against the analysis, for this reason (audited)")
	return needs(core.ActionDeclareWinner, cmd)
}
