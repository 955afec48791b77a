package backend

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// continueRun takes on, as who, the run of brief briefID once who's
// decision approved its review: the approval step, then the experiment
// step, neither of which needs the model. Each step checks who may do it
// as a resume does: an approver who may not edit experiments leaves the
// run waiting for someone who may (stopRun says so on the run, and
// core.RunInbox tells them). A step that fails saves its reason on the
// run and goes no further; the approval, already committed, stands. It
// returns the run as it stands, or nil when no run waited on the review.
//
// The approval is what the run waited for, so it goes on even if the
// caller leaves right after deciding: a half-done continuation would
// need a resume nobody remembers; the steps have a deadline of their
// own instead. A run that cannot be read now is left
// where it stands; its resume reads it again and says why.
func (b *Backend) continueRun(ctx context.Context, who core.Identity, briefID uint64) *core.Run {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), continueRunDeadline)
	defer cancel()
	run, err := b.store.Run(ctx, briefID)
	if err != nil || run.Step != core.RunApproval || run.Status == core.RunFailed {
		// A failed run said it ends there, and people take it on by hand.
		return nil
	}
	for tries := 1; run.Step != core.RunDone; {
		next, err := b.runStep(ctx, who, nil, run, RunRequest{})
		var conflict *core.ConflictError
		switch {
		case errors.As(err, &conflict):
			// Someone saved the run first: a resume that went on, or
			// one that read the review before this approval and saved
			// the run still waiting. Go on from what they saved.
			latest, err := b.store.Run(ctx, briefID)
			if err != nil {
				return nil
			}
			if latest.Step != core.RunApproval || latest.Status == core.RunFailed || tries == continueRunTries {
				return &latest
			}
			run, tries = latest, tries+1
			continue
		case err != nil:
			// The run holds the reason it stopped; the approval stands.
			stopped, _ := b.stopRun(ctx, who, next, err)
			return &stopped
		}
		run = next
	}
	return &run
}

// continueRunTries bounds how often a run's going on after an approval
// starts again from a save that came first.
const continueRunTries = 3

// continueRunDeadline bounds a run's going on after an approval: its
// steps are writes, not generation.
const continueRunDeadline = 30 * time.Second

// handOff is what a run stopped at a step who may not take waits for:
// someone whose role may take action.
func handOff(run core.Run, action core.Action) string {
	resume := fmt.Sprintf("`tandem run --brief %d --resume`", run.BriefID)
	if run.ReadyToStart() {
		return fmt.Sprintf("approved, ready to start: %s by someone who may %s", resume, action)
	}
	return fmt.Sprintf("waits for someone who may %s: %s", action, resume)
}
