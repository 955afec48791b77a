package backend

import (
	"context"

	"github.com/tandem-ops/tandem/core/kpi"
)

// KPIInput reads everything the KPIs are computed from.
func (b *Backend) KPIInput(ctx context.Context) (kpi.Input, error) {
	var in kpi.Input
	var err error
	if in.Briefs, err = b.store.Briefs(ctx); err != nil {
		return in, err
	}
	if in.History, err = b.store.StageHistory(ctx); err != nil {
		return in, err
	}
	if in.Reviews, err = b.store.Reviews(ctx); err != nil {
		return in, err
	}
	if in.Decisions, err = b.store.Decisions(ctx); err != nil {
		return in, err
	}
	if in.Flows, err = b.store.Flows(ctx); err != nil {
		return in, err
	}
	if in.Experiments, err = b.store.Experiments(ctx); err != nil {
		return in, err
	}
	in.People, err = b.store.People(ctx)
	return in, err
}
