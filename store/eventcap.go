package store

import (
	"context"
	"math"
	"slices"

	"github.com/tandem-ops/tandem/core"
)

// cappedTotals is experiment's variant totals with every unit's revenue
// capped at the pct percentile of the revenue of its paying units (those
// with any), as winsorising does to keep one whale from deciding a test;
// it returns the cap too (0 when nobody paid). One pass to collect, one to
// fold, over the states, as segments does.
func (x *eventIndex) cappedTotals(experiment string, pct float64) (map[string]core.VariantTotals, float64, error) {
	inExperiment := make([]bool, len(x.armNames))
	for id, n := range x.armNames {
		inExperiment[id] = n.experiment == experiment
	}
	var paid []float64
	err := x.eachState(func(s uint32) {
		if !inExperiment[x.states[s-1].armID()] {
			return
		}
		if u := x.count(s); u.Exposed != 0 && u.Revenue > 0 {
			paid = append(paid, u.Revenue)
		}
	})
	if err != nil {
		return nil, 0, err
	}
	limit := percentile(paid, pct)
	out := map[string]core.VariantTotals{}
	err = x.eachState(func(s uint32) {
		st := &x.states[s-1]
		if !inExperiment[st.armID()] {
			return
		}
		u := x.count(s)
		if len(paid) > 0 {
			u.Revenue = min(u.Revenue, limit)
		}
		name := x.armNames[st.armID()].variant
		t := out[name]
		t.Move(core.UnitCount{}, u)
		out[name] = t
	})
	return out, limit, err
}

// percentile is the nearest-rank pct percentile of xs (sorted in place),
// 0 for none.
func percentile(xs []float64, pct float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	rank := int(math.Ceil(pct / 100 * float64(len(xs))))
	return xs[min(max(rank, 1), len(xs))-1]
}

// CappedTotals returns experiment's variant totals with revenue per unit
// capped at the pct percentile of paying units' revenue, and the cap, from
// the in-memory event index (built from the log the first time).
func (s *Store) CappedTotals(ctx context.Context, experiment string, pct float64) (map[string]core.VariantTotals, float64, error) {
	var out map[string]core.VariantTotals
	var limit float64
	err := s.withEventIndex(ctx, func(x *eventIndex) (err error) {
		out, limit, err = x.cappedTotals(experiment, pct)
		return err
	})
	return out, limit, err
}
