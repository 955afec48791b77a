package backend

import (
	"context"
	"sync"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
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
	if in.Daily, err = b.DailyUnits(ctx, now); err != nil {
		return core.LearningPlan{}, err
	}
	return core.PlanLearning(in, now, from, to), nil
}

// dailyCache keeps the daily units read at the latest event write for one
// day, so that every session planning learning shares one read.
type dailyCache struct {
	mu    sync.Mutex
	seq   uint64
	day   time.Time
	units map[string]core.DailyUnits
}

// DailyUnits returns every experiment's units by day over the learning
// window before now's day (core.LearningDays), read again only after an
// event or experiment write or on another day. The map is shared: callers
// must not change it.
func (b *Backend) DailyUnits(ctx context.Context, now time.Time) (map[string]core.DailyUnits, error) {
	seq := b.store.LatestOf(store.KindEvents, store.KindExperiment)
	day, _ := core.LearningDays(now)
	b.daily.mu.Lock()
	defer b.daily.mu.Unlock()
	if b.daily.units != nil && b.daily.seq == seq && b.daily.day.Equal(day) {
		return b.daily.units, nil
	}
	units, err := b.store.DailyUnits(ctx, now)
	if err != nil {
		return nil, err
	}
	b.daily.seq, b.daily.day, b.daily.units = seq, day, units
	return units, nil
}
