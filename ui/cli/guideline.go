package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
)

// maxGuidelineJSON bounds a guideline file read from a file or stdin.
const maxGuidelineJSON = 1 << 20

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
	var ifVersion uint64
	set := &cobra.Command{
		Use:   "set FILE|- [--if-version N]",
		Short: "Save brand guidelines from a JSON file as the next version; with --if-version, merged with saves since (exit 3 on a conflict)",
		Args:  exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, _, err := env.readInput(cmd.Context(), args[0], maxGuidelineJSON, "a guideline file")
			if err != nil {
				return err
			}
			g, err := core.ParseGuideline(data)
			if err != nil {
				return &usageError{err}
			}
			g.Version = ifVersion
			g, merged, err := env.Backend.SaveGuideline(cmd.Context(), env.Identity, g)
			var conflict *core.ConflictError
			if errors.As(err, &conflict) {
				conflict.Hint = fmt.Sprintf("to keep yours, save again with --if-version %d; to keep theirs, do nothing", conflict.Current)
				return conflict
			}
			if err != nil {
				return err
			}
			msg := fmt.Sprintf("saved brand guidelines version %d", g.Version)
			if s := merged.String(); s != "" {
				msg += "; " + s
			}
			_, err = fmt.Fprintln(env.Out, msg)
			return err
		},
	}
	ifVersionFlag(set.Flags(), &ifVersion, "the version this file was made from (as guideline show --json says); without it the file replaces what is stored")
	return group("guideline", "The brand guidelines generation and lint check against",
		needs(core.ActionRead, show), needs(core.ActionEditBrief, set))
}
