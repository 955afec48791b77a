package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// SetTaxonomy replaces the workspace's shared vocabulary.
func (s *Store) SetTaxonomy(ctx context.Context, actor string, t core.Taxonomy) error {
	if err := t.Validate(); err != nil {
		return fmt.Errorf("set taxonomy: %w", err)
	}
	err := s.update(ctx, actor, func(w *writeTx) error {
		return w.putMeta(keyTaxonomy, KindTaxonomy, "taxonomy.set", "workspace", t)
	})
	if err != nil {
		return fmt.Errorf("set taxonomy: %w", err)
	}
	return nil
}

// Taxonomy returns the workspace's shared vocabulary; empty lists until set.
func (s *Store) Taxonomy(ctx context.Context) (core.Taxonomy, error) {
	var t core.Taxonomy
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		t, err = readTaxonomy(tx)
		return err
	})
	return t, err
}

func readTaxonomy(tx *bolt.Tx) (core.Taxonomy, error) {
	var t core.Taxonomy
	err := get(tx, bucketMeta, keyTaxonomy, &t)
	if errors.Is(err, ErrNotFound) {
		return core.Taxonomy{}, nil
	}
	if err != nil {
		return t, fmt.Errorf("read taxonomy: %w", err)
	}
	return t, nil
}

// SaveGuideline stores g as the next version of the brand guidelines and
// returns it with its version set.
func (s *Store) SaveGuideline(ctx context.Context, actor string, g core.BrandGuideline) (core.BrandGuideline, error) {
	if err := g.Validate(); err != nil {
		return g, fmt.Errorf("save guideline: %w", err)
	}
	err := s.update(ctx, actor, func(w *writeTx) error {
		bucket := w.tx.Bucket(bucketGuidelines)
		var err error
		if g.Version, err = bucket.NextSequence(); err != nil {
			return err
		}
		v, err := json.Marshal(g)
		if err != nil {
			return err
		}
		if err := bucket.Put(itob(g.Version), v); err != nil {
			return err
		}
		return w.record(KindGuideline, "guideline.save", fmt.Sprint(g.Version), nil, v)
	})
	if err != nil {
		return g, fmt.Errorf("save guideline: %w", err)
	}
	return g, nil
}

// Guideline returns the latest brand guidelines, or ErrNotFound when none
// were saved.
func (s *Store) Guideline(ctx context.Context) (core.BrandGuideline, error) {
	var g core.BrandGuideline
	err := s.view(ctx, func(tx *bolt.Tx) error {
		_, v := tx.Bucket(bucketGuidelines).Cursor().Last()
		if v == nil {
			return ErrNotFound
		}
		if err := json.Unmarshal(v, &g); err != nil {
			return damaged("the brand guideline does not decode", err)
		}
		return nil
	})
	if err != nil {
		return g, fmt.Errorf("brand guideline: %w", err)
	}
	return g, nil
}
