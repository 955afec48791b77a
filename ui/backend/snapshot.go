package backend

import (
	"context"
	"sync"

	"github.com/tandem-ops/tandem/core"
)

// snapshotCache keeps the latest snapshot, so that when one write wakes
// every session they share one read instead of each making its own.
type snapshotCache struct {
	mu   sync.Mutex
	snap *core.Snapshot
}

// Snapshot returns the workspace as of the latest write, read in one
// transaction. It reads the store only when something was written since
// the last read, and then only the parts those writes touched: an event
// batch re-reads the experiments, not ten thousand briefs.
func (b *Backend) Snapshot(ctx context.Context) (core.Snapshot, error) {
	b.cache.mu.Lock()
	defer b.cache.mu.Unlock()
	prev := b.cache.snap
	if prev != nil && prev.Seq >= b.store.Seq() {
		return *prev, nil
	}
	snap, err := b.store.ReadSince(ctx, prev)
	if err != nil {
		return snap, err
	}
	snap.Hours, snap.Holidays, snap.Guards = b.settings.Hours, b.settings.Holidays, b.settings.Guards
	b.cache.snap = &snap
	return snap, nil
}
