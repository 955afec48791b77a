package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// models are the caller's model settings over the workspace's (or, with
// no workspace open, over this process's).
func (env *Env) models() backend.ModelSettings {
	base := env.Settings.Models
	if env.Backend != nil {
		base = env.Backend.Models()
	}
	ms := env.Models.Or(base)
	// A command forwarded from this machine's shell gets the errors of
	// one that runs here; one over SSH, those for another machine.
	ms.Remote = env.Remote
	return ms
}

func modelsCommand(env *Env) *cobra.Command {
	var asJSON bool
	pull := &cobra.Command{
		Use:   "pull NAME",
		Short: "Fetch a model into the local Ollama server, with progress",
		Args:  exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			client, err := env.models().Client()
			if err != nil {
				return err
			}
			// One line per status and per tenth done: a carriage return to
			// redraw the line is a control character the sanitizing Err
			// removes, as it must for the server's status text.
			last := ""
			err = client.Pull(cmd.Context(), args[0], func(status string, done, total int64) {
				line := sanitize.Line(status)
				if total > 0 {
					const width = 30
					filled := int(width * done / total / 3 * 3)
					line = fmt.Sprintf("%-24s [%s%s] %3d%%", line, strings.Repeat("█", filled), strings.Repeat("░", width-filled), 10*done/total*10)
				}
				if line != last {
					fmt.Fprintln(env.Err, line)
					last = line
				}
			})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(env.Out, "pulled %s\n", args[0])
			return err
		},
	}
	cmd := &cobra.Command{
		Use:   "models [--json]",
		Short: "List the local Ollama server's models ($OLLAMA_HOST)",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			client, err := env.models().Client()
			if err != nil {
				return err
			}
			list, err := client.Models(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, list)
			}
			rows := make([][]string, len(list))
			for i, m := range list {
				rows[i] = []string{m.Name, m.Family, m.Params, fmt.Sprintf("%.1f MB", float64(m.Size)/(1<<20)), m.Digest[:min(12, len(m.Digest))]}
			}
			return table(env.Out, []string{"NAME", "FAMILY", "PARAMETERS", "SIZE", "DIGEST"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	// Pulling fills the model server's disk and network for everyone:
	// an admin's call.
	cmd.AddCommand(streams(allows(core.ActionPullModels, pull)))
	return allows(core.ActionRead, cmd)
}

func generateCommand(env *Env) *cobra.Command {
	var asJSON bool
	var req backend.GenerateRequest
	cmd := &cobra.Command{
		Use:   "generate --brief ID [--n N] [--model M] [--seed S] [--json]",
		Short: "Generate on-brand copy variants for a brief with the local model, stored with provenance",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireBriefFlag(cmd, req.BriefID); err != nil {
				return err
			}
			if req.N < 1 || req.N > 20 {
				return usageErrorf("--n %d: use 1 to 20", req.N)
			}
			if req.Model == "" {
				req.Model = env.models().Model
			}
			client, err := env.models().Client()
			if err != nil {
				return err
			}
			vs, err := env.Backend.Generate(cmd.Context(), env.Identity, client, req, nil, func(v core.GeneratedVariant) {
				if !asJSON {
					fmt.Fprintf(env.Out, "variant %d: lint %d/100, %d tokens in %.1fs%s\n  %s\n", v.ID, v.Lint.Score, v.Provenance.TokensOut,
						v.Provenance.Duration.Seconds(), truncatedNote(v), strings.ReplaceAll(sanitize.Text(v.Copy.Text()), "\n", "\n  "))
				}
			})
			if asJSON && len(vs) > 0 {
				if werr := writeJSON(env.Out, vs); werr != nil {
					return werr
				}
			}
			return err
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&req.BriefID, "brief", 0, "the brief to write for")
	fl.IntVar(&req.N, "n", 3, "how many variants")
	fl.StringVar(&req.Model, "model", "", "Ollama model (default: $TANDEM_MODEL, else the config's model, else "+backend.DefaultModel+")")
	fl.IntVar(&req.Seed, "seed", 1, "seed; the same seed, model and brief give the same variants")
	fl.BoolVar(&asJSON, "json", false, "print the stored variants as JSON")
	return streams(needs(core.ActionGenerate, cmd))
}

func truncatedNote(v core.GeneratedVariant) string {
	if v.Provenance.Truncated {
		return " ⚠ the prompt filled the model's context window"
	}
	return ""
}
