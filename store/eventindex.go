package store

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// eventIndex is what ingest must know of every stored event, held in memory
// and rebuilt from the event log the first time a process ingests: which
// events are stored, so that ingesting a file twice counts nothing twice,
// and which units each variant has exposed and converted, so that a unit
// counts once. Looking these up in bbolt would cost a random read per
// event; each set costs one insert of about 50 ns and 21 to 43 bytes per
// entry.
//
// The hashes are seeded per process and never stored: the log is the truth
// and the index is derived from it. Only writers touch it, under writeMu.
type eventIndex struct {
	seeds     [2]maphash.Seed
	seen      hashSet
	exposed   hashSet
	converted hashSet
}

func newEventIndex() *eventIndex {
	return &eventIndex{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// loadEventIndex replays the event log of tx.
func loadEventIndex(tx *bolt.Tx) (*eventIndex, error) {
	x := newEventIndex()
	h := x.hasher()
	err := tx.Bucket(bucketEventLog).ForEach(func(k, v []byte) error {
		err := eachEvent(v, func(ev core.Event) error {
			x.seen.add(h.eventKey(ev))
			x.unitFlags(h, ev)
			return nil
		})
		if err != nil {
			return fmt.Errorf("event block %d: %w", btoi(k), err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the event log: %w", err)
	}
	return x, nil
}

// hasher computes the index's hashes; each goroutine needs its own.
type hasher struct {
	seeds   [2]maphash.Seed
	scratch []byte
}

func (x *eventIndex) hasher() *hasher { return &hasher{seeds: x.seeds} }

func (h *hasher) sum(b []byte) hash128 {
	return hash128{maphash.Bytes(h.seeds[0], b), maphash.Bytes(h.seeds[1], b) | 1}
}

// eventKey is an event's identity: its explicit id when it has one,
// otherwise all of its content.
func (h *hasher) eventKey(ev core.Event) hash128 {
	b := h.scratch[:0]
	if ev.ID != "" {
		b = append(b, 'i')
		b = append(b, ev.ID...)
	} else {
		b = append(b, 'c')
		b = binary.LittleEndian.AppendUint64(b, uint64(ev.TS.UnixNano()))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(ev.Value))
		b = appendString(b, ev.Experiment)
		b = appendString(b, ev.Variant)
		b = appendString(b, string(ev.Type))
		b = append(b, ev.Unit...)
	}
	h.scratch = b
	return h.sum(b)
}

// unitFlags records what ev does to its unit and returns the unit's flags
// before it, as far as ev's type needs them for core.VariantTotals.Fold.
func (x *eventIndex) unitFlags(h *hasher, ev core.Event) byte {
	switch ev.Type {
	case core.EventExposure:
		if !x.exposed.add(h.unitKey(ev)) {
			return core.UnitExposed
		}
	case core.EventConversion:
		if !x.converted.add(h.unitKey(ev)) {
			return core.UnitConverted
		}
	}
	return 0
}

// unitKey names a unit within its variant.
func (h *hasher) unitKey(ev core.Event) hash128 {
	b := appendString(h.scratch[:0], ev.Experiment)
	b = appendString(b, ev.Variant)
	b = append(b, ev.Unit...)
	h.scratch = b
	return h.sum(b)
}
