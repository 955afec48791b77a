package backend

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// Submit puts a brief's copy up for review (a first round, or the next one
// after changes were requested) for who. Empty copy is refused; so is,
// with a *core.WIPError, a move into review past its WIP limit unless
// force says the person confirmed it.
func (b *Backend) Submit(ctx context.Context, who core.Identity, briefID, flowID uint64, copyText string, force bool) (core.Review, error) {
	return b.SubmitWith(ctx, who, briefID, flowID, copyText, core.MoveOptions{Force: force})
}

// SubmitWith is Submit past the holds on the move into review opts says
// who confirmed, as MoveBriefWith.
func (b *Backend) SubmitWith(ctx context.Context, who core.Identity, briefID, flowID uint64, copyText string, opts core.MoveOptions) (core.Review, error) {
	if err := core.Authorize(who, core.ActionEditBrief); err != nil {
		return core.Review{}, err
	}
	if strings.TrimSpace(copyText) == "" {
		return core.Review{}, &core.FieldError{Record: "review", Field: "copy", Problem: "is empty; give the copy to review (--copy TEXT, or --variant ID for a generated one)"}
	}
	return b.store.SubmitAs(ctx, who.Name, briefID, flowID, copyText, opts)
}

// Decided is a decision recorded: the review after it and, when it
// approved the copy a brief's run waits on, the run as it went on.
type Decided struct {
	Review core.Review
	// Run is the brief's run after the approval took it on (done, waiting
	// for someone who may start its experiment, or stopped with its
	// reason); nil when no run waited on the review.
	Run *core.Run
}

// Decide records who's decision on a brief's review; the review's flow
// decides whether it is who's to make.
// An approval under a flow that requires claim support is held while a
// claim lacks evidence (declared results do not depend on the clock, so
// the check reads them as of now).
// An approval that completes the review goes on with the brief's run
// waiting on it, as who (see continueRun); the decision stands whatever
// the run does.
func (b *Backend) Decide(ctx context.Context, who core.Identity, d core.Decision) (Decided, error) {
	if err := b.checkClaims(ctx, &d, time.Now()); err != nil {
		return Decided{}, err
	}
	r, err := b.store.Decide(ctx, who, d)
	if err != nil {
		return Decided{Review: r}, err
	}
	out := Decided{Review: r}
	if r.Status == core.ReviewApproved {
		out.Run = b.continueRun(ctx, who, r.BriefID)
	}
	return out, nil
}

// Flows returns the approval flows.
func (b *Backend) Flows(ctx context.Context) ([]core.ApprovalFlow, error) { return b.store.Flows(ctx) }

// Queue returns pending reviews ordered by SLA risk; see core.BuildQueue.
// It reads the snapshot, so reviews, flows, briefs and the guideline are
// of one version and the briefs are decoded only when they changed.
func (b *Backend) Queue(ctx context.Context, who core.Identity, now time.Time, mine bool) ([]core.QueueEntry, error) {
	snap, err := b.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return core.BuildQueue(snap.Reviews, snap.Flows, snap.ByID(), snap.Guideline, who, snap.Hours, now, mine), nil
}

// Guideline returns the latest brand guidelines, or empty ones when none
// were saved.
func (b *Backend) Guideline(ctx context.Context) (core.BrandGuideline, error) {
	g, err := b.store.Guideline(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return core.BrandGuideline{}, nil
	}
	return g, err
}

// Reviews returns every review.
func (b *Backend) Reviews(ctx context.Context) ([]core.Review, error) { return b.store.Reviews(ctx) }

// Audit returns the whole audit trail.
func (b *Backend) Audit(ctx context.Context) ([]core.AuditEntry, error) { return b.store.Audit(ctx) }

// VerifyAudit checks the audit chain.
func (b *Backend) VerifyAudit(ctx context.Context) error { return b.store.VerifyAudit(ctx) }

// AddFlow stores an approval flow template for who; stages without an SLA
// get the default one.
func (b *Backend) AddFlow(ctx context.Context, who core.Identity, fl core.ApprovalFlow) (core.ApprovalFlow, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return fl, err
	}
	fl.Stages = slices.Clone(fl.Stages)
	for i := range fl.Stages {
		if fl.Stages[i].SLAHours == 0 {
			fl.Stages[i].SLAHours = b.settings.SLAHours
		}
	}
	return b.store.AddFlow(ctx, who.Name, fl)
}
