package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// AddFlow stores a new approval flow template and returns it with its ID.
func (s *Store) AddFlow(ctx context.Context, actor string, fl core.ApprovalFlow) (core.ApprovalFlow, error) {
	if err := fl.Validate(); err != nil {
		return fl, fmt.Errorf("add approval flow: %w", err)
	}
	err := s.update(ctx, actor, func(w *writeTx) error {
		bucket := w.tx.Bucket(bucketFlows)
		var err error
		if fl.ID, err = bucket.NextSequence(); err != nil {
			return err
		}
		v, err := json.Marshal(fl)
		if err != nil {
			return err
		}
		if err := bucket.Put(itob(fl.ID), v); err != nil {
			return err
		}
		return w.record(KindFlow, "flow.add", strconv.FormatUint(fl.ID, 10), nil, v)
	})
	if err != nil {
		return fl, fmt.Errorf("add approval flow %q: %w", fl.Name, err)
	}
	return fl, nil
}

// Flows returns every approval flow in ID order.
func (s *Store) Flows(ctx context.Context) ([]core.ApprovalFlow, error) {
	var out []core.ApprovalFlow
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = list[core.ApprovalFlow](tx, bucketFlows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list approval flows: %w", err)
	}
	return out, nil
}

// Decisions returns every decision in the order they were made.
func (s *Store) Decisions(ctx context.Context) ([]core.Decision, error) {
	var out []core.Decision
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = list[core.Decision](tx, bucketDecisions)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	return out, nil
}
