package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

func tagCommand(env *Env) *cobra.Command {
	return group("tag", "Taxonomy terms for briefs, suggested by the local model", tagSuggestCommand(env))
}

func tagSuggestCommand(env *Env) *cobra.Command {
	var asJSON, accept bool
	var briefID uint64
	var model string
	var seed int
	cmd := &cobra.Command{
		Use:   "suggest --brief ID [--accept] [--model M] [--seed S] [--json]",
		Short: "Ask the local model which channel, audience, asset type and tags fit a brief: only the taxonomy's terms; --accept saves them",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireBriefFlag(cmd, briefID); err != nil {
				return err
			}
			if model == "" {
				model = env.models().Model
			}
			client, err := env.models().Client()
			if err != nil {
				return err
			}
			before, err := env.Backend.Brief(cmd.Context(), briefID)
			if err != nil {
				return err
			}
			s, err := env.Backend.SuggestTags(cmd.Context(), env.Identity, client, briefID, model, seed)
			if err != nil {
				return err
			}
			var saved core.Brief
			if accept {
				if saved, err = env.Backend.AcceptTags(cmd.Context(), env.Identity, s, before.Version); err != nil {
					return err
				}
			}
			if asJSON {
				return writeJSON(env.Out, s)
			}
			return printSuggestion(env, s, accept, saved)
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&briefID, "brief", 0, "the brief to suggest terms for")
	fl.BoolVar(&accept, "accept", false, "save the suggested terms on the brief (tags join its own)")
	fl.StringVar(&model, "model", "", "Ollama model (default: $TANDEM_MODEL, else the config's model, else "+backend.DefaultModel+")")
	fl.IntVar(&seed, "seed", 1, "seed; the same seed, model and brief give the same suggestion")
	fl.BoolVar(&asJSON, "json", false, "print the suggestion, with its provenance, as JSON")
	return streams(needs(core.ActionGenerate, cmd))
}

func printSuggestion(env *Env, s core.TagSuggestion, accepted bool, saved core.Brief) error {
	p := s.Provenance
	fmt.Fprintf(env.Out, "brief %d: suggested by %s (seed %d, %d tokens in %.1fs), from the taxonomy only\n", s.BriefID, sanitize.Line(p.Model), p.Seed, p.TokensOut, p.Duration.Seconds())
	rows := [][]string{{"channel", s.Channel}, {"audience", s.Audience}, {"asset type", s.AssetType}, {"tags", strings.Join(s.Tags, ", ")}}
	if err := table(env.Out, []string{"TERM", "SUGGESTED"}, rows); err != nil {
		return err
	}
	if accepted {
		_, err := fmt.Fprintf(env.Out, "saved on brief %d (version %d)\n", saved.ID, saved.Version)
		return err
	}
	_, err := fmt.Fprintf(env.Out, "save them with --accept, or pick others with `tandem brief edit %d`\n", s.BriefID)
	return err
}
