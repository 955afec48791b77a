package store

import (
	"encoding/json"
	"fmt"
	"hash/maphash"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// eventIndex is what ingest must know of stored events, held in memory
// and rebuilt from the event log the first time a process ingests, sized
// by units rather than by events: what each unit counts for in each
// variant, so that a unit counts once, its conversions and revenue only
// after its exposure, its revenue summed before it is squared, and a unit
// exposed to two variants is known as such; and enough of every event to
// count nothing twice.
//
// An exposure needs no identity of its own: it only moves its unit's first
// exposure earlier, so one that would not (the unit is exposed no later,
// the variant has seen its time, its attributes are known) changes no
// number and is reported as a duplicate, stored or not. Conversions and
// revenue change counts each time, so each is kept in its unit's list
// (its time, and its value when it has one), which is also its identity:
// the same content in the same unit and variant is a duplicate. The list
// lets a unit be counted again when an earlier exposure arrives after its
// events. Only events with an explicit id keep a hash of it, since the id
// alone is their identity within their experiment.
//
// Memory: 12 to 24 bytes a unit in the unit table, 24 a unit and variant,
// 16 a conversion or revenue event plus 8 for a value, 21 to 43 an event
// with an id, plus about 32 and 8 an attribute for a unit with
// attributes (its set in attrSets). Exposures without an id cost nothing.
//
// The hashes are seeded per process and never stored: the log is the truth
// and the index is derived from it. Only writers touch it, under writeMu.
type eventIndex struct {
	seeds [2]maphash.Seed
	units unitTable
	ids   idSet
	// states are the units' counts, by first state; events and values
	// their conversion and revenue events.
	states []unitState
	events []unitEvent
	values []float64
	// heavy are the states with many events, by state (heavy.go).
	heavy map[uint32]*heavyState
	// arms names the variants states count toward, by id, with the
	// conversion window each is counted under and the earliest and latest
	// time of its events (Unix nanoseconds; 0 before the first).
	arms     map[string]uint32
	armNames []armName
	armSpans []armSpan
	// changes is admit's result, reused between calls.
	changes []unitChange
	// attrs interns attribute keys and values as ids into attrStrings;
	// attrSets are the units' attributes, each a set of (key, value) ids.
	attrs       map[string]uint32
	attrStrings []string
	attrSets    [][]attrPair
	// spill, when set, bounds the index's memory: units past its budget
	// are written out (eventspill.go), their slots put on the free lists.
	spill                              *spill
	freeStates, freeEvents, freeValues []uint32
	freeSets                           []uint32
	scratch                            []byte
}

// attrPair is one attribute of a unit: key and value ids.
type attrPair struct{ key, value uint32 }

// unitState is one unit's exposure to one variant, linked to its states in
// the experiment's other variants and to its conversion and revenue
// events in this one; its counts (core.UnitCount) are worked out from
// those when needed.
type unitState struct {
	exposed int64
	arm     uint32 // the arm's id, | stateCross when the unit is cross-exposed, | stateHeavy
	next    uint32 // the unit's state in another variant, plus one; 0 for none
	events  uint32 // the unit's first event here, plus one; 0 for none
	attrs   uint32 // the unit's attributes in attrSets, plus one; 0 for none
}

// stateCross marks a state of a unit exposed to another variant too;
// stateHeavy one with an entry in eventIndex.heavy.
const (
	stateCross = 1 << 31
	stateHeavy = 1 << 30
)

func (st *unitState) armID() uint32 { return st.arm &^ (stateCross | stateHeavy) }

// unitEvent is a conversion or revenue event of a unit, in arrival order:
// the order its revenue is summed in, as ingest first counted it.
type unitEvent struct {
	ts   int64
	next uint32 // the unit's next event, plus one; 0 for the last
	// meta is the event's type code (blockTypes) in bits 0-1, eventHasID,
	// and above eventValueShift its value's index in values, plus one (0
	// for a value of 0).
	meta uint32
}

const (
	eventTypeMask   = 3
	eventHasID      = 4
	eventValueShift = 3
)

// armName is a variant of an experiment.
type armName struct{ experiment, variant string }

// armSpan is an arm's window and the times of its first and last events.
type armSpan struct {
	window      time.Duration
	first, last int64
}

// unitChange is a unit's count in one arm before and after an event.
type unitChange struct {
	arm           uint32
	before, after core.UnitCount
}

func newEventIndex() *eventIndex {
	return &eventIndex{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, arms: map[string]uint32{}, attrs: map[string]uint32{}, heavy: map[uint32]*heavyState{}}
}

// loadEventIndex replays the event log of tx into an index that spills
// past sp's budget (nil: no budget).
func loadEventIndex(tx *bolt.Tx, sp *spill) (*eventIndex, error) {
	windows, err := conversionWindows(tx)
	if err != nil {
		return nil, err
	}
	t := newLogTally(windows, false)
	t.index.spill = sp
	err = eachLogEvent(tx, t.add)
	if err == nil {
		err = t.index.spillErr()
	}
	if err != nil {
		sp.close()
		return nil, err
	}
	return t.index, nil
}

// eachLogEvent calls fn with every event of tx's log, in order.
func eachLogEvent(tx *bolt.Tx, fn func(core.Event)) error {
	err := tx.Bucket(bucketEventLog).ForEach(func(k, v []byte) error {
		err := eachEvent(v, func(ev core.Event) error {
			fn(ev)
			return nil
		})
		if err != nil {
			return fmt.Errorf("event block %s: %w", keyString(k), damaged("the event log does not decode", err))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the event log: %w", err)
	}
	return nil
}

// conversionWindows reads every experiment's conversion window.
func conversionWindows(tx *bolt.Tx) (map[string]time.Duration, error) {
	out := map[string]time.Duration{}
	err := tx.Bucket(bucketExperiments).ForEach(func(k, v []byte) error {
		var e core.Experiment
		if err := json.Unmarshal(v, &e); err != nil {
			return damaged(fmt.Sprintf("experiment %s does not decode", keyString(k)), err)
		}
		if e.ConversionWindow > 0 {
			out[e.Key] = e.ConversionWindow
		}
		return nil
	})
	return out, err
}

// armID returns the id of a variant, giving it one on first sight.
func (x *eventIndex) armID(experiment, variant string) uint32 {
	key := string(totalsKey(experiment, variant))
	id, ok := x.arms[key]
	if !ok {
		id = uint32(len(x.armNames))
		x.arms[key] = id
		x.armNames = append(x.armNames, armName{experiment, variant})
		x.armSpans = append(x.armSpans, armSpan{})
	}
	return id
}

// bytes is the index's memory, as allocated: what the benchmarks report.
func (x *eventIndex) bytes() int {
	const stateSize, eventSize, pairSize, sliceSize, stringSize = 24, 16, 8, 24, 16
	n := x.units.bytes() + x.ids.bytes() + stateSize*cap(x.states) + eventSize*cap(x.events) + 8*cap(x.values)
	n += heavyBytes * len(x.heavy)
	for _, h := range x.heavy {
		n += heavyEventBytes * len(h.seen)
	}
	n += sliceSize * cap(x.attrSets)
	for _, set := range x.attrSets {
		n += pairSize * cap(set)
	}
	for _, s := range x.attrStrings {
		n += 2*stringSize + 8 + len(s) // the string, its map entry
	}
	for k := range x.arms {
		n += 2*stringSize + 8 + len(k) + 40 // the key, its name, its span
	}
	return n
}

// hasher computes the index's hashes; each goroutine needs its own.
type hasher struct {
	seeds   [2]maphash.Seed
	scratch []byte
}

func (x *eventIndex) hasher() *hasher { return &hasher{seeds: x.seeds} }

// idKey is the identity of an event with an explicit id: the id within
// its experiment, since one order id may count in several experiments.
func (h *hasher) idKey(ev core.Event) hash128 {
	b := appendString(h.scratch[:0], ev.Experiment)
	b = append(b, ev.ID...)
	h.scratch = b
	return hash128{maphash.Bytes(h.seeds[0], b), maphash.Bytes(h.seeds[1], b)}
}

// unitKey names a unit within its experiment.
func (h *hasher) unitKey(ev core.Event) uint64 {
	b := appendString(h.scratch[:0], ev.Experiment)
	b = append(b, ev.Unit...)
	h.scratch = b
	return maphash.Bytes(h.seeds[0], b)
}
