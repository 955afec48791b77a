package cli

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

func runCommand(env *Env) *cobra.Command {
	var asJSON, force bool
	var skip string
	var req backend.RunRequest
	cmd := &cobra.Command{
		Use:   "run --brief ID [--resume] [--json]",
		Short: "Run a brief's template recipe: generate, lint, submit the best for approval and, once people approve, start the experiment",
		Long: "Run a brief's template recipe: generate its variants with the local model, drop those under the\n" +
			"recipe's minimum lint score, submit the best to the template's approval flow and, once people\n" +
			"approve, start the experiment from the template's experiment template with them. Each step is\n" +
			"saved with its machine time, tokens and cost (at the AI lane's rate); a run that stops (a\n" +
			"failure, a kill, a review still waiting) continues from its step with --resume, without\n" +
			"making a variant twice. The approval that completes the review takes the run on by itself,\n" +
			"as the approver; one who may not edit experiments leaves it ready to start for someone who may,\n" +
			"in their inbox. Set the recipe on the brief template with\n" +
			"`tandem template edit brief NAME --field recipe=variants:4,submit:2,min_lint_score:70`.",
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireBriefFlag(cmd, req.BriefID); err != nil {
				return err
			}
			if req.Model == "" {
				req.Model = env.models().Model
			}
			req.Move = core.MoveOptions{Force: force, SkipChecklist: skip}
			req.Now = env.Now()
			// Making the client dials nothing: a run past generating
			// needs no model server.
			client, err := env.models().Client()
			if err != nil {
				return err
			}
			advanced := false
			req.OnStep = func(r core.Run) {
				advanced = true
				if !asJSON {
					printRunStep(env.Out, r.Log[len(r.Log)-1])
				}
			}
			run, err := env.Backend.RunBrief(cmd.Context(), env.Identity, client, req)
			var waiting *core.RunWaitingError
			if errors.As(err, &waiting) && advanced {
				err = nil // a run that got as far as people is where it should be
			}
			var refused *core.FieldError
			if run.BriefID != 0 && !errors.As(err, &refused) {
				if asJSON {
					if werr := writeJSON(env.Out, run); werr != nil {
						return werr
					}
				} else {
					printRunEnd(env.Out, run)
				}
			}
			return err
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&req.BriefID, "brief", 0, "the brief to run; it must come from a brief template with a recipe")
	fl.BoolVar(&req.Resume, "resume", false, "continue the brief's run from the step it stopped at")
	fl.StringVar(&req.Model, "model", "", "Ollama model when the recipe names none (default: $TANDEM_MODEL, else the config's model, else "+backend.DefaultModel+")")
	fl.IntVar(&req.Seed, "seed", 1, "seed of a new run: variant i uses seed+i; a resumed run keeps the seed it started with")
	fl.BoolVar(&force, "force", false, "submit past the review stage's WIP limit")
	fl.StringVar(&skip, "skip-checklist", "", "submit with required checklist items unticked, for this REASON (audited)")
	fl.BoolVar(&asJSON, "json", false, "print the run: step, status, variant IDs, experiment and each step's cost")
	return streams(needs(core.ActionEditBrief, cmd))
}

// printRunStep writes one step done, with its cost.
func printRunStep(w io.Writer, l core.RunStepLog) {
	cost := ""
	if l.DurationMS >= 1 || l.TokensOut > 0 {
		cost = fmt.Sprintf("  (%s machine, %d tokens, cost %.4f)", time.Duration(l.DurationMS*float64(time.Millisecond)).Round(time.Millisecond), l.TokensIn+l.TokensOut, l.Cost)
	}
	fmt.Fprintf(w, "✓ %-10s %s%s\n", l.Step, sanitize.Line(l.Note), cost)
}

// printRunEnd writes where the run stands and what it cost in all.
func printRunEnd(w io.Writer, r core.Run) {
	total := r.Cost()
	fmt.Fprintf(w, "brief %d's run %s", r.BriefID, runState(r))
	fmt.Fprintf(w, "\ntotal: %s machine time, %d tokens, cost %.4f\n", time.Duration(total.DurationMS*float64(time.Millisecond)).Round(time.Millisecond), total.TokensIn+total.TokensOut, total.Cost)
}

// runState says where a run stands, after "brief N's run".
func runState(r core.Run) string {
	state := sanitize.Line(r.State())
	if r.Status == core.RunWaiting && r.Step == core.RunApproval {
		state += fmt.Sprintf("; resume with `tandem run --brief %d --resume` once approved", r.BriefID)
	}
	return state
}
