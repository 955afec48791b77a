package backend

import (
	"context"
	"sync"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// Snapshot is the workspace as the views show it, read in one go after each
// change so that views render from memory and never block on the store.
// Sessions share snapshots: treat every slice and map in one as read-only.
type Snapshot struct {
	Briefs []core.Brief
	// BriefsByID indexes Briefs; it is shared by every session that holds
	// the snapshot and must not be changed.
	BriefsByID  map[uint64]core.Brief
	People      []core.Person
	Experiments []core.Experiment
	// Totals holds each experiment's per-variant totals by experiment key.
	Totals    map[string]map[string]core.VariantTotals
	Taxonomy  core.Taxonomy
	WIPLimits core.WIPLimits
	Reviews   []core.Review
	Flows     []core.ApprovalFlow
	Guideline core.BrandGuideline
	// Hours and Holidays are the calendar SLAs and capacity use.
	Hours    core.WorkingHours
	Holidays []time.Time
	// Guards are the workspace's default experiment guards.
	Guards core.Guards
	// Seq is the store version the snapshot was read at.
	Seq    uint64
	Loaded time.Time
}

// snapshotCache keeps the latest snapshot, so that when one write wakes
// every session they share one read instead of each making its own.
type snapshotCache struct {
	mu   sync.Mutex
	snap *Snapshot
}

// Snapshot returns the workspace as of the latest write, reading the store
// only when something was written since the last read, and then only the
// parts those writes touched: an event batch re-reads the experiments, not
// ten thousand briefs.
func (b *Backend) Snapshot(ctx context.Context) (Snapshot, error) {
	b.cache.mu.Lock()
	defer b.cache.mu.Unlock()
	seq := b.store.Seq()
	prev := b.cache.snap
	if prev != nil && prev.Seq == seq {
		return *prev, nil
	}
	snap, err := b.readSnapshot(ctx, prev)
	if err != nil {
		return snap, err
	}
	snap.Seq, snap.Loaded = seq, time.Now()
	b.cache.snap = &snap
	return snap, nil
}

// readSnapshot reads the parts of the workspace written since prev (all of
// them without one). Parts are shared with prev, never changed in place.
func (b *Backend) readSnapshot(ctx context.Context, prev *Snapshot) (Snapshot, error) {
	var snap Snapshot
	if prev != nil {
		snap = *prev
	}
	snap.Hours, snap.Holidays, snap.Guards = b.settings.Hours, b.settings.Holidays, b.settings.Guards
	stale := func(kinds ...store.Kind) bool { return prev == nil || b.store.LatestOf(kinds...) > prev.Seq }
	var err error
	if stale(store.KindBrief) {
		if snap.Briefs, err = b.Briefs(ctx); err != nil {
			return snap, err
		}
		snap.BriefsByID = BriefsByID(snap.Briefs)
	}
	if stale(store.KindPerson) {
		if snap.People, err = b.People(ctx); err != nil {
			return snap, err
		}
	}
	if stale(store.KindExperiment, store.KindEvents) {
		if snap.Experiments, err = b.Experiments(ctx); err != nil {
			return snap, err
		}
		snap.Totals = make(map[string]map[string]core.VariantTotals, len(snap.Experiments))
		for _, e := range snap.Experiments {
			if snap.Totals[e.Key], err = b.Totals(ctx, e.Key); err != nil {
				return snap, err
			}
		}
	}
	if stale(store.KindTaxonomy) {
		if snap.Taxonomy, err = b.Taxonomy(ctx); err != nil {
			return snap, err
		}
	}
	if stale(store.KindSettings) {
		if snap.WIPLimits, err = b.WIPLimits(ctx); err != nil {
			return snap, err
		}
	}
	if stale(store.KindReview, store.KindDecision) {
		if snap.Reviews, err = b.Reviews(ctx); err != nil {
			return snap, err
		}
	}
	if stale(store.KindFlow) {
		if snap.Flows, err = b.Flows(ctx); err != nil {
			return snap, err
		}
	}
	if stale(store.KindGuideline) {
		if snap.Guideline, err = b.Guideline(ctx); err != nil {
			return snap, err
		}
	}
	return snap, nil
}

// ByID returns the briefs by ID, indexing them when the snapshot was made
// by hand rather than read.
func (s Snapshot) ByID() map[uint64]core.Brief {
	if s.BriefsByID != nil {
		return s.BriefsByID
	}
	return BriefsByID(s.Briefs)
}
