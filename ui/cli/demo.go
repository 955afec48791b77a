package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
)

func demoCommand(env *Env) *cobra.Command {
	seed := &cobra.Command{
		Use:   "seed",
		Short: "Fill an empty workspace with the demo team, briefs and experiments",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			seeded, err := env.Backend.SeedDemo(cmd.Context(), env.Identity, env.Now())
			if err != nil {
				return err
			}
			if !seeded {
				_, err = fmt.Fprintln(env.Out, "the workspace already has briefs; left it as it is")
				return err
			}
			_, err = fmt.Fprintln(env.Out, "seeded the demo workspace")
			return err
		},
	}
	return group("demo", "The demo workspace", needs(core.ActionAdminister, seed))
}
