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

// RunRequest asks for a brief's run of its template's recipe.
type RunRequest struct {
	BriefID uint64
	// Resume continues a run stopped at a step (a failure, a kill, or a
	// review that was waiting); without it a brief that has a run is
	// refused.
	Resume bool
	// Model generates when the recipe names none; the run keeps it.
	Model string
	Seed  int
	// Move are the holds on the move into review the person confirmed
	// (a checklist skipped with a reason).
	Move core.MoveOptions
	Now  time.Time
	// OnStep sees the run after every step it saves, and OnVariant each
	// variant as it is stored.
	OnStep    func(core.Run)
	OnVariant func(core.GeneratedVariant)
}

// Errors of a run's steps.
var (
	// ErrNothingPassedLint is returned when no variant reaches the
	// recipe's minimum lint score.
	ErrNothingPassedLint = errors.New("no variant reached the recipe's minimum lint score")
	// ErrReviewClosed is returned when the run's review came back with
	// changes requested or was rejected: a person takes it from there.
	ErrReviewClosed = errors.New("the run's review was not approved")
)

// RunBrief runs, for who, brief req.BriefID's template recipe from where
// it stands: generate the variants still to make, lint them and keep those
// at the minimum score, submit the best to the template's approval flow,
// wait for people to approve, then start the experiment with them. Each
// step is saved with its machine time, tokens and cost before the next
// starts. A step that fails saves the reason and returns the error; one
// waiting on approval returns a *core.RunWaitingError. Each step checks
// who may do it, so a creative's run may wait for someone who edits
// experiments to resume it.
func (b *Backend) RunBrief(ctx context.Context, who core.Identity, client *models.Client, req RunRequest) (core.Run, error) {
	if err := core.Authorize(who, core.ActionEditBrief); err != nil {
		return core.Run{}, err
	}
	run, err := b.startRun(ctx, who, req)
	if err != nil {
		return run, err
	}
	for run.Step != core.RunDone {
		// A step returns the run as far as it saved it (a variant or
		// two), to stop from.
		next, err := b.runStep(ctx, who, client, run, req)
		if err != nil {
			return b.stopRun(ctx, who, next, err)
		}
		run = next
		if req.OnStep != nil {
			req.OnStep(run)
		}
	}
	return run, nil
}

// startRun returns the run to go on with: a new one, or with req.Resume
// the stored one.
func (b *Backend) startRun(ctx context.Context, who core.Identity, req RunRequest) (core.Run, error) {
	run, err := b.store.Run(ctx, req.BriefID)
	switch {
	case err == nil && !req.Resume:
		if run.Status == core.RunFinished {
			return run, &core.FieldError{Record: "run", Field: "brief", Problem: fmt.Sprintf("%d already ran: experiment %s; see it with `tandem experiment show %s`", req.BriefID, run.Experiment, run.Experiment)}
		}
		return run, &core.FieldError{Record: "run", Field: "brief", Problem: fmt.Sprintf("%d has a run stopped at %s; continue it with `tandem run --brief %d --resume`", req.BriefID, run.Step, req.BriefID)}
	case err == nil:
		return run, nil
	case !errors.Is(err, store.ErrNotFound):
		return run, err
	case req.Resume:
		return run, &core.FieldError{Record: "run", Field: "resume", Problem: fmt.Sprintf("brief %d has no run to resume; start one with `tandem run --brief %d`", req.BriefID, req.BriefID)}
	}
	br, err := b.store.Brief(ctx, req.BriefID)
	if err != nil {
		return run, err
	}
	if br.Template == "" {
		return run, &core.FieldError{Record: "run", Field: "brief", Problem: fmt.Sprintf("%d was not made from a template; a run follows its brief template's recipe", br.ID)}
	}
	t, err := b.store.Template(ctx, core.TemplateBrief, br.Template, br.TemplateVersion)
	if err != nil {
		return run, err
	}
	if run, err = core.NewRun(t, br); err != nil {
		return run, err
	}
	// The run keeps the model it starts with: a resumed run makes the
	// rest of its variants with the same one.
	run.Recipe.Model = cmp.Or(run.Recipe.Model, req.Model, DefaultModel)
	return b.store.SaveRun(ctx, who.Name, "run.start", run)
}

// stopRun saves why run stopped, unless the run lost a race or its
// caller left (the next resume starts again where it stood), and returns
// it with err.
func (b *Backend) stopRun(ctx context.Context, who core.Identity, run core.Run, err error) (core.Run, error) {
	var conflict *core.ConflictError
	if errors.As(err, &conflict) || ctx.Err() != nil {
		return run, err
	}
	status, reason := core.RunFailed, oneLine(err)
	var waiting *core.RunWaitingError
	if errors.As(err, &waiting) {
		status, reason = core.RunWaiting, waiting.Reason
	}
	if run.Status == status && run.Reason == reason {
		return run, err
	}
	run.Status, run.Reason = status, reason
	saved, serr := b.store.SaveRun(ctx, who.Name, "run."+string(status), run)
	if serr != nil {
		return run, errors.Join(err, serr)
	}
	return saved, err
}

// oneLine is err's message on one line, for a run's reason.
func oneLine(err error) string {
	return strings.Join(strings.FieldsFunc(err.Error(), func(r rune) bool { return r == '\n' || r == '\r' }), "; ")
}

// runStep does run's current step and saves the run at the next one.
func (b *Backend) runStep(ctx context.Context, who core.Identity, client *models.Client, run core.Run, req RunRequest) (core.Run, error) {
	if err := ctx.Err(); err != nil {
		return run, err
	}
	switch run.Step {
	case core.RunGenerate:
		return b.runGenerate(ctx, who, client, run, req)
	case core.RunLint:
		return b.runLint(ctx, who, run)
	case core.RunSubmit:
		return b.runSubmit(ctx, who, run, req.Move)
	case core.RunApproval:
		return b.runApproval(ctx, who, run)
	case core.RunExperiment:
		return b.runExperiment(ctx, who, run)
	}
	return run, fmt.Errorf("run of brief %d is at an unknown step %q", run.BriefID, run.Step)
}

// advance logs a step done and saves run at the step after it.
func (b *Backend) advance(ctx context.Context, who core.Identity, run core.Run, log core.RunStepLog, next core.RunStep) (core.Run, error) {
	log.Step, log.Actor = run.Step, who.Name // the store stamps the time
	run.Log = append(run.Log, log)
	done := run.Step
	run.Step, run.Status, run.Reason = next, core.RunRunning, ""
	if next == core.RunDone {
		run.Status = core.RunFinished
	}
	return b.store.SaveRun(ctx, who.Name, "run."+string(done), run)
}

// machineLog is a step that took d of machine time, costed at the AI
// lane's rate.
func (b *Backend) machineLog(ctx context.Context, d time.Duration, note string) core.RunStepLog {
	rate, _ := b.aiRate(ctx)
	return core.RunStepLog{DurationMS: float64(d) / float64(time.Millisecond), Cost: d.Hours() * rate, Note: note}
}

// aiRate is the AI lane's cost per hour: 0 without an AI lane.
func (b *Backend) aiRate(ctx context.Context) (float64, error) {
	people, err := b.store.People(ctx)
	if err != nil {
		return 0, err
	}
	for _, p := range people {
		if p.Lane == core.LaneAI {
			return p.CostPerHour, nil
		}
	}
	return 0, nil
}

// runVariants returns the run's variants with the given IDs, in order.
func (b *Backend) runVariants(ctx context.Context, ids []uint64) ([]core.GeneratedVariant, error) {
	out := make([]core.GeneratedVariant, len(ids))
	for i, id := range ids {
		v, err := b.store.Generated(ctx, id)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// runGenerate makes the variants the run still lacks, each stored with the
// run listing it, and logs the machine time and tokens of all of them.
func (b *Backend) runGenerate(ctx context.Context, who core.Identity, client *models.Client, run core.Run, req RunRequest) (core.Run, error) {
	model := run.Recipe.Model
	if len(run.Variants) < run.Recipe.Variants {
		if client == nil {
			return run, fmt.Errorf("generate: %w; start it with `ollama serve` (or set OLLAMA_HOST)", models.ErrNotRunning)
		}
		gen := GenerateRequest{BriefID: run.BriefID, N: run.Recipe.Variants, First: len(run.Variants), Model: model, Seed: req.Seed, Now: req.Now}
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
	return b.advance(ctx, who, run, b.machineLog(ctx, time.Since(start), note), core.RunSubmit)
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
	return b.advance(ctx, who, run, b.machineLog(ctx, time.Since(start), note), core.RunApproval)
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
	default:
		return run, fmt.Errorf("approval: %w: it is %s; revise and resubmit it with `tandem approvals submit %d`, then resume", ErrReviewClosed, r.Status, run.BriefID)
	}
	note := fmt.Sprintf("approved in round %d", r.Round)
	return b.advance(ctx, who, run, b.machineLog(ctx, time.Since(start), note), core.RunExperiment)
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
	e := core.RunExperimentFor(br, vs)
	existing, err := b.store.Experiment(ctx, e.Key)
	switch {
	case err == nil && existing.BriefID == br.ID:
		e = existing
	case err == nil:
		return run, fmt.Errorf("experiment: key %s is taken by another experiment; rename it, then resume", e.Key)
	case !errors.Is(err, store.ErrNotFound):
		return run, err
	default:
		t, terr := b.store.Template(ctx, core.TemplateBrief, run.Template, run.TemplateVersion)
		if terr != nil {
			return run, terr
		}
		if name := t.Brief.Experiment; name != "" {
			e, err = b.AddExperimentFromTemplate(ctx, who, name, e)
		} else {
			e, err = b.AddExperiment(ctx, who, e)
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
	return b.advance(ctx, who, run, b.machineLog(ctx, time.Since(start), note), core.RunDone)
}

// Run returns a brief's run, or an error wrapping store.ErrNotFound.
func (b *Backend) Run(ctx context.Context, briefID uint64) (core.Run, error) {
	return b.store.Run(ctx, briefID)
}
