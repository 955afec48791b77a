package backend

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// UnsupportedClaimsError holds an approval under a flow that requires
// every claim in the copy to be backed by evidence.
type UnsupportedClaimsError struct {
	BriefID uint64
	Claims  []core.ClaimStatus
}

// Error implements error: one line, naming the first few claims.
func (e *UnsupportedClaimsError) Error() string {
	const shown = 3
	quoted := make([]string, 0, shown+1)
	for i, c := range e.Claims {
		if i == shown {
			quoted = append(quoted, fmt.Sprintf("and %d more (`tandem claim list %d`)", len(e.Claims)-shown, e.BriefID))
			break
		}
		quoted = append(quoted, fmt.Sprintf("%q (%s)", c.Text, c.State))
	}
	return fmt.Sprintf("brief %d's flow requires evidence for every claim, and %d %s not: %s; link each with `tandem claim link %d \"CLAIM\" --experiment KEY` or `--source TEXT`, or rewrite it",
		e.BriefID, len(e.Claims), map[bool]string{true: "is", false: "are"}[len(e.Claims) == 1], strings.Join(quoted, ", "), e.BriefID)
}

// LinkClaim ties a claim in brief id's review copy to its evidence. Anyone
// who may comment may link a decided experiment, which speaks for itself;
// a source is a person's word, so only those who decide approvals attach
// one, and never to a claim that is not in the copy.
func (b *Backend) LinkClaim(ctx context.Context, who core.Identity, id uint64, l core.ClaimLink) (core.Review, error) {
	action := core.ActionComment
	if l.Source != "" {
		action = core.ActionDecide
	}
	if err := core.Authorize(who, action); err != nil {
		return core.Review{}, err
	}
	r, _, err := b.reviewAndFlow(ctx, id)
	if err != nil {
		return core.Review{}, err
	}
	found := false
	for _, c := range core.DetectClaims(r.Copy()) {
		if core.SameClaim(c.Text, l.Claim) {
			l.Claim, found = c.Text, true
			break
		}
	}
	if !found {
		return core.Review{}, &core.FieldError{Record: "claim link", Field: "claim",
			Problem: fmt.Sprintf("is not a claim in brief %d's copy; `tandem claim list %d` shows its claims as written", id, id)}
	}
	return b.store.LinkClaim(ctx, who, id, l)
}

// Claims checks every claim in brief id's review copy against its linked
// evidence, with experiments read as of now.
func (b *Backend) Claims(ctx context.Context, id uint64, now time.Time) ([]core.ClaimStatus, error) {
	r, _, err := b.reviewAndFlow(ctx, id)
	if err != nil {
		return nil, err
	}
	return b.claimsOf(ctx, r, now)
}

func (b *Backend) claimsOf(ctx context.Context, r core.Review, now time.Time) ([]core.ClaimStatus, error) {
	experiments, err := b.store.Experiments(ctx)
	if err != nil {
		return nil, err
	}
	results := map[string]core.Result{}
	for _, e := range experiments {
		if e.Winner == "" {
			continue // only declared winners back claims
		}
		totals, err := b.store.Totals(ctx, e.Key)
		if err != nil {
			return nil, err
		}
		if res, ok := core.ExperimentResult(core.Analyze(e, totals, now, b.settings.Guards)); ok {
			results[e.Key] = res
		}
	}
	return core.ClaimsOf(r.Copy(), r.Claims, experiments, results), nil
}

// reviewAndFlow reads brief id's review and its flow.
func (b *Backend) reviewAndFlow(ctx context.Context, id uint64) (core.Review, core.ApprovalFlow, error) {
	reviews, err := b.store.Reviews(ctx)
	if err != nil {
		return core.Review{}, core.ApprovalFlow{}, err
	}
	for _, r := range reviews {
		if r.BriefID != id {
			continue
		}
		flows, err := b.store.Flows(ctx)
		if err != nil {
			return r, core.ApprovalFlow{}, err
		}
		for _, fl := range flows {
			if fl.ID == r.FlowID {
				return r, fl, nil
			}
		}
		return r, core.ApprovalFlow{}, fmt.Errorf("approval flow %d: %w", r.FlowID, store.ErrNotFound)
	}
	return core.Review{}, core.ApprovalFlow{}, fmt.Errorf("brief %d has no review; submit it with `tandem approvals submit`: %w", id, store.ErrNotFound)
}

// checkClaims holds an approval whose flow requires evidence for every
// claim while one lacks it. It pins the decision to the round it checked,
// so a round submitted meanwhile is not approved unread.
func (b *Backend) checkClaims(ctx context.Context, d *core.Decision, now time.Time) error {
	if d.Kind != core.DecisionApprove {
		return nil
	}
	r, fl, err := b.reviewAndFlow(ctx, d.BriefID)
	if err != nil || !fl.RequireClaimSupport {
		return err
	}
	d.Round = r.Round
	claims, err := b.claimsOf(ctx, r, now)
	if err != nil {
		return err
	}
	var missing []core.ClaimStatus
	for _, c := range claims {
		if c.State != core.ClaimSupported {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return &UnsupportedClaimsError{BriefID: d.BriefID, Claims: missing}
	}
	return nil
}
