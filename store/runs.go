package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// Runs are kept by brief ID: a brief has at most one run of its recipe.

// Run returns the run of a brief, or ErrNotFound when it never ran.
func (s *Store) Run(ctx context.Context, briefID uint64) (core.Run, error) {
	var r core.Run
	err := s.view(ctx, func(tx *bolt.Tx) error { return get(tx, bucketRuns, itob(briefID), &r) })
	if err != nil {
		return r, fmt.Errorf("run of brief %d: %w", briefID, err)
	}
	return r, nil
}

// Runs returns every run, by brief ID.
func (s *Store) Runs(ctx context.Context) ([]core.Run, error) {
	return listAll[core.Run](ctx, s, bucketRuns, "runs")
}

// SaveRun stores r by actor as the next version of its brief's run, made
// from version r.Version (0 for a new run). A run saved since is refused
// with a *core.ConflictError: two runs of one brief must not both go on.
// action names the step in the audit, e.g. "run.lint".
func (s *Store) SaveRun(ctx context.Context, actor, action string, r core.Run) (core.Run, error) {
	next := r.Clone()
	err := s.update(ctx, actor, func(w *writeTx) error { return w.putRun(&next, action) })
	if err != nil {
		// r as it was, so that a caller saving why it failed states the
		// version it had.
		return r, fmt.Errorf("save the run of brief %d: %w", r.BriefID, err)
	}
	return next, nil
}

// AddRunVariant stores a variant the run r generated and r with its ID
// added, in one transaction: a run stopped after it resumes knowing the
// variant was made, and one stopped before it makes it again.
func (s *Store) AddRunVariant(ctx context.Context, actor string, r core.Run, g core.GeneratedVariant) (core.Run, core.GeneratedVariant, error) {
	next := r.Clone()
	err := s.update(ctx, actor, func(w *writeTx) error {
		if g.BriefID != r.BriefID {
			return fmt.Errorf("variant of brief %d is not for brief %d's run", g.BriefID, r.BriefID)
		}
		if err := w.putGenerated(&g); err != nil {
			return err
		}
		next.Variants = append(next.Variants, g.ID)
		return w.putRun(&next, "run.variant")
	})
	if err != nil {
		return r, g, fmt.Errorf("store variant of brief %d's run: %w", r.BriefID, err)
	}
	return next, g, nil
}

// putRun checks r against the stored run, bumps its version and stores
// it, audited as action.
func (w *writeTx) putRun(r *core.Run, action string) error {
	if _, err := getBrief(w.tx, r.BriefID); err != nil {
		return fmt.Errorf("brief %d: %w", r.BriefID, err)
	}
	bucket := w.tx.Bucket(bucketRuns)
	before := bucket.Get(itob(r.BriefID))
	var stored core.Run
	if before != nil {
		if err := json.Unmarshal(before, &stored); err != nil {
			return damaged("run does not decode", err)
		}
	}
	if stored.Version != r.Version {
		return &core.ConflictError{Record: fmt.Sprintf("the run of brief %d", r.BriefID), From: r.Version, Current: stored.Version,
			Hint: fmt.Sprintf("another run of it went on since; see it with `tandem run --brief %d --resume`", r.BriefID)}
	}
	r.Version++
	r.Updated = w.now
	if r.Started.IsZero() {
		r.Started = w.now
	}
	for i := range r.Log {
		if r.Log[i].At.IsZero() {
			r.Log[i].At = w.now
		}
	}
	if err := r.Validate(); err != nil {
		return err
	}
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := bucket.Put(itob(r.BriefID), v); err != nil {
		return err
	}
	return w.recordVersion(KindRun, action, strconv.FormatUint(r.BriefID, 10), r.Version, 0, before, v)
}
