package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
)

// recipesCommand is `tandem report recipes`: how the way generated
// variants were made relates to their lift, pooled across decided
// experiments.
func recipesCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "recipes [--json]",
		Short: "How generated variants' recipes (grounding, model, guideline, lint, review rounds) relate to lift, pooled across decided experiments",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rows, n, err := env.Backend.RecipeLedger(cmd.Context(), env.Now())
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, map[string]any{"observations": n, "min_k": core.MinRecipeK, "method": "one observation per experiment (its variants inverse-variance weighted), pooled by DerSimonian-Laird random effects with a 95% interval; claims Holm-adjusted across rows; exploratory: associations, not causes", "rows": rows})
			}
			if n == 0 {
				_, err := fmt.Fprintln(env.Out, "No generated variant has been tested in a decided experiment yet: test one with `tandem experiment add KEY --generated ID,…` and declare its winner.")
				return err
			}
			fmt.Fprintf(env.Out, "%s generated and tested in finished experiments; lifts pooled per recipe attribute over experiments (DerSimonian–Laird, 95 %%, claims Holm-adjusted); no claim below k = %d experiments. Exploratory: associations, not causes.\n\n",
				common.Plural(n, "variant"), core.MinRecipeK)
			cells := make([][]string, len(rows))
			for i, r := range rows {
				lift, ci, i2, claim := "–", "", "", r.Note
				if r.Estimate != nil {
					lift, ci = fmt.Sprintf("%+.1f%%", 100**r.Estimate), fmt.Sprintf("[%+.1f%%, %+.1f%%]", 100*r.Lift.Low, 100*r.Lift.High)
					i2 = fmt.Sprintf("%.0f%%", 100**r.I2)
				}
				if r.Claim {
					claim = "▲ lifts"
					if *r.Estimate < 0 {
						claim = "▼ lowers"
					}
				}
				cells[i] = []string{r.Attribute, r.Level, fmt.Sprint(r.K), lift, ci, i2, claim}
			}
			return table(env.Out, []string{"ATTRIBUTE", "LEVEL", "K", "LIFT", "95% CI", "I²", "CLAIM"}, cells)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return needs(core.ActionRead, cmd)
}
