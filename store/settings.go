package store

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

var keyWIPLimits = []byte("wip_limits")

// SetWIPLimits replaces the board's work-in-progress limits.
func (s *Store) SetWIPLimits(ctx context.Context, actor string, limits core.WIPLimits) error {
	if err := limits.Validate(); err != nil {
		return fmt.Errorf("set wip limits: %w", err)
	}
	err := s.update(ctx, actor, func(w *writeTx) error {
		return w.putMeta(keyWIPLimits, KindSettings, "wip.set", "board", limits)
	})
	if err != nil {
		return fmt.Errorf("set wip limits: %w", err)
	}
	return nil
}

// WIPLimits returns the board's limits: core.DefaultWIPLimits until set.
func (s *Store) WIPLimits(ctx context.Context) (core.WIPLimits, error) {
	var limits core.WIPLimits
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		limits, err = readWIPLimits(tx)
		return err
	})
	return limits, err
}

// putMeta replaces a workspace-wide value stored under key in the meta
// bucket, and records the write with the value before and after.
func (w *writeTx) putMeta(key []byte, kind Kind, action, id string, value any) error {
	meta := w.tx.Bucket(bucketMeta)
	before := meta.Get(key)
	v, err := json.Marshal(value)
	if err != nil {
		return err
	}
	if err := meta.Put(key, v); err != nil {
		return err
	}
	return w.record(kind, action, id, before, v)
}
