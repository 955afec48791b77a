package backend

import (
	"context"
	"fmt"

	"github.com/tandem-ops/tandem/core"
)

// NotApprovedError is returned when a brief would move past review
// without an approved review, by someone who may not decide approvals.
type NotApprovedError struct {
	Who     core.Identity
	BriefID uint64
	To      core.Stage
}

// Error implements error.
func (e *NotApprovedError) Error() string {
	return fmt.Sprintf("%s (%s) may not move brief %d to %s: it has no approved review; submit it (`tandem approvals submit %d`) and let an approver decide",
		e.Who.Name, e.Who.Role, e.BriefID, e.To.Slug(), e.BriefID)
}

// checkApprovalGate keeps the approval queue the only way past review:
// moving a brief into approved or beyond from before it needs its review
// approved, unless the mover may decide approvals themselves (approvers,
// admins).
func (b *Backend) checkApprovalGate(ctx context.Context, who core.Identity, id uint64, to core.Stage) error {
	if to < core.StageApproved || core.Can(who.Role, core.ActionDecide) {
		return nil
	}
	br, err := b.store.Brief(ctx, id)
	if err != nil {
		return err
	}
	if br.Stage >= core.StageApproved {
		return nil // already past review: approved → live → retro
	}
	reviews, err := b.store.Reviews(ctx)
	if err != nil {
		return err
	}
	for _, r := range reviews {
		if r.BriefID == id && r.Status == core.ReviewApproved {
			return nil
		}
	}
	return &NotApprovedError{Who: who, BriefID: id, To: to}
}
