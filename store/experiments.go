package store

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// AddExperiment stores a new experiment; ErrExists when its key is taken.
func (s *Store) AddExperiment(ctx context.Context, actor string, e core.Experiment) (core.Experiment, error) {
	if err := e.Validate(); err != nil {
		return e, fmt.Errorf("add experiment: %w", err)
	}
	err := s.update(ctx, actor, func(w *writeTx) error {
		tax, err := readTaxonomy(w.tx)
		if err != nil {
			return err
		}
		if err := tax.CheckExperiment(e); err != nil {
			return err
		}
		bucket := w.tx.Bucket(bucketExperiments)
		if bucket.Get([]byte(e.Key)) != nil {
			return fmt.Errorf("experiment %q %w; pick another key", e.Key, ErrExists)
		}
		if e.Started.IsZero() {
			e.Started = w.now
		}
		v, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := bucket.Put([]byte(e.Key), v); err != nil {
			return err
		}
		return w.record(KindExperiment, "experiment.add", e.Key, nil, v)
	})
	if err != nil {
		return e, fmt.Errorf("add experiment %s: %w", e.Key, err)
	}
	return e, nil
}

// Experiment returns the experiment with key, or ErrNotFound.
func (s *Store) Experiment(ctx context.Context, key string) (core.Experiment, error) {
	var e core.Experiment
	err := s.view(ctx, func(tx *bolt.Tx) error {
		return get(tx, bucketExperiments, []byte(key), &e)
	})
	if err != nil {
		return e, fmt.Errorf("experiment %s: %w", key, err)
	}
	return e, nil
}

// Experiments returns every experiment in key order.
func (s *Store) Experiments(ctx context.Context) ([]core.Experiment, error) {
	var out []core.Experiment
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = list[core.Experiment](tx, bucketExperiments)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list experiments: %w", err)
	}
	return out, nil
}

// AddEvents stores a batch of events in one transaction and folds them into
// their variants' totals. Every event must name a stored experiment and one
// of its variants; the batch is all or none.
func (s *Store) AddEvents(ctx context.Context, actor string, events []core.Event) error {
	err := s.update(ctx, actor, func(w *writeTx) error {
		totals := w.tx.Bucket(bucketTotals)
		stored := w.tx.Bucket(bucketEvents)
		known := map[string]core.Experiment{}
		sums := map[string]*core.VariantTotals{}
		touched := map[string]bool{}
		for i, ev := range events {
			if err := ev.Validate(); err != nil {
				return fmt.Errorf("event %d: %w", i+1, err)
			}
			exp, ok := known[ev.Experiment]
			if !ok {
				if err := get(w.tx, bucketExperiments, []byte(ev.Experiment), &exp); err != nil {
					return fmt.Errorf("event %d: experiment %q: %w", i+1, ev.Experiment, err)
				}
				known[ev.Experiment] = exp
			}
			if _, ok := exp.Variant(ev.Variant); !ok {
				return fmt.Errorf("event %d: experiment %q has no variant %q", i+1, ev.Experiment, ev.Variant)
			}
			key := string(totalsKey(ev.Experiment, ev.Variant))
			sum, ok := sums[key]
			if !ok {
				sum = new(core.VariantTotals)
				if raw := totals.Get([]byte(key)); raw != nil {
					if err := json.Unmarshal(raw, sum); err != nil {
						return fmt.Errorf("totals of %s/%s: %w", ev.Experiment, ev.Variant, err)
					}
				}
				sums[key] = sum
			}
			sum.Add(ev)
			v, err := json.Marshal(ev)
			if err != nil {
				return err
			}
			seq, err := stored.NextSequence()
			if err != nil {
				return err
			}
			if err := stored.Put(itob(seq), v); err != nil {
				return err
			}
			touched[ev.Experiment] = true
		}
		for key, sum := range sums {
			v, err := json.Marshal(sum)
			if err != nil {
				return err
			}
			if err := totals.Put([]byte(key), v); err != nil {
				return err
			}
		}
		for key := range touched {
			if err := w.record(KindEvents, "events.ingest", key, nil, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add events: %w", err)
	}
	return nil
}

// Totals returns the running totals of every variant of an experiment,
// keyed by variant key; variants with no events yet have zero totals.
func (s *Store) Totals(ctx context.Context, experiment string) (map[string]core.VariantTotals, error) {
	out := map[string]core.VariantTotals{}
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var exp core.Experiment
		if err := get(tx, bucketExperiments, []byte(experiment), &exp); err != nil {
			return err
		}
		totals := tx.Bucket(bucketTotals)
		for _, v := range exp.Variants {
			var t core.VariantTotals
			if raw := totals.Get(totalsKey(experiment, v.Key)); raw != nil {
				if err := json.Unmarshal(raw, &t); err != nil {
					return fmt.Errorf("totals of %s: %w", v.Key, err)
				}
			}
			out[v.Key] = t
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("totals of experiment %s: %w", experiment, err)
	}
	return out, nil
}
