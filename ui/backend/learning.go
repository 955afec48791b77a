package backend

import (
	"context"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// PlanLearning plans learning capacity over [from, to) as of now under
// the workspace's decision rule, with mde in place of its MDE when
// positive.
func (b *Backend) PlanLearning(ctx context.Context, now, from, to time.Time, mde float64) (core.LearningPlan, error) {
	experiments, err := b.store.Experiments(ctx)
	if err != nil {
		return core.LearningPlan{}, err
	}
	briefs, err := b.store.Briefs(ctx)
	if err != nil {
		return core.LearningPlan{}, err
	}
	reviews, err := b.store.Reviews(ctx)
	if err != nil {
		return core.LearningPlan{}, err
	}
	people, err := b.store.People(ctx)
	if err != nil {
		return core.LearningPlan{}, err
	}
	in := core.LearningInput{Experiments: experiments, Totals: map[string]map[string]core.VariantTotals{},
		Briefs: core.BriefsByID(briefs), Guards: b.settings.Guards, ReviewDays: core.MedianReviewDays(reviews, now),
		Capacity: core.PlanCapacity(people, briefs, core.Weeks(now, core.LearningCapacityWeeks), b.settings.Holidays)}
	if mde > 0 {
		in.Guards.Policy.MDE = mde
	}
	for _, e := range experiments {
		if in.Totals[e.Key], err = b.store.Totals(ctx, e.Key); err != nil {
			return core.LearningPlan{}, err
		}
	}
	return core.PlanLearning(in, now, from, to), nil
}
