package store

import (
	"bytes"
	"cmp"
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
// the same day's row of its variant and segment. Invalid rows, rows of
// unknown experiments or variants, and segment rows of a second attribute
// on a day without a total (core.SegmentConflict) are rejected one by one;
// the rest are stored, and each experiment they touch is audited. Rows
// without a segment are stored first, so a file may list a day's total
// after its segments.
func (s *Store) PutAggregates(ctx context.Context, actor string, rows []core.AggregateRow) (AggregateResult, error) {
	var res AggregateResult
	err := s.update(ctx, actor, func(w *writeTx) error {
		res = AggregateResult{}
		b := w.tx.Bucket(bucketAggregates)
		exps := map[string]*core.Experiment{}
		days := map[string]map[string][]core.AggregateRow{} // a variant's stored rows by day
		for _, i := range totalsFirst(rows) {
			r := rows[i]
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
			arm := string(totalsKey(r.Experiment, r.Variant))
			if days[arm] == nil {
				stored, err := aggregateRows(w.tx, r.Experiment, r.Variant)
				if err != nil {
					return err
				}
				days[arm] = map[string][]core.AggregateRow{}
				for _, s := range stored {
					days[arm][s.Day] = append(days[arm][s.Day], s)
				}
			}
			if reason := core.SegmentConflict(days[arm][r.Day], r); reason != "" {
				res.Rejected = append(res.Rejected, Rejection{Index: i, Reason: fmt.Sprintf("%s/%s on %s: %s", r.Experiment, r.Variant, r.Day, reason)})
				continue
			}
			days[arm][r.Day] = append(days[arm][r.Day], r)
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
		slices.SortFunc(res.Rejected, func(x, y Rejection) int { return cmp.Compare(x.Index, y.Index) })
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

// totalsFirst orders rows by index, those without a segment first.
func totalsFirst(rows []core.AggregateRow) []int {
	order := make([]int, 0, len(rows))
	for _, segmented := range []bool{false, true} {
		for i, r := range rows {
			if (r.Segment != "") == segmented {
				order = append(order, i)
			}
		}
	}
	return order
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

// addAggregates adds a variant's stored aggregate rows to t, a day at a
// time as core.SumAggregates rules.
func addAggregates(tx *bolt.Tx, experiment, variant string, t *core.VariantTotals) error {
	rows, err := aggregateRows(tx, experiment, variant)
	if err != nil || len(rows) == 0 {
		return err
	}
	t.Add(core.SumAggregates(rows))
	return nil
}

// aggregateRows reads a variant's stored aggregate rows.
func aggregateRows(tx *bolt.Tx, experiment, variant string) ([]core.AggregateRow, error) {
	var out []core.AggregateRow
	prefix := append(totalsKey(experiment, variant), 0)
	c := tx.Bucket(bucketAggregates).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r core.AggregateRow
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, damaged(fmt.Sprintf("an aggregate of %s/%s does not decode", experiment, variant), err)
		}
		out = append(out, r)
	}
	return out, nil
}

// experimentAggregates reads an experiment's stored aggregate rows by
// variant.
func experimentAggregates(tx *bolt.Tx, experiment string) (map[string][]core.AggregateRow, error) {
	out := map[string][]core.AggregateRow{}
	prefix := totalsKey(experiment, "")
	c := tx.Bucket(bucketAggregates).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r core.AggregateRow
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, damaged(fmt.Sprintf("an aggregate of %s does not decode", experiment), err)
		}
		out[r.Variant] = append(out[r.Variant], r)
	}
	return out, nil
}

// addAggregateSegments adds to levels the breakdown of experiment's
// aggregate rows by the attribute key (core.SegmentAggregates).
func addAggregateSegments(tx *bolt.Tx, experiment, key string, levels map[string]map[string]core.VariantTotals) error {
	rows, err := experimentAggregates(tx, experiment)
	if err != nil {
		return err
	}
	for variant, vrows := range rows {
		for level, t := range core.SegmentAggregates(vrows, key) {
			if levels[level] == nil {
				levels[level] = map[string]core.VariantTotals{}
			}
			sum := levels[level][variant]
			sum.Add(t)
			levels[level][variant] = sum
		}
	}
	return nil
}
