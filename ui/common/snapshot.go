package common

import (
	"context"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
)

// Snapshot is the workspace as the views show it, read in one go after each
// change so that views render from memory and never block on the store.
type Snapshot struct {
	Briefs      []core.Brief
	People      []core.Person
	Experiments []core.Experiment
	// Totals holds each experiment's per-variant totals by experiment key.
	Totals    map[string]map[string]core.VariantTotals
	Taxonomy  core.Taxonomy
	WIPLimits core.WIPLimits
	Reviews   []core.Review
	Flows     []core.ApprovalFlow
	Guideline core.BrandGuideline
	// Change is the latest change seen on the feed; zero before any.
	Change store.Change
	Loaded time.Time
}

// SnapshotMsg delivers a fresh snapshot, or the error that stopped it.
type SnapshotMsg struct {
	Snapshot Snapshot
	Err      error
}

// LoadSnapshot reads the workspace from be.
func LoadSnapshot(ctx context.Context, be *backend.Backend, now time.Time) (Snapshot, error) {
	snap := Snapshot{Loaded: now, Totals: map[string]map[string]core.VariantTotals{}}
	var err error
	if snap.Briefs, err = be.Briefs(ctx); err != nil {
		return snap, err
	}
	if snap.People, err = be.People(ctx); err != nil {
		return snap, err
	}
	if snap.Experiments, err = be.Experiments(ctx); err != nil {
		return snap, err
	}
	if snap.Taxonomy, err = be.Taxonomy(ctx); err != nil {
		return snap, err
	}
	if snap.WIPLimits, err = be.WIPLimits(ctx); err != nil {
		return snap, err
	}
	if snap.Reviews, err = be.Reviews(ctx); err != nil {
		return snap, err
	}
	if snap.Flows, err = be.Flows(ctx); err != nil {
		return snap, err
	}
	if snap.Guideline, err = be.Guideline(ctx); err != nil {
		return snap, err
	}
	for _, e := range snap.Experiments {
		if snap.Totals[e.Key], err = be.Totals(ctx, e.Key); err != nil {
			return snap, err
		}
	}
	return snap, nil
}
