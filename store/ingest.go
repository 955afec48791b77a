package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// IngestOptions tune Ingest.
type IngestOptions struct {
	// Create adds experiments and variants that events name but the store
	// does not have, instead of rejecting those events.
	Create bool
}

// Rejection is an event Ingest refused, by its index in the batch.
type Rejection struct {
	Index  int
	Reason string
}

// IngestResult counts what one batch did.
type IngestResult struct {
	Accepted int
	// Duplicates were already stored (same id, or same content): skipped,
	// so that ingesting a file twice counts nothing twice.
	Duplicates int
	Rejected   []Rejection
	// Created lists experiments and variants made by IngestOptions.Create.
	Created []string
}

// SeriesPoint is what one hour added to a variant: newly exposed and newly
// converting units.
type SeriesPoint struct {
	Hour       time.Time `json:"hour"`
	Exposures  uint64    `json:"exposures"`
	Converters uint64    `json:"converters"`
}

// ingestBatch is one transaction's worth of ingest state.
type ingestBatch struct {
	w      *writeTx
	index  *eventIndex
	opts   IngestOptions
	exps   map[string]*batchExperiment // nil for an experiment events may not name
	log    *blockWriter
	result IngestResult
}

// batchExperiment is an experiment the batch names, with the arms its
// events touched.
type batchExperiment struct {
	exp     *core.Experiment
	changed bool // created, or given variants
	arms    []*batchArm
}

// batchArm is one variant's running totals, and what this batch added to
// its hourly series.
type batchArm struct {
	variant string
	totals  core.VariantTotals
	touched bool
	// names are the experiment's and variant's indexes in the log block.
	names    [2]uint64
	points   map[int64]*SeriesPoint
	lastHour int64
	last     *SeriesPoint
}

// siftedChunk is how many accepted events the first stage of fold hands to
// the second at a time.
const siftedChunk = 1024

// sifted is an accepted event, the variant it counts toward and its
// unit's flags before it.
type sifted struct {
	i     int
	arm   *batchArm
	flags byte
}

// Ingest stores a batch of events in one transaction (one fsync): the
// events as one block of the event log, folded into per-variant totals and
// hourly series. Invalid events and events for unknown experiments are
// rejected one by one; the rest are stored.
func (s *Store) Ingest(ctx context.Context, actor string, events []core.Event, opts IngestOptions) (IngestResult, error) {
	var result IngestResult
	err := s.update(ctx, actor, func(w *writeTx) error {
		index, err := s.eventIndexFor(w)
		if err != nil {
			return err
		}
		b := &ingestBatch{w: w, index: index, opts: opts, exps: map[string]*batchExperiment{}, log: newBlockWriter()}
		if err := b.fold(events); err != nil {
			return err
		}
		if err := b.flush(); err != nil {
			return err
		}
		result = b.result
		return nil
	})
	if err != nil {
		return IngestResult{}, fmt.Errorf("ingest events: %w", err)
	}
	return result, nil
}

// eventIndexFor returns the event index, replaying the log on first use. A
// transaction that does not commit drops it: it may hold that
// transaction's events.
func (s *Store) eventIndexFor(w *writeTx) (*eventIndex, error) {
	if s.events == nil {
		index, err := loadEventIndex(w.tx)
		if err != nil {
			return nil, err
		}
		s.events = index
	}
	w.aborted = append(w.aborted, func() { s.events = nil })
	return s.events, nil
}

// fold counts events in two stages on two goroutines: the first validates
// each event, finds its variant and looks it up in the index (a cache miss,
// mostly); this one folds each accepted event into its variant's totals and
// series and logs it, in input order.
func (b *ingestBatch) fold(events []core.Event) error {
	chunks := make(chan []sifted, 4)
	var siftErr error
	go func() {
		defer close(chunks)
		siftErr = b.sift(events, chunks)
	}()
	for chunk := range chunks {
		for _, s := range chunk {
			b.count(s.arm, events[s.i], s.flags)
		}
	}
	return siftErr // written before chunks was closed
}

// sift is fold's first stage.
func (b *ingestBatch) sift(events []core.Event, out chan<- []sifted) error {
	h := b.index.hasher()
	chunk := make([]sifted, 0, siftedChunk)
	for i, ev := range events {
		if err := ev.Validate(); err != nil {
			b.reject(i, err.Error())
			continue
		}
		arm, reason, err := b.arm(ev)
		if err != nil {
			return err
		}
		if arm == nil {
			b.reject(i, reason)
			continue
		}
		fresh, flags := b.index.admit(h, ev)
		if !fresh {
			b.result.Duplicates++
			continue
		}
		b.result.Accepted++
		if chunk = append(chunk, sifted{i, arm, flags}); len(chunk) == siftedChunk {
			out <- chunk
			chunk = make([]sifted, 0, siftedChunk)
		}
	}
	if len(chunk) > 0 {
		out <- chunk
	}
	return nil
}

func (b *ingestBatch) reject(i int, reason string) {
	b.result.Rejected = append(b.result.Rejected, Rejection{Index: i, Reason: reason})
}

// arm returns the variant ev counts toward, creating its experiment or the
// variant when the options allow; nil with a reason when ev must be
// rejected.
func (b *ingestBatch) arm(ev core.Event) (*batchArm, string, error) {
	e, ok := b.exps[ev.Experiment]
	if !ok {
		var err error
		if e, err = b.experiment(ev); err != nil {
			return nil, "", err
		}
		b.exps[ev.Experiment] = e
	}
	if e == nil {
		return nil, fmt.Sprintf("unknown experiment %q; add it with `tandem experiment add`, or ingest with --create", ev.Experiment), nil
	}
	for _, a := range e.arms {
		if a.variant == ev.Variant {
			return a, "", nil
		}
	}
	if _, ok := e.exp.Variant(ev.Variant); !ok {
		if !b.opts.Create {
			return nil, fmt.Sprintf("experiment %q has no variant %q; ingest with --create to add it", ev.Experiment, ev.Variant), nil
		}
		e.exp.Variants = append(e.exp.Variants, core.Variant{Key: ev.Variant, Name: ev.Variant, Weight: 1, Control: len(e.exp.Variants) == 0})
		e.changed = true
		b.result.Created = append(b.result.Created, ev.Experiment+"/"+ev.Variant)
	}
	a := &batchArm{variant: ev.Variant, points: map[int64]*SeriesPoint{}, lastHour: math.MinInt64}
	if raw := b.w.tx.Bucket(bucketTotals).Get(totalsKey(ev.Experiment, ev.Variant)); raw != nil {
		if err := json.Unmarshal(raw, &a.totals); err != nil {
			return nil, "", damaged(fmt.Sprintf("totals of %s/%s do not decode", ev.Experiment, ev.Variant), err)
		}
	}
	e.arms = append(e.arms, a)
	return a, "", nil
}

// experiment reads the stored experiment ev names, or creates it when the
// options allow; nil when events may not name it.
func (b *ingestBatch) experiment(ev core.Event) (*batchExperiment, error) {
	var exp core.Experiment
	switch err := get(b.w.tx, bucketExperiments, []byte(ev.Experiment), &exp); {
	case err == nil:
		return &batchExperiment{exp: &exp}, nil
	case err != ErrNotFound:
		return nil, fmt.Errorf("experiment %q: %w", ev.Experiment, err)
	case !b.opts.Create:
		return nil, nil
	}
	b.result.Created = append(b.result.Created, ev.Experiment)
	return &batchExperiment{exp: &core.Experiment{Key: ev.Experiment, Name: ev.Experiment, Started: ev.TS}, changed: true}, nil
}

// count folds an accepted event into its variant's totals and series and
// appends it to the log; flags are its unit's before it.
func (b *ingestBatch) count(arm *batchArm, ev core.Event, flags byte) {
	if !arm.touched {
		arm.names = [2]uint64{b.log.name(ev.Experiment), b.log.name(ev.Variant)}
		arm.touched = true
	}
	b.log.addNamed(ev, arm.names[0], arm.names[1])
	before := arm.totals
	arm.totals.Fold(ev, flags)
	exposed, converted := arm.totals.Exposures-before.Exposures, arm.totals.Converters-before.Converters
	if exposed == 0 && converted == 0 {
		return // no new unit: the series does not move
	}
	pt := arm.point(ev.TS.Unix() / 3600)
	pt.Exposures += exposed
	pt.Converters += converted
}

// point returns what the batch adds to the arm's series in hour.
func (a *batchArm) point(hour int64) *SeriesPoint {
	if hour == a.lastHour {
		return a.last
	}
	pt, ok := a.points[hour]
	if !ok {
		pt = &SeriesPoint{Hour: time.Unix(hour*3600, 0).UTC()}
		a.points[hour] = pt
	}
	a.lastHour, a.last = hour, pt
	return pt
}

// flush writes the batch's log block, experiments, totals and series, in
// key order, and audits each experiment it changed.
func (b *ingestBatch) flush() error {
	if b.log.n > 0 {
		log := b.w.tx.Bucket(bucketEventLog)
		seq, err := log.NextSequence()
		if err != nil {
			return err
		}
		if err := log.Put(itob(seq), b.log.bytes()); err != nil {
			return fmt.Errorf("append to the event log: %w", err)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(b.exps)) {
		e := b.exps[key]
		if e == nil {
			continue
		}
		if err := b.flushExperiment(key, e); err != nil {
			return err
		}
	}
	return nil
}

func (b *ingestBatch) flushExperiment(key string, e *batchExperiment) error {
	if e.changed {
		// Keys were checked with each event; a created experiment may have a
		// single variant until the rest of its traffic arrives.
		v, err := json.Marshal(e.exp)
		if err != nil {
			return err
		}
		if err := b.w.tx.Bucket(bucketExperiments).Put([]byte(key), v); err != nil {
			return err
		}
	}
	touched := e.changed
	slices.SortFunc(e.arms, func(x, y *batchArm) int { return strings.Compare(x.variant, y.variant) })
	for _, a := range e.arms {
		if !a.touched {
			continue
		}
		touched = true
		v, err := json.Marshal(a.totals)
		if err != nil {
			return err
		}
		if err := b.w.tx.Bucket(bucketTotals).Put(totalsKey(key, a.variant), v); err != nil {
			return err
		}
		if err := b.flushSeries(key, a); err != nil {
			return err
		}
	}
	if !touched {
		return nil
	}
	return b.w.record(KindEvents, "events.ingest", key, nil, nil)
}

// flushSeries adds what the batch counted in each hour to the arm's stored
// series.
func (b *ingestBatch) flushSeries(experiment string, a *batchArm) error {
	series := b.w.tx.Bucket(bucketSeries)
	for _, hour := range slices.Sorted(maps.Keys(a.points)) {
		added := a.points[hour]
		k := seriesKey(experiment, a.variant, hour)
		pt := SeriesPoint{Hour: added.Hour}
		if raw := series.Get(k); raw != nil {
			if err := json.Unmarshal(raw, &pt); err != nil {
				return damaged(fmt.Sprintf("series of %s/%s does not decode", experiment, a.variant), err)
			}
		}
		pt.Exposures += added.Exposures
		pt.Converters += added.Converters
		v, err := json.Marshal(pt)
		if err != nil {
			return err
		}
		if err := series.Put(k, v); err != nil {
			return err
		}
	}
	return nil
}

// Series returns a variant's hourly points in time order.
func (s *Store) Series(ctx context.Context, experiment, variant string) ([]SeriesPoint, error) {
	var out []SeriesPoint
	err := s.view(ctx, func(tx *bolt.Tx) error {
		prefix := append(totalsKey(experiment, variant), 0)
		c := tx.Bucket(bucketSeries).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var p SeriesPoint
			if err := json.Unmarshal(v, &p); err != nil {
				return damaged("a series point does not decode", err)
			}
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("series of %s/%s: %w", experiment, variant, err)
	}
	return out, nil
}
