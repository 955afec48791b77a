package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

func componentCommand(env *Env) *cobra.Command {
	var asJSON bool
	var c core.Component
	add := &cobra.Command{
		Use:   `add --slot SLOT --text TEXT [--terms a,b] [--generated ID] [--json]`,
		Short: "Add a reusable copy component (a draft until approved)",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			added, err := env.Backend.AddComponent(cmd.Context(), env.Identity, c)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, added)
			}
			_, err = fmt.Fprintf(env.Out, "added %s component %d (lint %d/100, draft): approve it with `tandem component approve %d`\n", added.Slot, added.ID, added.Lint.Score, added.ID)
			return err
		},
	}
	add.Flags().StringVar(&c.Slot, "slot", "", "the slot it fills: headline, body, cta, or a template's slot")
	add.Flags().StringVar(&c.Text, "text", "", "the copy")
	add.Flags().StringSliceVar(&c.Terms, "terms", nil, "taxonomy terms it was written for")
	add.Flags().Uint64Var(&c.Generated, "generated", 0, "the generated variant it came from, for its provenance")
	add.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	var slot string
	var listJSON bool
	list := &cobra.Command{
		Use:   "list [--slot SLOT] [--json]",
		Short: "The component library",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			all, err := env.Backend.Components(cmd.Context())
			if err != nil {
				return err
			}
			out := make([]core.Component, 0, len(all))
			for _, c := range all {
				if slot == "" || strings.EqualFold(c.Slot, slot) {
					out = append(out, c)
				}
			}
			if listJSON {
				return writeJSON(env.Out, out)
			}
			rows := make([][]string, len(out))
			for i, c := range out {
				rows[i] = []string{fmt.Sprint(c.ID), c.Slot, string(c.State), fmt.Sprintf("%d", c.Lint.Score), common.Truncate(sanitize.Line(c.Text), 60, "…")}
			}
			return table(env.Out, []string{"ID", "SLOT", "STATE", "LINT", "TEXT"}, rows)
		},
	}
	list.Flags().StringVar(&slot, "slot", "", "only this slot")
	list.Flags().BoolVar(&listJSON, "json", false, "print JSON")

	var showJSON bool
	show := &cobra.Command{
		Use:   "show ID [--json]",
		Short: "One component with its lint findings, provenance and measured effects",
		Args:  exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			c, err := env.Backend.Component(cmd.Context(), id)
			if err != nil {
				return err
			}
			if showJSON {
				return writeJSON(env.Out, c)
			}
			made := "written by " + c.Author
			if c.Generated != 0 {
				made = fmt.Sprintf("from generated variant %d, added by %s", c.Generated, c.Author)
			}
			rows := [][]string{{"slot", c.Slot}, {"state", string(c.State)}, {"made", made}, {"lint", fmt.Sprintf("%d/100", c.Lint.Score)}, {"text", c.Text}}
			for _, f := range c.Lint.Findings {
				rows = append(rows, []string{"finding", f.Message})
			}
			perf, err := env.Backend.ComponentPerformance(cmd.Context(), env.Now())
			if err != nil {
				return err
			}
			for _, p := range perf[c.ID] {
				rows = append(rows, []string{"effect", measuredEffect(p)})
			}
			return table(env.Out, []string{"FIELD", "VALUE"}, rows)
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print JSON")

	state := func(use, short string, action core.Action, set func(*Env, *cobra.Command, uint64) (core.Component, error)) *cobra.Command {
		return needs(action, &cobra.Command{
			Use:   use + " ID",
			Short: short,
			Args:  exactArgs("ID"),
			RunE: func(cmd *cobra.Command, args []string) error {
				id, err := parseID(args[0])
				if err != nil {
					return err
				}
				c, err := set(env, cmd, id)
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(env.Out, "component %d is %s\n", c.ID, c.State)
				return err
			},
		})
	}
	approve := state("approve", "Approve a component once, for reuse in any test", core.ActionDecide, func(env *Env, cmd *cobra.Command, id uint64) (core.Component, error) {
		return env.Backend.ApproveComponent(cmd.Context(), env.Identity, id)
	})
	retire := state("retire", "Keep a component out of new tests", core.ActionEditBrief, func(env *Env, cmd *cobra.Command, id uint64) (core.Component, error) {
		return env.Backend.RetireComponent(cmd.Context(), env.Identity, id)
	})
	return group("component", "Reusable copy components by slot, for factorial tests",
		needs(core.ActionEditBrief, add), componentGenerateCommand(env), needs(core.ActionRead, list), needs(core.ActionRead, show), approve, retire)
}

// measuredEffect is a component's effect in one factorial test, in words.
func measuredEffect(p core.ComponentPerformance) string {
	e := p.Effect
	where := fmt.Sprintf("in %s (%s, %s)", p.Experiment, channelOr(p.Channel), p.Audience)
	if e.Reference {
		return "reference " + where
	}
	mark := "not significant"
	if e.Significant {
		mark = map[bool]string{true: "▲ better", false: "▼ worse"}[e.Effect > 0]
	}
	return fmt.Sprintf("%+.2f pts [%+.2f, %+.2f] %s, %s; fixed horizon", 100*e.Effect, 100*e.CI.Low, 100*e.CI.High, where, mark)
}
