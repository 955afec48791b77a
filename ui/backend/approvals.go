package backend

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// Submit puts a brief's copy up for review (a first round, or the next one
// after changes were requested) for who.
func (b *Backend) Submit(ctx context.Context, who core.Identity, briefID, flowID uint64, copyText string) (core.Review, error) {
	if err := core.Authorize(who, core.ActionEditBrief); err != nil {
		return core.Review{}, err
	}
	return b.store.Submit(ctx, who.Name, briefID, flowID, copyText)
}

// Decide records who's decision on a brief's review; the review's flow
// decides whether it is who's to make.
func (b *Backend) Decide(ctx context.Context, who core.Identity, d core.Decision) (core.Review, error) {
	return b.store.Decide(ctx, who, d)
}

// Flows returns the approval flows.
func (b *Backend) Flows(ctx context.Context) ([]core.ApprovalFlow, error) { return b.store.Flows(ctx) }

// QueueEntry is a pending review with what an approver needs beside it.
type QueueEntry struct {
	Review  core.Review       `json:"review"`
	Brief   core.Brief        `json:"brief"`
	Flow    core.ApprovalFlow `json:"flow"`
	Stage   string            `json:"stage"`
	Waiting []string          `json:"waiting_on"`
	SLA     core.SLA          `json:"sla"`
	Lint    core.LintResult   `json:"lint"`
}

// Queue returns pending reviews ordered by SLA risk: all of them for the
// team view, or for mine only those waiting on who (an admin may decide
// any, so an admin's queue is the team's).
func (b *Backend) Queue(ctx context.Context, who core.Identity, now time.Time, mine bool) ([]QueueEntry, error) {
	reviews, err := b.store.Reviews(ctx)
	if err != nil {
		return nil, err
	}
	flows, err := b.store.Flows(ctx)
	if err != nil {
		return nil, err
	}
	guideline, err := b.store.Guideline(ctx)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	byID := map[uint64]core.ApprovalFlow{}
	for _, f := range flows {
		byID[f.ID] = f
	}
	wh := core.DefaultWorkingHours()
	items := make([]core.QueueItem, 0, len(reviews))
	for i := range reviews {
		r := &reviews[i]
		fl := byID[r.FlowID]
		if r.Status != core.ReviewPending {
			continue
		}
		if mine && who.Role != core.RoleAdmin && !slices.Contains(r.Waiting(fl), who.Name) {
			continue
		}
		items = append(items, core.QueueItem{Review: r, SLA: core.SLAOf(*r, fl, wh, now)})
	}
	core.OrderQueue(items)
	out := make([]QueueEntry, 0, len(items))
	for _, it := range items {
		fl := byID[it.Review.FlowID]
		br, err := b.store.Brief(ctx, it.Review.BriefID)
		if err != nil {
			return nil, err
		}
		e := QueueEntry{Review: *it.Review, Brief: br, Flow: fl, Waiting: it.Review.Waiting(fl), SLA: it.SLA,
			Lint: core.Lint(it.Review.Copy(), br.Channel, guideline)}
		if it.Review.Stage < len(fl.Stages) {
			e.Stage = fl.Stages[it.Review.Stage].Name
		}
		out = append(out, e)
	}
	return out, nil
}

// Audit returns the whole audit trail.
func (b *Backend) Audit(ctx context.Context) ([]core.AuditEntry, error) { return b.store.Audit(ctx) }

// VerifyAudit checks the audit chain.
func (b *Backend) VerifyAudit(ctx context.Context) error { return b.store.VerifyAudit(ctx) }

// AddFlow stores an approval flow template for who.
func (b *Backend) AddFlow(ctx context.Context, who core.Identity, fl core.ApprovalFlow) (core.ApprovalFlow, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return fl, err
	}
	return b.store.AddFlow(ctx, who.Name, fl)
}
