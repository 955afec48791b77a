package backend

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models"
	"github.com/tandem-ops/tandem/store"
)

// The steps of a brief's run (see RunBrief), each saving the run at the
// next step when it is done.

// runGenerate makes the variants the run still lacks, each stored with the
// run listing it, and logs the machine time and tokens of all of them.
func (b *Backend) runGenerate(ctx context.Context, who core.Identity, client *models.Client, run core.Run, req RunRequest) (core.Run, error) {
	model := run.Recipe.Model
	if len(run.Variants) < run.Recipe.Variants {
		if client == nil {
			return run, fmt.Errorf("generate: %w; start it with `ollama serve` (or set OLLAMA_HOST)", models.ErrNotRunning)
		}
		gen := GenerateRequest{BriefID: run.BriefID, N: run.Recipe.Variants, First: len(run.Variants), Model: model, Seed: cmp.Or(run.Seed, req.Seed), Now: req.Now}
		_, err := b.generate(ctx, who, client, gen, nil, req.OnVariant, func(v core.GeneratedVariant) (core.GeneratedVariant, error) {
			next, saved, err := b.store.AddRunVariant(ctx, who.Name, run, v)
			if err == nil {
				run = next
			}
			return saved, err
		})
		if err != nil {
			return run, fmt.Errorf("generate: %w", err)
		}
	}
	vs, err := b.runVariants(ctx, run.Variants)
	if err != nil {
		return run, err
	}
	var log core.RunStepLog
	var machine time.Duration
	for _, v := range vs {
		machine += v.Provenance.Duration
		log.TokensIn += v.Provenance.TokensIn
		log.TokensOut += v.Provenance.TokensOut
		log.Cost += v.Provenance.Cost
	}
	log.DurationMS = float64(machine) / float64(time.Millisecond)
	log.Note = fmt.Sprintf("made %d variants with %s", len(vs), model)
	return b.advance(ctx, who, run, log, core.RunLint)
}

// runLint lints the variants against the brand guidelines as they stand
// and keeps those at the recipe's minimum score, best first.
func (b *Backend) runLint(ctx context.Context, who core.Identity, run core.Run) (core.Run, error) {
	start := time.Now()
	vs, err := b.runVariants(ctx, run.Variants)
	if err != nil {
		return run, err
	}
	br, err := b.store.Brief(ctx, run.BriefID)
	if err != nil {
		return run, err
	}
	g, err := b.Guideline(ctx)
	if err != nil {
		return run, err
	}
	best := 0
	for i := range vs {
		vs[i].Lint = core.Lint(vs[i].Copy.Text(), br.Channel, g)
		best = max(best, vs[i].Lint.Score)
	}
	kept, dropped := core.KeepByLint(vs, run.Recipe.MinLintScore)
	if len(kept) == 0 {
		return run, fmt.Errorf("lint: %w (%d; the best scored %d): edit the guideline or the template's recipe, then resume", ErrNothingPassedLint, run.Recipe.MinLintScore, best)
	}
	run.Kept = nil
	for _, v := range kept {
		run.Kept = append(run.Kept, v.ID)
	}
	note := fmt.Sprintf("kept %d of %d at lint ≥ %d", len(kept), len(vs), run.Recipe.MinLintScore)
	if len(dropped) > 0 {
		note += ", dropped " + idList(dropped)
	}
	return b.advanceAfter(ctx, who, run, start, note, core.RunSubmit)
}

// idList writes IDs as "#3, #5".
func idList(ids []uint64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("#%d", id)
	}
	return strings.Join(parts, ", ")
}

// runSubmit submits the best of the kept variants, as one copy, to the
// approval flow the brief's template names. A review already holding that
// copy (a run stopped right after submitting) is not submitted again.
func (b *Backend) runSubmit(ctx context.Context, who core.Identity, run core.Run, move core.MoveOptions) (core.Run, error) {
	start := time.Now()
	top := run.Kept[:min(run.Recipe.Submit, len(run.Kept))]
	vs, err := b.runVariants(ctx, top)
	if err != nil {
		return run, err
	}
	text := core.RunCopy(vs)
	r, found, err := b.reviewOf(ctx, run.BriefID)
	if err != nil {
		return run, err
	}
	if !found || r.Copy() != text || r.Status == core.ReviewChangesRequested {
		if r, err = b.SubmitWith(ctx, who, run.BriefID, 0, text, move); err != nil {
			return run, fmt.Errorf("submit: %w", err)
		}
	}
	run.Submitted = slices.Clone(top)
	flow := fmt.Sprintf("flow %d", r.FlowID)
	if flows, err := b.store.Flows(ctx); err == nil {
		for _, fl := range flows {
			if fl.ID == r.FlowID {
				flow = fl.Name
			}
		}
	}
	note := fmt.Sprintf("submitted %s to %s, round %d", idList(top), flow, r.Round)
	return b.advanceAfter(ctx, who, run, start, note, core.RunApproval)
}

// reviewOf returns a brief's review and whether it has one.
func (b *Backend) reviewOf(ctx context.Context, briefID uint64) (core.Review, bool, error) {
	reviews, err := b.store.Reviews(ctx)
	if err != nil {
		return core.Review{}, false, err
	}
	for _, r := range reviews {
		if r.BriefID == briefID {
			return r, true, nil
		}
	}
	return core.Review{}, false, nil
}

// runApproval goes on once people approved the run's review; the run
// never approves.
func (b *Backend) runApproval(ctx context.Context, who core.Identity, run core.Run) (core.Run, error) {
	start := time.Now()
	r, found, err := b.reviewOf(ctx, run.BriefID)
	if err != nil {
		return run, err
	}
	if !found {
		return run, fmt.Errorf("approval: brief %d has no review; submit it with `tandem approvals submit`", run.BriefID)
	}
	switch r.Status {
	case core.ReviewApproved:
		vs, err := b.runVariants(ctx, run.Submitted)
		if err != nil {
			return run, err
		}
		if r.Copy() != core.RunCopy(vs) {
			return run, fmt.Errorf("approval: %w (round %d was revised in review); start its experiment by hand with `tandem experiment add`", ErrApprovedOtherCopy, r.Round)
		}
	case core.ReviewPending:
		waiting := "approval"
		if flows, err := b.store.Flows(ctx); err == nil {
			for _, fl := range flows {
				if fl.ID == r.FlowID && r.Stage < len(fl.Stages) {
					waiting = fmt.Sprintf("approval of round %d at stage %s by %s", r.Round, fl.Stages[r.Stage].Name, strings.Join(r.Waiting(fl), ", "))
				}
			}
		}
		return run, &core.RunWaitingError{BriefID: run.BriefID, Reason: waiting}
	case core.ReviewRejected:
		return run, fmt.Errorf("approval: %w: it was rejected, which ends the run; file a new brief to try again", ErrReviewClosed)
	default:
		return run, fmt.Errorf("approval: %w: it is %s, which ends the run; revise it with `tandem approvals submit %d` and, once approved, start its experiment with `tandem experiment add`", ErrReviewClosed, r.Status, run.BriefID)
	}
	note := fmt.Sprintf("approved in round %d", r.Round)
	return b.advanceAfter(ctx, who, run, start, note, core.RunExperiment)
}

// runExperiment starts the experiment of the approved variants from the
// experiment template the brief's template names (the workspace's
// defaults when it names none). An experiment the run already started is
// not started again.
func (b *Backend) runExperiment(ctx context.Context, who core.Identity, run core.Run) (core.Run, error) {
	if err := core.Authorize(who, core.ActionEditExperiment); err != nil {
		return run, fmt.Errorf("experiment: %w", err)
	}
	start := time.Now()
	br, err := b.store.Brief(ctx, run.BriefID)
	if err != nil {
		return run, err
	}
	vs, err := b.runVariants(ctx, run.Submitted)
	if err != nil {
		return run, err
	}
	e, found, err := b.runExperimentStarted(ctx, core.RunExperimentFor(br, vs))
	if err != nil {
		return run, fmt.Errorf("experiment: %w", err)
	}
	if !found {
		t, err := b.store.Template(ctx, core.TemplateBrief, run.Template, run.TemplateVersion)
		if err != nil {
			return run, err
		}
		if name := t.Brief.Experiment; name != "" {
			e, err = b.AddExperimentFromTemplate(ctx, who, name, e)
		} else {
			e, err = b.AddExperiment(ctx, who, e)
		}
		if errors.Is(err, store.ErrExists) {
			// Another resume of the run (an approval taking it on, say)
			// started it meanwhile: one experiment, whoever started it.
			e, _, err = b.runExperimentStarted(ctx, e)
		}
		if err != nil {
			return run, fmt.Errorf("experiment: %w", err)
		}
	}
	run.Experiment = e.Key
	note := fmt.Sprintf("started experiment %s: a control and %d variants", e.Key, len(vs))
	if e.Template != "" {
		note += fmt.Sprintf(", from template %s@%d", e.Template, e.TemplateVersion)
	}
	return b.advanceAfter(ctx, who, run, start, note, core.RunDone)
}

// runExperimentStarted returns the experiment e's run already started
// under e's key, and whether there is one; a key another experiment
// holds is an error saying what to do.
func (b *Backend) runExperimentStarted(ctx context.Context, e core.Experiment) (core.Experiment, bool, error) {
	existing, err := b.store.Experiment(ctx, e.Key)
	switch {
	case err == nil && existing.BriefID == e.BriefID:
		return existing, true, nil
	case err == nil:
		return e, false, fmt.Errorf("key %s is taken by another experiment; rename it, then resume", e.Key)
	case errors.Is(err, store.ErrNotFound):
		return e, false, nil
	}
	return e, false, err
}
