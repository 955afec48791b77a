package backend

import (
	"context"
	"time"

	"github.com/tandem-ops/tandem/core"

	"github.com/tandem-ops/tandem/core/kpi"
)

// KPIInput reads everything the KPIs are computed from, experiments read
// as of now.
func (b *Backend) KPIInput(ctx context.Context, now time.Time) (kpi.Input, error) {
	var in kpi.Input
	var err error
	in.Hours, in.Holidays = b.Calendar()
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
	in.Evidence = make(map[string]core.Result, len(in.Experiments))
	for _, e := range in.Experiments {
		totals, err := b.store.Totals(ctx, e.Key)
		if err != nil {
			return in, err
		}
		if r, ok := core.ExperimentResult(core.Analyze(e, totals, now, b.settings.Guards)); ok {
			in.Evidence[e.Key] = r
		}
	}
	in.People, err = b.store.People(ctx)
	return in, err
}
