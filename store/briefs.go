package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// AddBrief stores a new brief and returns it with its ID and timestamps.
func (s *Store) AddBrief(ctx context.Context, actor string, b core.Brief) (core.Brief, error) {
	added, err := s.AddBriefs(ctx, actor, []core.Brief{b})
	if err != nil {
		return core.Brief{}, err
	}
	return added[0], nil
}

// AddBriefs stores many new briefs in one transaction: all or none.
func (s *Store) AddBriefs(ctx context.Context, actor string, briefs []core.Brief) ([]core.Brief, error) {
	out := make([]core.Brief, len(briefs))
	err := s.update(ctx, actor, func(w *writeTx) error {
		tax, err := readTaxonomy(w.tx)
		if err != nil {
			return err
		}
		bucket := w.tx.Bucket(bucketBriefs)
		for i, b := range briefs {
			b.Normalize()
			if err := validateBrief(tax, b); err != nil {
				return err
			}
			if b.ID, err = bucket.NextSequence(); err != nil {
				return fmt.Errorf("next brief id: %w", err)
			}
			b.Created, b.Updated = w.now, w.now
			if err := w.putBrief(nil, b, "brief.add"); err != nil {
				return err
			}
			out[i] = b
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("add brief: %w", err)
	}
	return out, nil
}

// UpdateBrief replaces the stored brief with b's ID.
func (s *Store) UpdateBrief(ctx context.Context, actor string, b core.Brief) (core.Brief, error) {
	err := s.update(ctx, actor, func(w *writeTx) error {
		old, err := getBrief(w.tx, b.ID)
		if err != nil {
			return err
		}
		tax, err := readTaxonomy(w.tx)
		if err != nil {
			return err
		}
		b.Normalize()
		if err := validateBrief(tax, b); err != nil {
			return err
		}
		b.Created, b.Updated = old.Created, w.now
		return w.putBrief(&old, b, "brief.edit")
	})
	if err != nil {
		return core.Brief{}, fmt.Errorf("update brief %d: %w", b.ID, err)
	}
	return b, nil
}

// MoveBrief moves a brief to another stage of the board.
func (s *Store) MoveBrief(ctx context.Context, actor string, id uint64, to core.Stage) (core.Brief, error) {
	var moved core.Brief
	err := s.update(ctx, actor, func(w *writeTx) error {
		if !to.Valid() {
			return &core.FieldError{Record: "brief", Field: "stage", Problem: fmt.Sprintf("is %d; use a board stage", to)}
		}
		old, err := getBrief(w.tx, id)
		if err != nil {
			return err
		}
		moved = old
		moved.Stage, moved.Updated = to, w.now
		return w.putBrief(&old, moved, "brief.move")
	})
	if err != nil {
		return core.Brief{}, fmt.Errorf("move brief %d: %w", id, err)
	}
	return moved, nil
}

// Brief returns the brief with id, or ErrNotFound.
func (s *Store) Brief(ctx context.Context, id uint64) (core.Brief, error) {
	var b core.Brief
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		b, err = getBrief(tx, id)
		return err
	})
	if err != nil {
		return core.Brief{}, fmt.Errorf("brief %d: %w", id, err)
	}
	return b, nil
}

// Briefs returns every brief in ID order.
func (s *Store) Briefs(ctx context.Context) ([]core.Brief, error) {
	var out []core.Brief
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = list[core.Brief](tx, bucketBriefs)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list briefs: %w", err)
	}
	return out, nil
}

// BriefsInStage returns the briefs in one stage, in ID order, by the index.
func (s *Store) BriefsInStage(ctx context.Context, stage core.Stage) ([]core.Brief, error) {
	var out []core.Brief
	err := s.view(ctx, func(tx *bolt.Tx) error {
		briefs := tx.Bucket(bucketBriefs)
		c := tx.Bucket(bucketBriefStage).Cursor()
		prefix := []byte{uint8(stage)}
		for k, _ := c.Seek(prefix); k != nil && k[0] == prefix[0]; k, _ = c.Next() {
			if len(k) != 9 {
				return damaged("the stage index has a malformed key", fmt.Sprintf("%x", k))
			}
			var b core.Brief
			if err := json.Unmarshal(briefs.Get(k[1:]), &b); err != nil {
				return damaged(fmt.Sprintf("brief %d in the stage index does not decode", btoi(k[1:])), err)
			}
			out = append(out, b)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list briefs in %s: %w", stage, err)
	}
	return out, nil
}

func validateBrief(tax core.Taxonomy, b core.Brief) error {
	if err := b.Validate(); err != nil {
		return err
	}
	return tax.CheckBrief(b)
}

func getBrief(tx *bolt.Tx, id uint64) (core.Brief, error) {
	var b core.Brief
	err := get(tx, bucketBriefs, itob(id), &b)
	return b, err
}

// putBrief writes b, keeps the stage index in step with old (nil for a new
// brief) and records the write.
func (w *writeTx) putBrief(old *core.Brief, b core.Brief, action string) error {
	v, err := json.Marshal(b)
	if err != nil {
		return err
	}
	if err := w.tx.Bucket(bucketBriefs).Put(itob(b.ID), v); err != nil {
		return fmt.Errorf("put brief: %w", err)
	}
	index := w.tx.Bucket(bucketBriefStage)
	if old == nil || old.Stage != b.Stage {
		from := b.Stage
		if old != nil {
			from = old.Stage
		}
		if err := w.putStageChange(core.StageChange{BriefID: b.ID, From: from, To: b.Stage, Time: w.now, Actor: w.actor}); err != nil {
			return err
		}
	}
	var before []byte
	if old != nil {
		if old.Stage != b.Stage {
			if err := index.Delete(stageKey(uint8(old.Stage), old.ID)); err != nil {
				return err
			}
		}
		if before, err = json.Marshal(old); err != nil {
			return err
		}
	}
	if err := index.Put(stageKey(uint8(b.Stage), b.ID), nil); err != nil {
		return fmt.Errorf("index brief: %w", err)
	}
	return w.record(KindBrief, action, strconv.FormatUint(b.ID, 10), before, v)
}

func (w *writeTx) putStageChange(c core.StageChange) error {
	bucket := w.tx.Bucket(bucketHistory)
	seq, err := bucket.NextSequence()
	if err != nil {
		return err
	}
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return bucket.Put(itob(seq), v)
}

// StageHistory returns every stage change in the order they happened.
func (s *Store) StageHistory(ctx context.Context) ([]core.StageChange, error) {
	return listAll[core.StageChange](ctx, s, bucketHistory, "stage history")
}
