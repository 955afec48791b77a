package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// AggregateResult counts what one PutAggregates did.
type AggregateResult struct {
	// Added rows are new; Replaced rows took the place of the same day's
	// row of their variant and segment.
	Added, Replaced int
	Rejected        []Rejection
}

// aggregateKey is a row's key: the totals key of its variant, NUL, its
// segment, NUL, its day.
func aggregateKey(r core.AggregateRow) []byte {
	k := append(totalsKey(r.Experiment, r.Variant), 0)
	k = append(append(k, r.Segment...), 0)
	return append(k, r.Day...)
}

// PutAggregates stores warehouse rows in one transaction, each replacing
// the same day's row of its variant and segment. Invalid rows and rows of
// unknown experiments or variants are rejected one by one; the rest are
// stored, and each experiment they touch is audited.
func (s *Store) PutAggregates(ctx context.Context, actor string, rows []core.AggregateRow) (AggregateResult, error) {
	var res AggregateResult
	err := s.update(ctx, actor, func(w *writeTx) error {
		res = AggregateResult{}
		b := w.tx.Bucket(bucketAggregates)
		exps := map[string]*core.Experiment{}
		for i, r := range rows {
			if err := r.Validate(); err != nil {
				res.Rejected = append(res.Rejected, Rejection{Index: i, Reason: err.Error()})
				continue
			}
			e, ok := exps[r.Experiment]
			if !ok {
				var exp core.Experiment
				switch err := get(w.tx, bucketExperiments, []byte(r.Experiment), &exp); {
				case err == nil:
					e = &exp
				case err != ErrNotFound:
					return fmt.Errorf("experiment %q: %w", r.Experiment, err)
				}
				exps[r.Experiment] = e
			}
			if reason := aggregateProblem(e, r); reason != "" {
				res.Rejected = append(res.Rejected, Rejection{Index: i, Reason: reason})
				continue
			}
			k := aggregateKey(r)
			if b.Get(k) != nil {
				res.Replaced++
			} else {
				res.Added++
			}
			v, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if err := b.Put(k, v); err != nil {
				return fmt.Errorf("store the aggregate of %s/%s on %s: %w", r.Experiment, r.Variant, r.Day, err)
			}
		}
		for _, key := range slices.Sorted(maps.Keys(exps)) {
			if exps[key] != nil {
				if err := w.record(KindEvents, "aggregates.ingest", key, nil, nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return AggregateResult{}, fmt.Errorf("store aggregates: %w", err)
	}
	return res, nil
}

// aggregateProblem says why a valid row cannot be stored for e, "" if it
// can.
func aggregateProblem(e *core.Experiment, r core.AggregateRow) string {
	if e == nil {
		return fmt.Sprintf("unknown experiment %q; add it with `tandem experiment add`", r.Experiment)
	}
	if _, ok := e.Variant(r.Variant); !ok {
		return fmt.Sprintf("experiment %q has no variant %q", r.Experiment, r.Variant)
	}
	return ""
}

// addAggregates adds a variant's stored aggregate rows to t.
func addAggregates(tx *bolt.Tx, experiment, variant string, t *core.VariantTotals) error {
	prefix := append(totalsKey(experiment, variant), 0)
	c := tx.Bucket(bucketAggregates).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r core.AggregateRow
		if err := json.Unmarshal(v, &r); err != nil {
			return damaged(fmt.Sprintf("an aggregate of %s/%s does not decode", experiment, variant), err)
		}
		t.Add(r.Totals())
	}
	return nil
}
