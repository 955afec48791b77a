package store

import (
	"context"
	"fmt"

	"github.com/tandem-ops/tandem/core"
)

// AddFlow stores a new approval flow template and returns it with its ID.
func (s *Store) AddFlow(ctx context.Context, actor string, fl core.ApprovalFlow) (core.ApprovalFlow, error) {
	if err := fl.Validate(); err != nil {
		return fl, fmt.Errorf("add approval flow: %w", err)
	}
	fl.Version = 1
	err := s.update(ctx, actor, func(w *writeTx) error {
		return w.putNext(bucketFlows, KindFlow, "flow.add", func(id uint64) { fl.ID = id }, &fl)
	})
	if err != nil {
		return fl, fmt.Errorf("add approval flow %q: %w", fl.Name, err)
	}
	return fl, nil
}

// Flows returns every approval flow in ID order.
func (s *Store) Flows(ctx context.Context) ([]core.ApprovalFlow, error) {
	return listAll[core.ApprovalFlow](ctx, s, bucketFlows, "approval flows")
}

// Decisions returns every decision in the order they were made.
func (s *Store) Decisions(ctx context.Context) ([]core.Decision, error) {
	return listAll[core.Decision](ctx, s, bucketDecisions, "decisions")
}
