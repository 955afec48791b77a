package backend

import (
	"context"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/core/kpi"
)

// reviewHistory is how far back the median review time is read.
const reviewHistory = 90 * 24 * time.Hour

// PlanLearning plans learning capacity over [from, to) as of now under
// the workspace's decision rule, with mde in place of its MDE when
// positive.
func (b *Backend) PlanLearning(ctx context.Context, now, from, to time.Time, mde float64) (core.LearningPlan, error) {
	in, err := b.KPIInput(ctx, now)
	if err != nil {
		return core.LearningPlan{}, err
	}
	li := core.LearningInput{Experiments: in.Experiments, Totals: map[string]map[string]core.VariantTotals{},
		Briefs: BriefsByID(in.Briefs), Policy: b.settings.Guards.Policy}
	if mde > 0 {
		li.Policy.MDE = mde
	}
	for _, e := range in.Experiments {
		if li.Totals[e.Key], err = b.store.Totals(ctx, e.Key); err != nil {
			return core.LearningPlan{}, err
		}
	}
	if k, ok := kpi.Compute(in, now.Add(-reviewHistory), now).Get("approval_time"); ok && k.N > 0 {
		li.ReviewDays = k.Value / 24
	}
	return core.PlanLearning(li, now, from, to), nil
}
