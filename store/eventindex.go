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
// event; here it is one probe of about 50 ns, and 21 to 43 bytes per
// event and per unit.
//
// The hashes are seeded per process and never stored: the log is the truth
// and the index is derived from it. Only writers touch it, under writeMu.
type eventIndex struct {
	seeds [2]maphash.Seed
	// table holds the events, by content or by explicit id, and the unit
	// flags.
	table eventTable
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
			x.admit(h, ev)
			return nil
		})
		if err != nil {
			return fmt.Errorf("event block %s: %w", keyString(k), damaged("the event log does not decode", err))
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
	return hash128{maphash.Bytes(h.seeds[0], b), maphash.Bytes(h.seeds[1], b)}
}

// admit records ev and reports whether it is new, and its unit's flags
// before it as far as its type needs them for core.VariantTotals.Fold. A
// duplicate changes nothing.
func (x *eventIndex) admit(h *hasher, ev core.Event) (bool, byte) {
	var flag uint64
	switch ev.Type {
	case core.EventExposure:
		flag = entryExposed
	case core.EventConversion:
		flag = entryConverted
	}
	unit := h.unitKey(ev)
	var newFlag bool
	if ev.ID != "" {
		// Placed by the id's hash, not the unit's: the id alone is the
		// event's identity.
		id := h.idKey(ev)
		if fresh, _ := x.table.admit(id, id[1], 0); !fresh {
			return false, 0
		}
		newFlag = flag != 0 && x.table.mark(unit, flag)
	} else {
		var fresh bool
		if fresh, newFlag = x.table.admit(unit, h.contentKey(ev), flag); !fresh {
			return false, 0
		}
	}
	switch {
	case newFlag || flag == 0:
		return true, 0
	case flag == entryExposed:
		return true, core.UnitExposed
	default:
		return true, core.UnitConverted
	}
}

// idKey is the identity of an event with an explicit id.
func (h *hasher) idKey(ev core.Event) hash128 {
	h.scratch = append(h.scratch[:0], ev.ID...)
	return h.sum(h.scratch)
}

// contentKey is the identity, within its unit, of an event without an id:
// all of its content.
func (h *hasher) contentKey(ev core.Event) uint64 {
	b := binary.LittleEndian.AppendUint64(h.scratch[:0], uint64(ev.TS.UnixNano()))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(ev.Value))
	b = append(b, ev.Type...)
	h.scratch = b
	return maphash.Bytes(h.seeds[0], b)
}

// unitKey names a unit within its variant.
func (h *hasher) unitKey(ev core.Event) hash128 {
	b := appendString(h.scratch[:0], ev.Experiment)
	b = appendString(b, ev.Variant)
	b = append(b, ev.Unit...)
	h.scratch = b
	return h.sum(b)
}
