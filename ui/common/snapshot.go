package common

import (
	"context"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
)

// Snapshot is what views render from; see backend.Snapshot. Change is the
// latest change this session saw on the feed.
type Snapshot struct {
	backend.Snapshot
	Change core.Change
}

// SnapshotMsg delivers a fresh snapshot, or the error that stopped it.
type SnapshotMsg struct {
	Snapshot Snapshot
	Err      error
}

// LoadSnapshot returns the workspace as of the latest write.
func LoadSnapshot(ctx context.Context, be *backend.Backend, now time.Time) (Snapshot, error) {
	snap, err := be.Snapshot(ctx)
	snap.Loaded = now
	return Snapshot{Snapshot: snap}, err
}

// Same reports whether a and b are the same slice, not just equal ones: a
// part of the snapshot that was not re-read. Views skip recomputing what
// they derive from parts that did not change.
func Same[T any](a, b []T) bool { return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) }
