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
// returns it with its version set. g.Version is the version the edit was
// made from: 0 replaces whatever is stored; an older one is merged field by
// field with the saves since, and a field both changed is refused with a
// *core.ConflictError, as for briefs. Every version is kept, so any base
// can be found.
func (s *Store) SaveGuideline(ctx context.Context, actor string, g core.BrandGuideline) (core.BrandGuideline, core.Merged, error) {
	if err := g.Validate(); err != nil {
		return g, core.Merged{}, fmt.Errorf("save guideline: %w", err)
	}
	var merged core.Merged
	err := s.update(ctx, actor, func(w *writeTx) error {
		bucket := w.tx.Bucket(bucketGuidelines)
		from := g.Version
		if from != 0 {
			var err error
			if g, merged, err = mergeGuideline(w.tx, g); err != nil {
				return err
			}
		}
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
		if from == g.Version-1 {
			from = 0
		}
		return w.recordVersion(KindGuideline, "guideline.save", fmt.Sprint(g.Version), g.Version, from, nil, v)
	})
	if err != nil {
		return g, core.Merged{}, fmt.Errorf("save guideline: %w", err)
	}
	merged.Version = g.Version
	return g, merged, nil
}

// mergeGuideline merges g, an edit made from version g.Version, with the
// saves since: the latest version as theirs, version g.Version as base.
func mergeGuideline(tx *bolt.Tx, g core.BrandGuideline) (core.BrandGuideline, core.Merged, error) {
	bucket := tx.Bucket(bucketGuidelines)
	var theirs, base core.BrandGuideline
	if _, v := bucket.Cursor().Last(); v != nil {
		if err := json.Unmarshal(v, &theirs); err != nil {
			return g, core.Merged{}, damaged("the brand guideline does not decode", err)
		}
	}
	switch {
	case g.Version == theirs.Version:
		return g, core.Merged{}, nil
	case g.Version > theirs.Version:
		return g, core.Merged{}, fmt.Errorf("the brand guidelines have no version %d; they are at version %d: edit from that", g.Version, theirs.Version)
	}
	if err := get(tx, bucketGuidelines, itob(g.Version), &base); err != nil {
		return g, core.Merged{}, fmt.Errorf("brand guidelines version %d: %w", g.Version, err)
	}
	merged, took, conflicts := core.Merge3(core.GuidelineFields(), base, theirs, g)
	record := "brand guidelines"
	if len(conflicts) > 0 {
		return g, core.Merged{}, &core.ConflictError{Record: record, From: g.Version, Current: theirs.Version, Fields: conflicts}
	}
	return merged, core.Merged{Record: record, From: g.Version, Fields: took}, nil
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
