package backend

import (
	"cmp"
	"context"
	"errors"
	"fmt"
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
	// Model generates when the recipe names none, Seed is variant 1's
	// seed; a run keeps both from its start.
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
	// ErrApprovedOtherCopy is returned when people approved copy other
	// than the variants the run submitted (a round revised in review):
	// the run starts experiments only on what it made and people approved.
	ErrApprovedOtherCopy = errors.New("the approved copy is not the run's variants")
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
		state := fmt.Sprintf("%s at %s", run.Status, run.Step)
		if run.Reason != "" {
			state += " (" + run.Reason + ")"
		}
		return run, &core.FieldError{Record: "run", Field: "brief", Problem: fmt.Sprintf("%d already has a run, %s; continue it with `tandem run --brief %d --resume`", req.BriefID, state, req.BriefID)}
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
	run.Seed = req.Seed
	return b.store.SaveRun(ctx, who.Name, "run.start", run)
}

// stopRun saves why run stopped, unless the run lost a race or its
// caller left (the next resume starts again where it stood), and returns
// it with err. A run waiting on people, or on someone whose role may take
// its step, is waiting; any other stop is a failure.
func (b *Backend) stopRun(ctx context.Context, who core.Identity, run core.Run, err error) (core.Run, error) {
	var conflict *core.ConflictError
	if errors.As(err, &conflict) || ctx.Err() != nil {
		return run, err
	}
	status, reason := core.RunFailed, oneLine(err)
	var waiting *core.RunWaitingError
	var perm *core.PermissionError
	switch {
	case errors.As(err, &waiting):
		status, reason = core.RunWaiting, waiting.Reason
	case errors.As(err, &perm):
		// A step that is not who's to take waits for someone whose it is.
		status, reason = core.RunWaiting, handOff(run, perm.Action)
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

// advanceAfter is advance for a step that took the machine time since
// start, costed at the AI lane's rate.
func (b *Backend) advanceAfter(ctx context.Context, who core.Identity, run core.Run, start time.Time, note string, next core.RunStep) (core.Run, error) {
	rate, err := b.aiRate(ctx)
	if err != nil {
		return run, err
	}
	d := time.Since(start)
	log := core.RunStepLog{DurationMS: float64(d) / float64(time.Millisecond), Cost: d.Hours() * rate, Note: note}
	return b.advance(ctx, who, run, log, next)
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

// Run returns a brief's run, or an error wrapping store.ErrNotFound.
func (b *Backend) Run(ctx context.Context, briefID uint64) (core.Run, error) {
	return b.store.Run(ctx, briefID)
}
