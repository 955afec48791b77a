package cli

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
)

func boardCommand(env *Env) *cobra.Command {
	return group("board", "Board settings", wipCommand(env))
}

func wipCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "wip [STAGE LIMIT]",
		Short: "Show the WIP limits, or set one stage's (0 removes it)",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 0 && len(args) != 2 {
				return usageErrorf("%s takes no arguments to show the limits, or STAGE LIMIT to set one", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			limits, err := env.Backend.WIPLimits(ctx)
			if err != nil {
				return err
			}
			if len(args) == 2 {
				if err := core.Authorize(env.Identity, core.ActionEditBrief); err != nil {
					return err
				}
				stage, err := core.ParseStage(args[0])
				if err != nil {
					return &usageError{err}
				}
				n, err := strconv.Atoi(args[1])
				if err != nil || n < 0 {
					return usageErrorf("limit %q: use 0 for no limit or a positive whole number", args[1])
				}
				limits[stage] = n
				if n == 0 {
					delete(limits, stage)
				}
				if err := env.Backend.SetWIPLimits(ctx, env.Identity, limits); err != nil {
					return err
				}
			}
			if asJSON {
				return writeJSON(env.Out, struct {
					SchemaVersion int            `json:"schema_version"`
					Limits        core.WIPLimits `json:"limits"`
				}{1, limits})
			}
			rows := make([][]string, 0, len(core.AllStages()))
			for _, s := range core.AllStages() {
				limit := "-"
				if n := limits[s]; n > 0 {
					limit = fmt.Sprint(n)
				}
				rows = append(rows, []string{s.String(), limit})
			}
			return table(env.Out, []string{"STAGE", "WIP LIMIT"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	annotate(cmd, annotationWrites, string(core.ActionEditBrief))
	return needs(core.ActionRead, cmd)
}
