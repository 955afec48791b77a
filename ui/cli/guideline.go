package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
)

func guidelineCommand(env *Env) *cobra.Command {
	var asJSON bool
	show := &cobra.Command{
		Use:   "show [--json]",
		Short: "Show the current brand guidelines",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, err := env.Backend.Guideline(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, g)
			}
			rows := [][]string{{"version", fmt.Sprint(g.Version)}, {"voice", g.Voice}, {"banned", strings.Join(g.Banned, ", ")},
				{"required", strings.Join(g.Required, " ")}, {"reading level", fmt.Sprint(g.ReadingLevel)}}
			for from, to := range g.Preferred {
				rows = append(rows, []string{"prefer", to + " over " + from})
			}
			for ch, n := range g.MaxLength {
				rows = append(rows, []string{"max length", fmt.Sprintf("%s: %d", ch, n)})
			}
			return table(env.Out, []string{"GUIDELINE", ""}, rows)
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print JSON (the shape `set` reads)")
	set := &cobra.Command{
		Use:   "set FILE|-",
		Short: "Save brand guidelines from a JSON file as the next version",
		Args:  exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, name, closeIn, err := env.openInput(args[0])
			if err != nil {
				return err
			}
			defer closeIn()
			data, err := io.ReadAll(io.LimitReader(in, 1<<20))
			if err != nil {
				return err
			}
			g, err := core.ParseGuideline(data)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			g, err = env.Backend.SaveGuideline(cmd.Context(), env.Identity, g)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(env.Out, "saved brand guidelines version %d\n", g.Version)
			return err
		},
	}
	return group("guideline", "The brand guidelines generation and lint check against",
		needs(core.ActionRead, show), needs(core.ActionEditBrief, set))
}
