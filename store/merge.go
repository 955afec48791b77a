package store

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// mergeEdit brings mine, an edit of kind/id made from version from, up to
// the stored record theirs at version current. From the stored version
// mine is returned as it is. From an older one, the kept base version is
// merged three ways with theirs and mine (core.Merge3): the result and
// what it took from theirs, or a *core.ConflictError naming the fields
// both changed. A base no longer kept makes every field mine sets apart
// from theirs a conflict: nothing is taken on trust. A version past
// current is a bad value, a *core.FieldError.
func mergeEdit[T any](tx *bolt.Tx, kind Kind, fields []core.FieldOf[T], id, from, current uint64, theirs, mine T) (T, core.Merged, error) {
	record := fmt.Sprintf("%s %d", kind, id)
	switch {
	case from == current:
		return mine, core.Merged{}, nil
	case from > current:
		return mine, core.Merged{}, &core.FieldError{Record: record, Field: "version", Problem: fmt.Sprintf("is %d, which it has not reached; it is at version %d: edit from that", from, current)}
	}
	by := writersSince(tx, kind, id, from, current)
	var base T
	if _, err := revisionAt(tx, kind, id, from, &base); err != nil {
		if !errors.Is(err, ErrRevisionGone) {
			return mine, core.Merged{}, err
		}
		conflict := &core.ConflictError{Record: record, From: from, Current: current, By: by}
		for _, f := range fields {
			if t, m := f.Text(theirs), f.Text(mine); t != m {
				conflict.Fields = append(conflict.Fields, core.FieldConflict{Field: f.Name, Theirs: t, Mine: m})
			}
		}
		if len(conflict.Fields) == 0 {
			return mine, core.Merged{}, nil
		}
		return mine, core.Merged{}, conflict
	}
	merged, took, conflicts := core.Merge3(fields, base, theirs, mine)
	if len(conflicts) > 0 {
		return mine, core.Merged{}, &core.ConflictError{Record: record, From: from, Current: current, By: by, Fields: conflicts}
	}
	return merged, core.Merged{Record: record, From: from, Fields: took, By: by}, nil
}
