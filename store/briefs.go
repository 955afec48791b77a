package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

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
		for i, b := range briefs {
			var err error
			if out[i], err = w.addBrief(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("add brief: %w", err)
	}
	return out, nil
}

// addBrief checks and stores a new brief in w: its fields, its terms, and
// the template its asset type requires.
func (w *writeTx) addBrief(b core.Brief) (core.Brief, error) {
	b.Normalize()
	tax, err := readTaxonomy(w.tx)
	if err != nil {
		return b, err
	}
	if err := validateBrief(tax, core.Brief{}, b); err != nil {
		return b, err
	}
	req, err := readTemplateRequirements(w.tx)
	if err != nil {
		return b, err
	}
	if err := req.Check(b); err != nil {
		return b, err
	}
	if b.ID, err = w.tx.Bucket(bucketBriefs).NextSequence(); err != nil {
		return b, fmt.Errorf("next brief id: %w", err)
	}
	b.Created, b.Updated = w.now, w.now
	return w.putBrief(nil, b, "brief.add", 0)
}

// UpdateBrief saves b, an edit of the stored brief with b's ID made from
// version b.Version of it. When the brief was written since, the edit is
// merged field by field with what was written (see core.Merge3): Merged
// names the fields taken from the others' changes, and an edit that set a
// field they also changed, to another value, is refused with a
// *core.ConflictError and saves nothing. An edit that changes nothing
// writes nothing.
func (s *Store) UpdateBrief(ctx context.Context, actor string, b core.Brief) (core.Brief, core.Merged, error) {
	var saved core.Brief
	var merged core.Merged
	err := s.update(ctx, actor, func(w *writeTx) error {
		old, err := getBrief(w.tx, b.ID)
		if err != nil {
			return err
		}
		b.Normalize()
		// What the brief was made from and its checklist are the store's to
		// keep (ticks go through TickBrief), like its timestamps.
		b.Template, b.TemplateVersion, b.Checklist = old.Template, old.TemplateVersion, old.Checklist
		mine, m, err := mergeEdit(w.tx, KindBrief, core.BriefFields(), b.ID, b.Version, old.Version, old, b)
		if err != nil {
			return err
		}
		merged = m
		if len(core.Changed(core.BriefFields(), old, mine)) == 0 {
			saved = old
			return nil
		}
		tax, err := readTaxonomy(w.tx)
		if err != nil {
			return err
		}
		if err := validateBrief(tax, old, mine); err != nil {
			return err
		}
		if !strings.EqualFold(mine.AssetType, old.AssetType) {
			req, err := readTemplateRequirements(w.tx)
			if err != nil {
				return err
			}
			if err := req.Check(mine); err != nil {
				return err
			}
		}
		mine.Created, mine.Updated = old.Created, w.now
		saved, err = w.putBrief(&old, mine, "brief.edit", b.Version)
		merged.Version = saved.Version
		return err
	})
	if err != nil {
		return core.Brief{}, core.Merged{}, fmt.Errorf("update brief %d: %w", b.ID, err)
	}
	return saved, merged, nil
}

// BriefVersion returns version of the brief with id, as it was saved;
// ErrRevisionGone when that version is no longer kept.
func (s *Store) BriefVersion(ctx context.Context, id, version uint64) (core.Brief, error) {
	var b core.Brief
	if err := s.version(ctx, KindBrief, id, version, &b); err != nil {
		return core.Brief{}, fmt.Errorf("brief %d version %d: %w", id, version, err)
	}
	return b, nil
}

// MoveBrief moves a brief to another stage of the board, past its WIP
// limit if need be (see MoveBriefWithin).
func (s *Store) MoveBrief(ctx context.Context, actor string, id uint64, to core.Stage) (core.Brief, error) {
	return s.moveBrief(ctx, actor, id, to, nil)
}

// moveBrief moves a brief, refusing a move past the holds opts does not go
// past (see checkMove); nil checks none.
func (s *Store) moveBrief(ctx context.Context, actor string, id uint64, to core.Stage, opts *core.MoveOptions) (core.Brief, error) {
	var moved core.Brief
	err := s.update(ctx, actor, func(w *writeTx) error {
		if !to.Valid() {
			return &core.FieldError{Record: "brief", Field: "stage", Problem: fmt.Sprintf("is %d; use a board stage", to)}
		}
		old, err := getBrief(w.tx, id)
		if err != nil {
			return err
		}
		if opts != nil && opts.From != 0 && opts.From != old.Version {
			return moveConflict(w.tx, old, to, opts.From)
		}
		if old.Stage == to {
			// Nothing to write: a version, audit entry and change here
			// would only refuse others' undo of the move that put it there.
			moved = old
			return nil
		}
		next, action, err := w.checkMove(old, to, opts)
		if err != nil {
			return err
		}
		next.Stage, next.Updated = to, w.now
		moved, err = w.putBrief(&old, next, action, 0)
		return err
	})
	if err != nil {
		return core.Brief{}, fmt.Errorf("move brief %d: %w", id, err)
	}
	return moved, nil
}

// moveConflict is the error of a move to stage made from version from of
// b, which has been written since: a *core.ConflictError naming who wrote
// it and, when it was moved since, the stage it is in now, or else that
// its stage is as the mover saw it. A version b has not had is a bad
// value, a *core.FieldError.
func moveConflict(tx *bolt.Tx, b core.Brief, to core.Stage, from uint64) error {
	record := fmt.Sprintf("%s %d", KindBrief, b.ID)
	if from > b.Version {
		return &core.FieldError{Record: record, Field: "version", Problem: fmt.Sprintf("is %d, which it has not reached; it is at version %d: move from that", from, b.Version)}
	}
	conflict := &core.ConflictError{Record: record, From: from, Current: b.Version, By: writersSince(tx, KindBrief, b.ID, from, b.Version)}
	var seen core.Brief
	if _, err := revisionAt(tx, KindBrief, b.ID, from, &seen); err == nil && seen.Stage == b.Stage {
		conflict.Detail = fmt.Sprintf("its stage is %q, as you saw it, but the brief was edited", b.Stage)
		return conflict
	}
	conflict.Fields = []core.FieldConflict{{Field: "stage", Theirs: b.Stage.String(), Mine: to.String()}}
	return conflict
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

// validateBrief checks b, an edit of old (the zero brief for a new one):
// its fields, and the taxonomy terms it sets.
func validateBrief(tax core.Taxonomy, old, b core.Brief) error {
	if err := b.Validate(); err != nil {
		return err
	}
	return tax.CheckBriefEdit(old, b)
}

func getBrief(tx *bolt.Tx, id uint64) (core.Brief, error) {
	var b core.Brief
	err := get(tx, bucketBriefs, itob(id), &b)
	return b, err
}

// putBrief writes b as the next version after old (nil for a new brief),
// keeps the stage index in step, keeps the version for later merges and
// records the write; from is the version an edit was made from when it
// was older (0 otherwise). It returns b as stored.
func (w *writeTx) putBrief(old *core.Brief, b core.Brief, action string, from uint64) (core.Brief, error) {
	b.Version = 1
	if old != nil {
		b.Version = old.Version + 1
	}
	if old == nil || from == old.Version {
		from = 0
	}
	v, err := json.Marshal(b)
	if err != nil {
		return b, err
	}
	if err := w.tx.Bucket(bucketBriefs).Put(itob(b.ID), v); err != nil {
		return b, fmt.Errorf("put brief: %w", err)
	}
	index := w.tx.Bucket(bucketBriefStage)
	if old == nil || old.Stage != b.Stage {
		from := b.Stage
		if old != nil {
			from = old.Stage
		}
		if err := w.putStageChange(core.StageChange{BriefID: b.ID, From: from, To: b.Stage, Time: w.now, Actor: w.actor}); err != nil {
			return b, err
		}
	}
	var before []byte
	if old != nil {
		if old.Stage != b.Stage {
			if err := index.Delete(stageKey(uint8(old.Stage), old.ID)); err != nil {
				return b, err
			}
		}
		if before, err = json.Marshal(old); err != nil {
			return b, err
		}
	}
	if err := index.Put(stageKey(uint8(b.Stage), b.ID), nil); err != nil {
		return b, fmt.Errorf("index brief: %w", err)
	}
	if err := w.putRevision(KindBrief, b.ID, b.Version, v); err != nil {
		return b, err
	}
	return b, w.recordVersion(KindBrief, action, strconv.FormatUint(b.ID, 10), b.Version, from, before, v)
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
