package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// ErrNoFlow is returned by Submit when the workspace has no approval flow.
var ErrNoFlow = errors.New("no approval flow; add one first")

// Submit puts a brief's copy up for review: round 1 of a new review under
// flowID (0 picks the flow for the brief's asset type, else the first), or
// the next round after changes were requested. The brief moves to review,
// past its WIP limit if need be (see SubmitWithin).
func (s *Store) Submit(ctx context.Context, actor string, briefID, flowID uint64, copyText string) (core.Review, error) {
	return s.submit(ctx, actor, briefID, flowID, copyText, nil)
}

// submit is Submit, refusing a move into review past the holds opts does
// not go past (see checkMove); nil checks none.
func (s *Store) submit(ctx context.Context, actor string, briefID, flowID uint64, copyText string, opts *core.MoveOptions) (core.Review, error) {
	var r core.Review
	err := s.update(ctx, actor, func(w *writeTx) error {
		b, err := getBrief(w.tx, briefID)
		if err != nil {
			return fmt.Errorf("brief %d: %w", briefID, err)
		}
		next, action, err := w.checkMove(b, core.StageReview, opts)
		if err != nil {
			return err
		}
		before := w.tx.Bucket(bucketReviews).Get(itob(briefID))
		if before != nil {
			if err := json.Unmarshal(before, &r); err != nil {
				return err
			}
		} else {
			fl, err := pickFlow(w.tx, flowID, b)
			if err != nil {
				return err
			}
			r = core.Review{BriefID: briefID, FlowID: fl.ID, Owner: b.Owner}
		}
		if r, err = r.Submit(copyText, actor, w.now); err != nil {
			return err
		}
		if err := w.putReview(r, before, "review.submit"); err != nil {
			return err
		}
		return w.moveBriefTo(b, next, core.StageReview, action)
	})
	if err != nil {
		return r, fmt.Errorf("submit brief %d for review: %w", briefID, err)
	}
	return r, nil
}

// pickFlow returns the flow with id; when id is 0, the newest flow added
// from the flow template b's brief template names, else the flow for b's
// asset type, else the first.
func pickFlow(tx *bolt.Tx, id uint64, b core.Brief) (core.ApprovalFlow, error) {
	var fl core.ApprovalFlow
	if id != 0 {
		if err := get(tx, bucketFlows, itob(id), &fl); err != nil {
			return fl, fmt.Errorf("approval flow %d: %w", id, err)
		}
		return fl, nil
	}
	flows, err := list[core.ApprovalFlow](tx, bucketFlows)
	if err != nil {
		return fl, err
	}
	if len(flows) == 0 {
		return fl, ErrNoFlow
	}
	name, err := templateFlow(tx, b)
	if err != nil {
		return fl, err
	}
	if name != "" {
		for i := len(flows) - 1; i >= 0; i-- { // the newest flow added from it
			if flows[i].Template == name {
				return flows[i], nil
			}
		}
	}
	for _, f := range flows {
		if f.AssetType != "" && f.AssetType == b.AssetType {
			return f, nil
		}
	}
	return flows[0], nil
}

// Decide applies who's decision to the brief's review: it checks role, turn
// and self-approval, appends the decision, and moves the brief to approved
// when the last stage passes, or back to in production when changes are
// requested.
func (s *Store) Decide(ctx context.Context, who core.Identity, d core.Decision) (core.Review, error) {
	var r core.Review
	err := s.update(ctx, who.Name, func(w *writeTx) error {
		before := w.tx.Bucket(bucketReviews).Get(itob(d.BriefID))
		if before == nil {
			return fmt.Errorf("brief %d has no review; submit it with `tandem approvals submit`: %w", d.BriefID, ErrNotFound)
		}
		if err := json.Unmarshal(before, &r); err != nil {
			return err
		}
		var fl core.ApprovalFlow
		if err := get(w.tx, bucketFlows, itob(r.FlowID), &fl); err != nil {
			return fmt.Errorf("approval flow %d: %w", r.FlowID, err)
		}
		if d.Round != 0 && d.Round != r.Round {
			// The caller checked round d.Round (its copy's claims, say),
			// and a new round came in since: decide on what was checked.
			return &core.ConflictError{Record: fmt.Sprintf("the review of brief %d", d.BriefID), From: uint64(d.Round), Current: uint64(r.Round),
				Hint: fmt.Sprintf("round %d was submitted since; read it (`tandem claim list %d`) and decide again", r.Round, d.BriefID)}
		}
		d.Actor, d.Round, d.Stage, d.Time = who.Name, r.Round, r.Stage, w.now
		if err := d.Validate(); err != nil {
			return err
		}
		next, err := r.Apply(fl, d, who.Role, w.now)
		if err != nil {
			return err
		}
		r = next
		if err := w.putDecision(d); err != nil {
			return err
		}
		if err := w.putReview(r, before, "review."+string(d.Kind)); err != nil {
			return err
		}
		b, err := getBrief(w.tx, d.BriefID)
		if err != nil {
			return err
		}
		switch r.Status {
		case core.ReviewApproved:
			return w.moveBriefTo(b, b, core.StageApproved, "brief.move")
		case core.ReviewChangesRequested:
			return w.moveBriefTo(b, b, core.StageInProduction, "brief.move")
		}
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("%s brief %d: %w", d.Kind, d.BriefID, err)
	}
	return r, nil
}

func (w *writeTx) putDecision(d core.Decision) error {
	return w.putNext(bucketDecisions, KindDecision, "decision."+string(d.Kind), func(id uint64) { d.ID = id }, &d)
}

// putReview writes r, checked as an import checks it, as action.
func (w *writeTx) putReview(r core.Review, before []byte, action string) error {
	if err := r.Validate(); err != nil {
		return err
	}
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := w.tx.Bucket(bucketReviews).Put(itob(r.BriefID), v); err != nil {
		return err
	}
	return w.record(KindReview, action, strconv.FormatUint(r.BriefID, 10), before, v)
}

// moveBriefTo moves b to stage within the current write, if it is
// elsewhere, writing next (b, or b with its checklist skipped) as action.
func (w *writeTx) moveBriefTo(b, next core.Brief, stage core.Stage, action string) error {
	if b.Stage == stage {
		return nil
	}
	moved := next
	moved.Stage, moved.Updated = stage, w.now
	_, err := w.putBrief(&b, moved, action, 0)
	return err
}

// Reviews returns every review, by brief ID.
func (s *Store) Reviews(ctx context.Context) ([]core.Review, error) {
	return listAll[core.Review](ctx, s, bucketReviews, "reviews")
}

// LinkClaim ties a claim in brief id's review to its evidence, replacing
// an earlier link of the same claim to the same experiment or source, in
// one audited write.
func (s *Store) LinkClaim(ctx context.Context, who core.Identity, id uint64, l core.ClaimLink) (core.Review, error) {
	var r core.Review
	if err := l.Validate(); err != nil {
		return r, err
	}
	err := s.update(ctx, who.Name, func(w *writeTx) error {
		before := w.tx.Bucket(bucketReviews).Get(itob(id))
		if before == nil {
			return fmt.Errorf("brief %d has no review; submit it with `tandem approvals submit`: %w", id, ErrNotFound)
		}
		if err := json.Unmarshal(before, &r); err != nil {
			return err
		}
		if l.Experiment != "" && w.tx.Bucket(bucketExperiments).Get([]byte(l.Experiment)) == nil {
			return fmt.Errorf("experiment %q: %w; see `tandem experiment list`", l.Experiment, ErrNotFound)
		}
		l.Actor, l.Time = who.Name, w.now
		r.Claims = slices.DeleteFunc(r.Claims, func(old core.ClaimLink) bool {
			return core.SameClaim(old.Claim, l.Claim) && old.Experiment == l.Experiment && old.Source == l.Source
		})
		r.Claims = append(r.Claims, l)
		return w.putReview(r, before, "review.claim_link")
	})
	if err != nil {
		return r, fmt.Errorf("link a claim of brief %d: %w", id, err)
	}
	return r, nil
}

// templateFlow is the flow template the brief template b was made from
// names: "" when b has none or it names none.
func templateFlow(tx *bolt.Tx, b core.Brief) (string, error) {
	if b.Template == "" {
		return "", nil
	}
	var t core.Template
	err := get(tx, bucketTemplates, templateKey(core.TemplateBrief, b.Template, b.TemplateVersion), &t)
	if errors.Is(err, ErrNotFound) || (err == nil && t.Brief == nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("template of brief %d: %w", b.ID, err)
	}
	return t.Brief.Flow, nil
}
