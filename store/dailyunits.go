package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// DailyUnits returns every experiment's units by the UTC day of their
// first exposure over the learning window before now's day (see
// core.LearningDays), read in one transaction from the hourly series of
// its events and from its warehouse aggregates. Experiments with no units
// in the window are left out.
func (s *Store) DailyUnits(ctx context.Context, now time.Time) (map[string]core.DailyUnits, error) {
	from, to := core.LearningDays(now)
	out := map[string]core.DailyUnits{}
	err := s.view(ctx, func(tx *bolt.Tx) error {
		exps, err := list[core.Experiment](tx, bucketExperiments)
		if err != nil {
			return err
		}
		for _, e := range exps {
			days := make(core.DailyUnits, core.LearningWindowDays)
			var found bool
			for _, v := range e.Variants {
				got, err := variantDailyUnits(tx, e.Key, v.Key, from, to, days)
				if err != nil {
					return err
				}
				found = found || got
			}
			if found {
				out[e.Key] = days
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("daily units: %w", err)
	}
	return out, nil
}

// variantDailyUnits adds a variant's units first exposed on each day of
// [from, to) to days, and says whether it had any there.
func variantDailyUnits(tx *bolt.Tx, experiment, variant string, from, to time.Time, days core.DailyUnits) (bool, error) {
	found := false
	add := func(day time.Time, units uint64) {
		if i := int(day.Sub(from) / (24 * time.Hour)); !day.Before(from) && day.Before(to) && units > 0 {
			days[i] += units
			found = true
		}
	}
	prefix := append(totalsKey(experiment, variant), 0)
	c := tx.Bucket(bucketSeries).Cursor()
	for k, v := c.Seek(seriesKey(experiment, variant, from.Unix()/3600)); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var p SeriesPoint
		if err := json.Unmarshal(v, &p); err != nil {
			return false, damaged(fmt.Sprintf("a series point of %s/%s does not decode", experiment, variant), err)
		}
		if !p.Hour.Before(to) {
			break
		}
		add(p.Hour.Truncate(24*time.Hour), p.Exposures)
	}
	// A day's units are its rows summed as the totals sum them: its whole
	// row, or else one attribute's segments.
	rows, err := aggregateRows(tx, experiment, variant)
	if err != nil {
		return false, err
	}
	byDay := map[string][]core.AggregateRow{}
	for _, r := range rows {
		byDay[r.Day] = append(byDay[r.Day], r)
	}
	for day, rows := range byDay {
		if d, err := time.Parse(time.DateOnly, day); err == nil {
			add(d, core.SumAggregates(rows).Exposures)
		}
	}
	return found, nil
}
