package store

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// logTally replays stored events, in log order, through a fresh event
// index into every variant's totals and series: what ingest would have
// stored for them. Check compares it with what is stored; the schema 6
// migration and an import of an older export write it.
type logTally struct {
	index   *eventIndex
	h       *hasher
	windows map[string]time.Duration
	// count is false when only the index is wanted.
	count  bool
	totals map[uint32]*core.VariantTotals
	series map[uint32]*seriesDeltas
}

func newLogTally(windows map[string]time.Duration, count bool) *logTally {
	x := newEventIndex()
	return &logTally{index: x, h: x.hasher(), windows: windows, count: count,
		totals: map[uint32]*core.VariantTotals{}, series: map[uint32]*seriesDeltas{}}
}

// add replays one event; a duplicate adds nothing.
func (t *logTally) add(ev core.Event) {
	arm := t.index.armID(ev.Experiment, ev.Variant)
	fresh, changes := t.index.admit(t.h, ev, arm, t.windows[ev.Experiment])
	if !fresh || !t.count {
		return
	}
	t.arm(arm).See(ev.TS)
	for _, c := range changes {
		t.arm(c.arm).Move(c.before, c.after)
		s := t.series[c.arm]
		if s == nil {
			s = newSeriesDeltas()
			t.series[c.arm] = s
		}
		s.move(c.before, c.after)
	}
}

func (t *logTally) arm(id uint32) *core.VariantTotals {
	tot := t.totals[id]
	if tot == nil {
		tot = new(core.VariantTotals)
		t.totals[id] = tot
	}
	return tot
}

// byKey returns the totals by totals key.
func (t *logTally) byKey() map[string]core.VariantTotals {
	out := make(map[string]core.VariantTotals, len(t.totals))
	for id, tot := range t.totals {
		n := t.index.armNames[id]
		out[string(totalsKey(n.experiment, n.variant))] = *tot
	}
	return out
}

// write replaces tx's totals and series with the tally's.
func (t *logTally) write(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketTotals, bucketSeries} {
		if err := tx.DeleteBucket(name); err != nil {
			return fmt.Errorf("clear %s: %w", name, err)
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	totals, series := tx.Bucket(bucketTotals), tx.Bucket(bucketSeries)
	for _, id := range slices.Sorted(maps.Keys(t.totals)) {
		n := t.index.armNames[id]
		v, err := json.Marshal(t.totals[id])
		if err != nil {
			return err
		}
		if err := totals.Put(totalsKey(n.experiment, n.variant), v); err != nil {
			return err
		}
		s := t.series[id]
		if s == nil {
			continue
		}
		for _, hour := range slices.Sorted(maps.Keys(s.hours)) {
			pt := SeriesPoint{Hour: time.Unix(hour*3600, 0).UTC()}
			pt.add(*s.hours[hour])
			if pt.Exposures == 0 && pt.Converters == 0 {
				continue
			}
			v, err := json.Marshal(pt)
			if err != nil {
				return err
			}
			if err := series.Put(seriesKey(n.experiment, n.variant, hour), v); err != nil {
				return err
			}
		}
	}
	return nil
}

// recountTotals rebuilds every variant's totals and series from the log.
func recountTotals(tx *bolt.Tx) error {
	windows, err := conversionWindows(tx)
	if err != nil {
		return err
	}
	t := newLogTally(windows, true)
	if err := eachLogEvent(tx, t.add); err != nil {
		return err
	}
	return t.write(tx)
}
