package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// eventIndex is what ingest must know of every stored event, held in memory
// and rebuilt from the event log the first time a process ingests: which
// events are stored, so that ingesting a file twice counts nothing twice,
// and what each unit counts for in each variant (core.UnitCount), so that
// a unit counts once, its conversions and revenue only after its
// exposure, its revenue summed before it is squared, and a unit exposed
// to two variants is known as such. Looking these up in bbolt would cost a
// random read per event; here it is one probe of about 50 ns.
//
// Memory: 21 to 43 bytes a stored event (its table entry), plus 24 a
// conversion or revenue event (kept to recount its unit when an earlier
// exposure arrives after it), plus about 100 a unit and variant (its
// state and table entry), plus about 32 and 8 an attribute for a unit
// with attributes (its set in attrSets).
//
// The hashes are seeded per process and never stored: the log is the truth
// and the index is derived from it. Only writers touch it, under writeMu.
type eventIndex struct {
	seeds [2]maphash.Seed
	// table holds the events, by content or by explicit id, and each
	// (experiment, unit)'s first state.
	table  eventTable
	states []unitState
	events []unitEvent
	// arms names the variants states count toward, by id.
	arms     map[string]uint32
	armNames []armName
	// changes is admit's result, reused between calls.
	changes []unitChange
	// attrs interns attribute keys and values as ids into attrStrings;
	// attrSets are the units' attributes, each a set of (key, value) ids.
	attrs       map[string]uint32
	attrStrings []string
	attrSets    [][]attrPair
}

// attrPair is one attribute of a unit: key and value ids.
type attrPair struct{ key, value uint32 }

// unitState is one unit's count in one variant, linked to its states in
// the experiment's other variants and to its conversion and revenue
// events in this one.
type unitState struct {
	core.UnitCount
	h1     uint64 // the (experiment, unit) hash's second half
	arm    uint32
	next   uint32 // the unit's state in another variant, plus one; 0 for none
	events uint32 // the unit's latest event here, plus one; 0 for none
	attrs  uint32 // the unit's attributes in attrSets, plus one; 0 for none
}

// unitEvent is a conversion or revenue event of a unit, newest first.
type unitEvent struct {
	ts    int64
	value float64
	next  uint32
	typ   core.EventType
}

// armName is a variant of an experiment.
type armName struct{ experiment, variant string }

// unitChange is a unit's count in one arm before and after an event.
type unitChange struct {
	arm           uint32
	before, after core.UnitCount
}

func newEventIndex() *eventIndex {
	return &eventIndex{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, arms: map[string]uint32{}, attrs: map[string]uint32{}}
}

// loadEventIndex replays the event log of tx.
func loadEventIndex(tx *bolt.Tx) (*eventIndex, error) {
	windows, err := conversionWindows(tx)
	if err != nil {
		return nil, err
	}
	t := newLogTally(windows, false)
	if err := eachLogEvent(tx, t.add); err != nil {
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
	}
	return id
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

// admit records ev, which counts toward arm under the experiment's
// conversion window, and reports whether it is new and how it changed its
// unit's counts: first in arm, then in the unit's other variants when ev
// is the exposure that makes the unit cross-exposed. The changes are
// valid until the next call. A duplicate changes nothing.
func (x *eventIndex) admit(h *hasher, ev core.Event, arm uint32, window time.Duration) (bool, []unitChange) {
	unit := h.unitKey(ev)
	var first uint32
	if ev.ID != "" {
		// Placed by the id's hash, not the unit's: the id alone is the
		// event's identity.
		id := h.idKey(ev)
		if fresh, _ := x.table.admit(id, id[1], nil); !fresh {
			return false, nil
		}
		first = x.table.lookup(unit, x.states)
	} else {
		var fresh bool
		if fresh, first = x.table.admit(unit, h.contentKey(ev), x.states); !fresh {
			return false, nil
		}
	}
	if first == 0 {
		first = x.newState(unit[1], arm, 0)
		x.table.addUnit(unit, first)
	}
	s := x.stateIn(first, arm)
	if len(ev.Attrs) > 0 {
		x.addAttrs(first, ev.Attrs)
	}
	x.changes = append(x.changes[:0], unitChange{arm: arm, before: x.states[s-1].UnitCount})
	ts := ev.TS.UnixNano()
	switch st := &x.states[s-1]; {
	case ev.Type != core.EventExposure:
		x.events = append(x.events, unitEvent{ts: ts, value: ev.Value, next: st.events, typ: ev.Type})
		st.events = uint32(len(x.events))
		st.Count(ev.Type, ts, ev.Value, window)
	case st.Exposed == 0:
		st.Exposed = ts
		x.recount(s, window)
		x.crossExpose(first, s)
	case ts < st.Exposed:
		st.Exposed = ts
		x.recount(s, window)
	}
	x.changes[0].after = x.states[s-1].UnitCount
	return true, x.changes
}

// newState adds a state of a unit in arm, linked before next.
func (x *eventIndex) newState(h1 uint64, arm, next uint32) uint32 {
	x.states = append(x.states, unitState{h1: h1, arm: arm, next: next})
	return uint32(len(x.states))
}

// stateIn returns the unit's state in arm, adding it after first if the
// unit has none there yet.
func (x *eventIndex) stateIn(first, arm uint32) uint32 {
	for s := first; s != 0; s = x.states[s-1].next {
		if x.states[s-1].arm == arm {
			return s
		}
	}
	s := x.newState(x.states[first-1].h1, arm, x.states[first-1].next)
	x.states[first-1].next = s
	x.states[s-1].attrs = x.states[first-1].attrs
	return s
}

// recount counts state s's events again, against its exposure.
func (x *eventIndex) recount(s uint32, window time.Duration) {
	st := &x.states[s-1]
	st.Uncount()
	for e := st.events; e != 0; e = x.events[e-1].next {
		ev := x.events[e-1]
		st.Count(ev.typ, ev.ts, ev.value, window)
	}
}

// crossExpose marks the unit cross-exposed once s, just exposed, is not
// its only exposed state, and adds the changes to its other states.
func (x *eventIndex) crossExpose(first, s uint32) {
	for o := first; o != 0; o = x.states[o-1].next {
		st := &x.states[o-1]
		if o == s || st.Exposed == 0 {
			continue
		}
		x.states[s-1].Cross = true
		if !st.Cross {
			before := st.UnitCount
			st.Cross = true
			x.changes = append(x.changes, unitChange{arm: st.arm, before: before, after: st.UnitCount})
		}
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
	b = append(b, 0)
	b = append(b, ev.Variant...)
	h.scratch = b
	return maphash.Bytes(h.seeds[0], b)
}

// unitKey names a unit within its experiment.
func (h *hasher) unitKey(ev core.Event) hash128 {
	b := appendString(h.scratch[:0], ev.Experiment)
	b = append(b, ev.Unit...)
	h.scratch = b
	return h.sum(b)
}
