package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
)

func taxonomyCommand(env *Env) *cobra.Command {
	return group("taxonomy", "The shared vocabulary: channels, audiences, asset types, tags",
		taxonomyShowCommand(env),
		taxonomyEditCommand(env, "add", "Add a term", func(terms []string, term string) []string {
			if slices.ContainsFunc(terms, func(t string) bool { return strings.EqualFold(t, term) }) {
				return terms
			}
			return append(terms, term)
		}),
		taxonomyEditCommand(env, "remove", "Remove a term", func(terms []string, term string) []string {
			return slices.DeleteFunc(terms, func(t string) bool { return strings.EqualFold(t, term) })
		}),
	)
}

func taxonomyShowCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Show the taxonomy",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := env.Backend.Taxonomy(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				t.Channels, t.Audiences, t.AssetTypes, t.Tags = orEmpty(t.Channels), orEmpty(t.Audiences), orEmpty(t.AssetTypes), orEmpty(t.Tags)
				return writeJSON(env.Out, t)
			}
			rows := [][]string{
				{"channels", strings.Join(t.Channels, ", ")},
				{"audiences", strings.Join(t.Audiences, ", ")},
				{"asset-types", strings.Join(t.AssetTypes, ", ")},
				{"tags", strings.Join(t.Tags, ", ")},
			}
			return table(env.Out, []string{"KIND", "TERMS"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return needs(core.ActionRead, cmd)
}

// taxonomyList returns the list of t that kind names.
func taxonomyList(t *core.Taxonomy, kind string) (*[]string, error) {
	switch kind {
	case "channel", "channels":
		return &t.Channels, nil
	case "audience", "audiences":
		return &t.Audiences, nil
	case "asset-type", "asset-types", "asset_type":
		return &t.AssetTypes, nil
	case "tag", "tags":
		return &t.Tags, nil
	}
	return nil, usageErrorf("unknown taxonomy kind %q: use channel, audience, asset-type or tag", kind)
}

func taxonomyEditCommand(env *Env, verb, short string, edit func([]string, string) []string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   verb + " KIND TERM",
		Short: short + " (KIND: channel, audience, asset-type, tag)",
		Args:  exactArgs("KIND", "TERM"),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := env.Backend.Taxonomy(cmd.Context())
			if err != nil {
				return err
			}
			list, err := taxonomyList(&t, args[0])
			if err != nil {
				return err
			}
			*list = edit(*list, strings.TrimSpace(args[1]))
			if err := env.Backend.SetTaxonomy(cmd.Context(), env.Identity, t); err != nil {
				return err
			}
			return table(env.Out, []string{strings.ToUpper(args[0]), ""}, [][]string{{strings.Join(*list, ", "), ""}})
		},
	}
	return needs(core.ActionEditExperiment, cmd)
}
