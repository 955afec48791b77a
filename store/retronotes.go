package store

import (
	"context"
	"fmt"

	"github.com/tandem-ops/tandem/core"
)

// AddRetroNote stores a note on a retro period, stamped with the write's
// time.
func (s *Store) AddRetroNote(ctx context.Context, actor string, n core.RetroNote) (core.RetroNote, error) {
	if err := n.Validate(); err != nil {
		return n, fmt.Errorf("add retro note: %w", err)
	}
	err := s.update(ctx, actor, func(w *writeTx) error {
		n.Time = w.now
		return w.putNext(bucketRetroNotes, KindRetroNote, "retro.note", func(id uint64) { n.ID = id }, &n)
	})
	if err != nil {
		return n, fmt.Errorf("add retro note on %s: %w", n.Period, err)
	}
	return n, nil
}

// RetroNotes returns every retro note in the order they were written.
func (s *Store) RetroNotes(ctx context.Context) ([]core.RetroNote, error) {
	return listAll[core.RetroNote](ctx, s, bucketRetroNotes, "retro notes")
}
