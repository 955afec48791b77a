package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// AddGenerated stores variants the studio made, with their provenance, and
// returns them with IDs and creation times.
func (s *Store) AddGenerated(ctx context.Context, actor string, vs []core.GeneratedVariant) ([]core.GeneratedVariant, error) {
	err := s.update(ctx, actor, func(w *writeTx) error {
		for i := range vs {
			if err := w.putGenerated(&vs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store generated variants: %w", err)
	}
	return vs, nil
}

// putGenerated stores a new generated variant, setting its ID and
// creation time.
func (w *writeTx) putGenerated(g *core.GeneratedVariant) error {
	if err := g.Copy.Validate(); err != nil {
		return err
	}
	if _, err := getBrief(w.tx, g.BriefID); err != nil {
		return fmt.Errorf("brief %d: %w", g.BriefID, err)
	}
	bucket := w.tx.Bucket(bucketGenerated)
	id, err := bucket.NextSequence()
	if err != nil {
		return err
	}
	g.ID, g.Created = id, w.now
	v, err := json.Marshal(g)
	if err != nil {
		return err
	}
	if err := bucket.Put(itob(id), v); err != nil {
		return err
	}
	return w.record(KindGenerated, "generation.add", strconv.FormatUint(id, 10), nil, v)
}

// Generated returns one generated variant, or ErrNotFound.
func (s *Store) Generated(ctx context.Context, id uint64) (core.GeneratedVariant, error) {
	var v core.GeneratedVariant
	err := s.view(ctx, func(tx *bolt.Tx) error { return get(tx, bucketGenerated, itob(id), &v) })
	if err != nil {
		return v, fmt.Errorf("generated variant %d: %w", id, err)
	}
	return v, nil
}

// GeneratedFor returns the variants generated for a brief, oldest first.
func (s *Store) GeneratedFor(ctx context.Context, briefID uint64) ([]core.GeneratedVariant, error) {
	var out []core.GeneratedVariant
	err := s.view(ctx, func(tx *bolt.Tx) error {
		all, err := list[core.GeneratedVariant](tx, bucketGenerated)
		for _, v := range all {
			if v.BriefID == briefID {
				out = append(out, v)
			}
		}
		return err
	})
	return out, err
}
