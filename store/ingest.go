package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
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
	// Source, when set, names the stream the batch was read from and the
	// partition offsets it covers; they are stored in the batch's
	// transaction, so the totals and the place to resume never disagree.
	Source *SourceBatch
}

// Rejection is an event Ingest refused, by its index in the batch.
type Rejection struct {
	Index  int
	Reason string
}

// IngestResult counts what one batch did.
type IngestResult struct {
	Accepted int
	// Duplicates were already stored (same id, or same content), or are
	// exposures without an id that change no number (their unit is
	// exposed no later and the variant has seen their time): skipped, so
	// that ingesting a file twice counts nothing twice and repeated
	// exposures cost neither the log nor memory.
	Duplicates int
	Rejected   []Rejection
	// Created lists experiments and variants made by IngestOptions.Create.
	Created []string
}

// ingestBatch is one transaction's worth of ingest state.
type ingestBatch struct {
	w      *writeTx
	index  *eventIndex
	opts   IngestOptions
	exps   map[string]*batchExperiment // nil for an experiment events may not name
	log    *blockWriter
	result IngestResult
	// created counts the experiments this batch made; stored is how many
	// the workspace held before it, read when the first is made.
	created, stored int
}

// Bounds on what ingest --create may make, so that a stream of made-up
// names cannot slow the workspace for everyone.
const (
	// MaxCreatedPerBatch is how many experiments one batch may create.
	MaxCreatedPerBatch = 100
	// MaxExperiments is how many experiments a workspace holds.
	MaxExperiments = 10_000
)

// batchExperiment is an experiment the batch names, with the arms its
// events touched.
type batchExperiment struct {
	exp     *core.Experiment
	changed bool // created, or given variants
	arms    []*batchArm
}

// batchArm is one variant's running totals, and what this batch changed
// in its hourly series.
type batchArm struct {
	// experiment and variant name the arm; fold's second stage reads them
	// here, never from the index, which the first stage grows meanwhile.
	experiment, variant string
	// id is the variant's arm in the event index.
	id      uint32
	window  time.Duration
	totals  core.VariantTotals
	touched bool
	// names are the experiment's and variant's indexes in the log block.
	names  [2]uint64
	series *seriesDeltas
}

// siftedChunk is how many accepted events the first stage of fold hands to
// the second at a time.
const siftedChunk = 1024

// sifted is a change to one variant's totals: an accepted event's own,
// or (i < 0) its unit's in another variant of the experiment.
type sifted struct {
	i             int
	arm           *batchArm
	before, after core.UnitCount
}

// Ingest stores a batch of events in one transaction (one fsync): the
// events as one block of the event log, folded into per-variant totals and
// hourly series. Invalid events and events for unknown experiments are
// rejected one by one; the rest are stored.
func (s *Store) Ingest(ctx context.Context, actor string, events []core.Event, opts IngestOptions) (IngestResult, error) {
	var result IngestResult
	err := s.update(ctx, actor, func(w *writeTx) error {
		// Checked first: a refused batch must not cost the index, which
		// an aborted transaction drops.
		if err := checkSourceBatch(w.tx, opts.Source); err != nil {
			return err
		}
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
		if err := putSourceBatch(w.tx, opts.Source); err != nil {
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
		index, err := loadEventIndex(w.tx, s.newSpill())
		if err != nil {
			return nil, err
		}
		s.events = index
	}
	w.aborted = append(w.aborted, s.dropEvents)
	return s.events, nil
}

// newSpill is the spill of a new event index: nil without a budget.
func (s *Store) newSpill() *spill {
	if s.maxIndex <= 0 {
		return nil
	}
	return newSpill(s.path, s.maxIndex)
}

// dropEvents drops the event index, and its spill file; the next ingest
// replays the log.
func (s *Store) dropEvents() {
	if s.events != nil {
		s.events.spill.close()
	}
	s.events = nil
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
			b.count(s, events)
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
		fresh, changes := b.index.admit(h, ev, arm.id, arm.window)
		if err := b.index.spillErr(); err != nil {
			return err
		}
		if !fresh {
			b.result.Duplicates++
			continue
		}
		b.result.Accepted++
		for k, c := range changes {
			s := sifted{i: i, arm: arm, before: c.before, after: c.after}
			if k > 0 {
				name := b.index.armNames[c.arm]
				if s.arm, _, err = b.armOf(b.exps[name.experiment], name.experiment, name.variant); err != nil {
					return err
				}
				s.i = -1
			}
			if chunk = append(chunk, s); len(chunk) == siftedChunk {
				out <- chunk
				chunk = make([]sifted, 0, siftedChunk)
			}
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
		if b.opts.Create {
			return nil, fmt.Sprintf("experiment %q was not created: ingest --create makes at most %d experiments a batch and a workspace holds %d; add it with `tandem experiment add`", ev.Experiment, MaxCreatedPerBatch, MaxExperiments), nil
		}
		return nil, fmt.Sprintf("unknown experiment %q; add it with `tandem experiment add`, or ingest with --create", ev.Experiment), nil
	}
	return b.armOf(e, ev.Experiment, ev.Variant)
}

// armOf returns a variant of experiment e, read on first use.
func (b *ingestBatch) armOf(e *batchExperiment, experiment, variant string) (*batchArm, string, error) {
	for _, a := range e.arms {
		if a.variant == variant {
			return a, "", nil
		}
	}
	if _, ok := e.exp.Variant(variant); !ok {
		if !b.opts.Create {
			return nil, fmt.Sprintf("experiment %q has no variant %q; ingest with --create to add it", experiment, variant), nil
		}
		if len(e.exp.Variants) >= core.MaxVariants {
			return nil, fmt.Sprintf("experiment %q already has %d variants, the most it may have; variant %q was not created", experiment, core.MaxVariants, variant), nil
		}
		e.exp.Variants = append(e.exp.Variants, core.Variant{Key: variant, Name: variant, Weight: 1, Control: len(e.exp.Variants) == 0})
		e.changed = true
		b.result.Created = append(b.result.Created, experiment+"/"+variant)
	}
	a := &batchArm{experiment: experiment, variant: variant, id: b.index.armID(experiment, variant), window: e.exp.ConversionWindow, series: newSeriesDeltas()}
	if raw := b.w.tx.Bucket(bucketTotals).Get(totalsKey(experiment, variant)); raw != nil {
		if err := json.Unmarshal(raw, &a.totals); err != nil {
			return nil, "", damaged(fmt.Sprintf("totals of %s/%s do not decode", experiment, variant), err)
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
	if b.created == 0 {
		b.stored = b.w.tx.Bucket(bucketExperiments).Stats().KeyN
	}
	if b.created >= MaxCreatedPerBatch || b.stored+b.created >= MaxExperiments {
		return nil, nil
	}
	b.created++
	b.result.Created = append(b.result.Created, ev.Experiment)
	// No start: a created experiment starts at its earliest event, which
	// need not be the first line's.
	return &batchExperiment{exp: &core.Experiment{Key: ev.Experiment, Name: ev.Experiment}, changed: true}, nil
}

// count applies one change to its variant's totals and series, and logs
// its event if it is the event's own.
func (b *ingestBatch) count(s sifted, events []core.Event) {
	arm := s.arm
	if !arm.touched {
		arm.names = [2]uint64{b.log.name(arm.experiment), b.log.name(arm.variant)}
		arm.touched = true
	}
	if s.i >= 0 {
		ev := events[s.i]
		b.log.addNamed(ev, arm.names[0], arm.names[1])
		arm.totals.See(ev.TS)
	}
	arm.totals.Move(s.before, s.after)
	arm.series.move(s.before, s.after)
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
	for _, hour := range slices.Sorted(maps.Keys(a.series.hours)) {
		k := seriesKey(experiment, a.variant, hour)
		pt := SeriesPoint{Hour: time.Unix(hour*3600, 0).UTC()}
		if raw := series.Get(k); raw != nil {
			if err := json.Unmarshal(raw, &pt); err != nil {
				return damaged(fmt.Sprintf("series of %s/%s does not decode", experiment, a.variant), err)
			}
		}
		pt.add(*a.series.hours[hour])
		if pt.Exposures == 0 && pt.Converters == 0 {
			if err := series.Delete(k); err != nil {
				return err
			}
			continue
		}
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
