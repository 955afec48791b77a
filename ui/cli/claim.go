package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

func claimCommand(env *Env) *cobra.Command {
	var experiment, source string
	link := &cobra.Command{
		Use:   `link BRIEF_ID "CLAIM" (--experiment KEY | --source TEXT)`,
		Short: "Tie a claim in a review's copy to its evidence: a decided experiment, or a source",
		Args:  exactArgs("BRIEF_ID", "CLAIM"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			l := core.ClaimLink{Claim: args[1], Experiment: experiment, Source: source}
			if _, err := env.Backend.LinkClaim(cmd.Context(), env.Identity, id, l); err != nil {
				return err
			}
			claims, err := env.Backend.Claims(cmd.Context(), id, env.Now())
			if err != nil {
				return err
			}
			for _, c := range claims {
				if core.SameClaim(c.Text, args[1]) {
					_, err = fmt.Fprintf(env.Out, "linked; the claim is %s: %s\n", c.State, sanitize.Line(c.Evidence))
					return err
				}
			}
			_, err = fmt.Fprintln(env.Out, "linked")
			return err
		},
	}
	link.Flags().StringVar(&experiment, "experiment", "", "the experiment whose declared winner backs the claim")
	link.Flags().StringVar(&source, "source", "", "a source that backs it (a study, a report, legal's sign-off)")

	var asJSON bool
	list := &cobra.Command{
		Use:   "list BRIEF_ID [--json]",
		Short: "The claims in a review's copy, each supported, unsupported or stale",
		Args:  exactArgs("BRIEF_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			claims, err := env.Backend.Claims(cmd.Context(), id, env.Now())
			if err != nil {
				return err
			}
			if asJSON {
				if claims == nil {
					claims = []core.ClaimStatus{}
				}
				return writeJSON(env.Out, claims)
			}
			if len(claims) == 0 {
				_, err := fmt.Fprintf(env.Out, "brief %d's copy makes no numeric or comparative claim\n", id)
				return err
			}
			rows := make([][]string, len(claims))
			for i, c := range claims {
				rows[i] = []string{common.ClaimMark(c.State), c.Text, c.Evidence}
			}
			return table(env.Out, []string{"STATE", "CLAIM", "EVIDENCE"}, rows)
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return group("claim", "Claims in review copy and the evidence behind them", needs(core.ActionComment, link), needs(core.ActionRead, list))
}
