package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// componentGenerateCommand is `component generate`: components per slot
// for a brief from the local model, and every combination of them linted
// as whole copy.
func componentGenerateCommand(env *Env) *cobra.Command {
	var asJSON bool
	var slots []string
	var req backend.ComponentsRequest
	cmd := &cobra.Command{
		Use:   "generate --brief ID --slot headline=N --slot body=M --slot cta=K [--model M] [--seed S] [--json]",
		Short: "Generate draft components per slot for a brief with the local model, and lint every combination",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireBriefFlag(cmd, req.BriefID); err != nil {
				return err
			}
			counts, err := parseSlotCounts(slots)
			if err != nil {
				return err
			}
			req.Slots = counts
			if err := core.CheckSlotCounts(counts); err != nil {
				return usageErrorf("%s", strings.ReplaceAll(err.Error(), "\n", "; "))
			}
			if req.Model == "" {
				req.Model = env.models().Model
			}
			client, err := env.models().Client()
			if err != nil {
				return err
			}
			got, err := env.Backend.GenerateComponents(cmd.Context(), env.Identity, client, req, backend.ComponentsProgress{Component: func(c core.Component) {
				if !asJSON {
					fmt.Fprintf(env.Out, "%s component %d (lint %d/100, from variant %d): %s\n", sanitize.Line(c.Slot), c.ID, c.Lint.Score, c.Generated,
						common.Truncate(sanitize.Line(c.Text), 60, "…"))
				}
			}})
			stored := 0
			for _, s := range got.Slots {
				stored += len(s.Components)
			}
			if err != nil && stored == 0 {
				return err // nothing was made: no empty result to print
			}
			if asJSON {
				if werr := writeJSON(env.Out, got); werr != nil {
					return werr
				}
				return err
			}
			if werr := writeAssemblies(env, got); werr != nil {
				return werr
			}
			return err
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&req.BriefID, "brief", 0, "the brief to write for")
	fl.StringArrayVar(&slots, "slot", nil, "SLOT=N: how many components of a slot (headline, body, cta), 1 to 10 each")
	fl.StringVar(&req.Model, "model", "", "Ollama model (default: $TANDEM_MODEL, else the config's model, else "+backend.DefaultModel+")")
	fl.IntVar(&req.Seed, "seed", 1, "seed; the same seed, model and brief give the same components")
	fl.BoolVar(&asJSON, "json", false, "print the components and combinations as JSON")
	return streams(needs(core.ActionGenerate, cmd))
}

// parseSlotCounts reads --slot values, SLOT=N, in order.
func parseSlotCounts(specs []string) ([]core.SlotCount, error) {
	out := make([]core.SlotCount, 0, len(specs))
	for _, spec := range specs {
		slot, n, ok := strings.Cut(spec, "=")
		count, err := strconv.Atoi(strings.TrimSpace(n))
		if !ok || err != nil || strings.TrimSpace(slot) == "" {
			return nil, usageErrorf("--slot %q: use SLOT=N, such as headline=4", spec)
		}
		out = append(out, core.SlotCount{Slot: strings.ToLower(strings.TrimSpace(slot)), N: count})
	}
	return out, nil
}

// writeAssemblies says what generation by slot rejected and lists the
// combinations, each marked with the rules its assembled copy breaks.
func writeAssemblies(env *Env, got backend.GeneratedComponents) error {
	for _, r := range got.Rejected {
		fmt.Fprintf(env.Out, "rejected the %s of variant %d: %s\n", sanitize.Line(r.Slot), r.Generated, sanitize.Line(r.Problem))
	}
	breaking := 0
	rows := make([][]string, len(got.Combinations))
	for i, a := range got.Combinations {
		ids := make([]string, len(got.Slots))
		for j, s := range got.Slots {
			ids[j] = fmt.Sprint(a.Components[s.Slot])
		}
		mark := "ok"
		if len(a.Breaks) > 0 {
			breaking++
			rules := make([]string, len(a.Breaks))
			for k, f := range a.Breaks {
				rules[k] = f.Rule + ": " + f.Message
			}
			mark = "✗ " + strings.Join(rules, "; ")
		}
		rows[i] = []string{strings.Join(ids, "·"), fmt.Sprintf("%d", a.Lint.Score), sanitize.Line(mark)}
	}
	fmt.Fprintf(env.Out, "%d combinations for %s, %d breaking a rule (kept, marked):\n", len(got.Combinations), sanitize.Line(channelOr(got.Channel)), breaking)
	return table(env.Out, []string{"COMPONENTS", "LINT", "RULES"}, rows)
}

func channelOr(channel string) string {
	if channel == "" {
		return "no channel"
	}
	return channel
}
