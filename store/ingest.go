package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
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

// EventKey is an event's identity for idempotent ingest: its explicit id
// when it has one, otherwise a hash of its content.
func EventKey(ev core.Event) []byte {
	h := sha256.New()
	if ev.ID != "" {
		h.Write([]byte("id\x00"))
		h.Write([]byte(ev.ID))
	} else {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(ev.TS.UnixNano()))
		h.Write(b[:])
		for _, s := range []string{ev.Experiment, ev.Variant, ev.Unit, string(ev.Type)} {
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
		binary.BigEndian.PutUint64(b[:], math.Float64bits(ev.Value))
		h.Write(b[:])
	}
	return h.Sum(nil)[:16]
}

// ingestBatch is one transaction's worth of ingest state.
type ingestBatch struct {
	w       *writeTx
	opts    IngestOptions
	exps    map[string]*core.Experiment
	changed map[string]bool // experiments created or given variants
	totals  map[string]*core.VariantTotals
	units   map[string]byte
	series  map[string]*SeriesPoint
	keys    map[string]bool
	// events are the accepted events by key, put in key order at flush:
	// bbolt splits nodes only at commit, so unsorted puts into one big
	// transaction would shift ever larger nodes on every insert.
	events map[string][]byte
	result IngestResult
}

// Ingest stores a batch of events in one transaction (one fsync) and folds
// them into per-variant totals, unit flags and hourly series. Invalid events
// and events for unknown experiments are rejected one by one; the rest are
// stored.
func (s *Store) Ingest(ctx context.Context, actor string, events []core.Event, opts IngestOptions) (IngestResult, error) {
	var result IngestResult
	err := s.update(ctx, actor, func(w *writeTx) error {
		b := &ingestBatch{w: w, opts: opts, exps: map[string]*core.Experiment{}, changed: map[string]bool{},
			totals: map[string]*core.VariantTotals{}, units: map[string]byte{}, series: map[string]*SeriesPoint{},
			keys: map[string]bool{}, events: map[string][]byte{}}
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

func (b *ingestBatch) fold(events []core.Event) error {
	stored := b.w.tx.Bucket(bucketEvents)
	for i, ev := range events {
		if err := ev.Validate(); err != nil {
			b.reject(i, err.Error())
			continue
		}
		exp, reason, err := b.experiment(ev)
		if err != nil {
			return err
		}
		if exp == nil {
			b.reject(i, reason)
			continue
		}
		key := EventKey(ev)
		if b.keys[string(key)] || stored.Get(key) != nil {
			b.result.Duplicates++
			continue
		}
		b.keys[string(key)] = true
		v, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		b.events[string(key)] = v
		if err := b.count(ev); err != nil {
			return err
		}
		b.result.Accepted++
	}
	return nil
}

func (b *ingestBatch) reject(i int, reason string) {
	b.result.Rejected = append(b.result.Rejected, Rejection{Index: i, Reason: reason})
}

// experiment returns the stored experiment ev names, creating it or its
// variant when the options allow; nil with a reason when ev must be
// rejected.
func (b *ingestBatch) experiment(ev core.Event) (*core.Experiment, string, error) {
	exp, ok := b.exps[ev.Experiment]
	if !ok {
		var e core.Experiment
		switch err := get(b.w.tx, bucketExperiments, []byte(ev.Experiment), &e); {
		case err == nil:
			exp = &e
		case err != ErrNotFound:
			return nil, "", fmt.Errorf("experiment %q: %w", ev.Experiment, err)
		case !b.opts.Create:
			return nil, fmt.Sprintf("unknown experiment %q; add it with `tandem experiment add`, or ingest with --create", ev.Experiment), nil
		default:
			exp = &core.Experiment{Key: ev.Experiment, Name: ev.Experiment, Started: ev.TS}
			b.changed[ev.Experiment] = true
			b.result.Created = append(b.result.Created, ev.Experiment)
		}
		b.exps[ev.Experiment] = exp
	}
	if _, ok := exp.Variant(ev.Variant); ok {
		return exp, "", nil
	}
	if !b.opts.Create {
		return nil, fmt.Sprintf("experiment %q has no variant %q; ingest with --create to add it", ev.Experiment, ev.Variant), nil
	}
	exp.Variants = append(exp.Variants, core.Variant{Key: ev.Variant, Name: ev.Variant, Weight: 1, Control: len(exp.Variants) == 0})
	b.changed[ev.Experiment] = true
	b.result.Created = append(b.result.Created, ev.Experiment+"/"+ev.Variant)
	return exp, "", nil
}

// count folds ev into its variant's totals, unit flags and hourly series.
func (b *ingestBatch) count(ev core.Event) error {
	tk := string(totalsKey(ev.Experiment, ev.Variant))
	tot, ok := b.totals[tk]
	if !ok {
		tot = new(core.VariantTotals)
		if raw := b.w.tx.Bucket(bucketTotals).Get([]byte(tk)); raw != nil {
			if err := json.Unmarshal(raw, tot); err != nil {
				return fmt.Errorf("totals of %s/%s: %w", ev.Experiment, ev.Variant, err)
			}
		}
		b.totals[tk] = tot
	}
	uk := string(unitKey(ev.Experiment, ev.Variant, ev.Unit))
	flags, ok := b.units[uk]
	if !ok {
		if raw := b.w.tx.Bucket(bucketUnits).Get([]byte(uk)); len(raw) == 1 {
			flags = raw[0]
		}
	}
	before := *tot
	b.units[uk] = tot.Fold(ev, flags)
	if tot.Exposures == before.Exposures && tot.Converters == before.Converters {
		return nil // no new unit: the series does not move
	}

	hour := ev.TS.Unix() / 3600
	sk := string(seriesKey(ev.Experiment, ev.Variant, hour))
	pt, ok := b.series[sk]
	if !ok {
		pt = &SeriesPoint{Hour: time.Unix(hour*3600, 0).UTC()}
		if raw := b.w.tx.Bucket(bucketSeries).Get([]byte(sk)); raw != nil {
			if err := json.Unmarshal(raw, pt); err != nil {
				return fmt.Errorf("series of %s/%s: %w", ev.Experiment, ev.Variant, err)
			}
		}
		b.series[sk] = pt
	}
	pt.Exposures += tot.Exposures - before.Exposures
	pt.Converters += tot.Converters - before.Converters
	return nil
}

// flush writes the batch's experiments, totals, units and series in key
// order (sorted puts keep bbolt's pages hot) and audits each experiment.
func (b *ingestBatch) flush() error {
	for key := range b.changed {
		// Keys were checked with each event; a created experiment may have a
		// single variant until the rest of its traffic arrives.
		v, err := json.Marshal(b.exps[key])
		if err != nil {
			return err
		}
		if err := b.w.tx.Bucket(bucketExperiments).Put([]byte(key), v); err != nil {
			return err
		}
	}
	if err := putSorted(b.w.tx.Bucket(bucketEvents), b.events, func(v []byte) ([]byte, error) { return v, nil }); err != nil {
		return err
	}
	if err := putSorted(b.w.tx.Bucket(bucketTotals), b.totals, func(t *core.VariantTotals) ([]byte, error) { return json.Marshal(t) }); err != nil {
		return err
	}
	if err := putSorted(b.w.tx.Bucket(bucketUnits), b.units, func(f byte) ([]byte, error) { return []byte{f}, nil }); err != nil {
		return err
	}
	if err := putSorted(b.w.tx.Bucket(bucketSeries), b.series, func(p *SeriesPoint) ([]byte, error) { return json.Marshal(p) }); err != nil {
		return err
	}
	touched := map[string]bool{}
	for key := range b.totals {
		touched[key[:strings.IndexByte(key, 0)]] = true
	}
	for _, key := range slices.Sorted(maps.Keys(touched)) {
		if err := b.w.record(KindEvents, "events.ingest", key, nil, nil); err != nil {
			return err
		}
	}
	return nil
}

func putSorted[V any](bucket *bolt.Bucket, m map[string]V, encode func(V) ([]byte, error)) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, err := encode(m[k])
		if err != nil {
			return err
		}
		if err := bucket.Put([]byte(k), v); err != nil {
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
				return err
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
