package cli

import (
	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
)

func inboxCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "inbox [--json]",
		Short: "What needs you: reviews waiting on you, your open briefs, experiments to decide",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			items, err := env.Backend.Inbox(cmd.Context(), env.Identity, env.Now())
			if err != nil {
				return err
			}
			if asJSON {
				if items == nil {
					items = []core.InboxItem{}
				}
				return writeJSON(env.Out, items)
			}
			rows := make([][]string, len(items))
			for i, it := range items {
				mark := ""
				if it.Urgent {
					mark = "!"
				}
				rows[i] = []string{mark, it.Kind, it.Text}
			}
			return table(env.Out, []string{"", "KIND", "WHAT"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return needs(core.ActionRead, cmd)
}
