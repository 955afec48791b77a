package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

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
	return listAll[core.Experiment](ctx, s, bucketExperiments, "experiments")
}

// Totals returns the running totals of every variant of an experiment,
// keyed by variant key; variants with no events yet have zero totals.
func (s *Store) Totals(ctx context.Context, experiment string) (map[string]core.VariantTotals, error) {
	var out map[string]core.VariantTotals
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var exp core.Experiment
		if err := get(tx, bucketExperiments, []byte(experiment), &exp); err != nil {
			return err
		}
		var err error
		out, err = readTotals(tx, exp)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("totals of experiment %s: %w", experiment, err)
	}
	return out, nil
}

// readTotals reads the running totals of every variant of exp in tx.
func readTotals(tx *bolt.Tx, exp core.Experiment) (map[string]core.VariantTotals, error) {
	out := make(map[string]core.VariantTotals, len(exp.Variants))
	totals := tx.Bucket(bucketTotals)
	for _, v := range exp.Variants {
		var t core.VariantTotals
		if raw := totals.Get(totalsKey(exp.Key, v.Key)); raw != nil {
			if err := json.Unmarshal(raw, &t); err != nil {
				return nil, damaged("totals of "+v.Key+" do not decode", err)
			}
		}
		if err := addAggregates(tx, exp.Key, v.Key, &t); err != nil {
			return nil, err
		}
		out[v.Key] = t
	}
	return out, nil
}

// DeclareWinner records variant as the winner of an experiment. A
// declaration is final: declaring again is an error naming the winner.
func (s *Store) DeclareWinner(ctx context.Context, actor, key, variant, override string) (core.Experiment, error) {
	var e core.Experiment
	err := s.update(ctx, actor, func(w *writeTx) error {
		bucket := w.tx.Bucket(bucketExperiments)
		before := bucket.Get([]byte(key))
		if before == nil {
			return ErrNotFound
		}
		if err := json.Unmarshal(before, &e); err != nil {
			return err
		}
		if e.Winner != "" {
			return fmt.Errorf("%q was already declared the winner on %s", e.Winner, e.Decided.Format(time.DateOnly))
		}
		if _, ok := e.Variant(variant); !ok {
			return &core.FieldError{Record: "experiment", Field: "winner", Problem: fmt.Sprintf("%q is not a variant of %s", variant, key)}
		}
		e.Winner, e.Decided, e.Override = variant, w.now, override
		if err := e.Validate(); err != nil {
			return err
		}
		v, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := bucket.Put([]byte(key), v); err != nil {
			return err
		}
		action := "experiment.declare"
		if override != "" {
			action = "experiment.declare.override"
		}
		return w.record(KindExperiment, action, key, before, v)
	})
	if err != nil {
		return e, fmt.Errorf("declare winner of %s: %w", key, err)
	}
	return e, nil
}
