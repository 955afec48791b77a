package store

import (
	"math"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// admit records ev, which counts toward arm under the experiment's
// conversion window, and reports whether it is new and how it changed its
// unit's counts: first in arm, then in the unit's other variants when ev
// is the exposure that makes the unit cross-exposed. The changes are
// valid until the next call. A duplicate, or an exposure without an id
// that changes nothing, changes nothing and is not new.
func (x *eventIndex) admit(h *hasher, ev core.Event, arm uint32, window time.Duration) (bool, []unitChange) {
	x.armSpans[arm].window = window
	x.makeRoom()
	unit := h.unitKey(ev)
	first := x.units.lookup(unit)
	if first == spilledState {
		if first = x.reload(tableKey(unit)); first == 0 {
			return false, nil // the batch fails on the spill's error
		}
	}
	var s uint32
	if first != 0 {
		s = x.stateOf(first, arm)
	}
	ts, code, value := ev.TS.UnixNano(), eventCode(ev.Type), math.Float64bits(ev.Value)
	switch {
	case ev.ID != "":
		if !x.ids.add(h.idKey(ev)) {
			return false, nil
		}
	case s == 0:
	case ev.Type != core.EventExposure:
		if x.hasEvent(s, ts, code, value) {
			return false, nil
		}
	case x.exposureChangesNothing(first, s, arm, ts, ev.Attrs):
		return false, nil
	}
	switch {
	case first == 0:
		first = x.newState(arm, 0)
		x.units.add(unit, first)
		s = first
	case s == 0:
		s = x.newState(arm, x.states[first-1].next)
		x.states[first-1].next = s
		x.states[s-1].attrs = x.states[first-1].attrs
	}
	if len(ev.Attrs) > 0 {
		x.addAttrs(first, ev.Attrs)
	}
	span := &x.armSpans[arm]
	if span.first == 0 || ts < span.first {
		span.first = ts
	}
	span.last = max(span.last, ts)
	x.changes = append(x.changes[:0], unitChange{arm: arm, before: x.count(s)})
	switch st := &x.states[s-1]; {
	case ev.Type != core.EventExposure:
		x.addEvent(s, ts, code, value, ev.ID != "")
	case st.exposed == 0:
		st.exposed = ts
		x.recount(s)
		x.crossExpose(first, s)
	case ts < st.exposed:
		st.exposed = ts
		x.recount(s)
	}
	x.changes[0].after = x.count(s)
	return true, x.changes
}

// exposureChangesNothing reports whether an exposure at ts of the unit
// whose state in arm is s would change no number: the unit is exposed
// there no later, the arm has seen ts, and attrs are known.
func (x *eventIndex) exposureChangesNothing(first, s, arm uint32, ts int64, attrs map[string]string) bool {
	st, span := &x.states[s-1], &x.armSpans[arm]
	return st.exposed != 0 && ts >= st.exposed && ts >= span.first && ts <= span.last && !x.newAttrs(first, attrs)
}

// eventCode is an event type's code in blockTypes.
func eventCode(t core.EventType) uint32 {
	for code, bt := range blockTypes {
		if t == bt {
			return uint32(code)
		}
	}
	return 0
}

// newState adds a state of a unit in arm, linked before next.
func (x *eventIndex) newState(arm, next uint32) uint32 {
	if n := len(x.freeStates); n > 0 {
		s := x.freeStates[n-1]
		x.freeStates = x.freeStates[:n-1]
		x.states[s-1] = unitState{arm: arm, next: next}
		return s
	}
	x.states = append(x.states, unitState{arm: arm, next: next})
	return uint32(len(x.states))
}

// newEvent adds an unlinked event: its time, its type code with
// eventHasID, and its value's bits.
func (x *eventIndex) newEvent(ts int64, code uint32, value uint64) uint32 {
	meta := code
	if value != 0 {
		v := math.Float64frombits(value)
		if n := len(x.freeValues); n > 0 {
			i := x.freeValues[n-1]
			x.freeValues = x.freeValues[:n-1]
			x.values[i-1] = v
			meta |= i << eventValueShift
		} else {
			x.values = append(x.values, v)
			meta |= uint32(len(x.values)) << eventValueShift
		}
	}
	if n := len(x.freeEvents); n > 0 {
		e := x.freeEvents[n-1]
		x.freeEvents = x.freeEvents[:n-1]
		x.events[e-1] = unitEvent{ts: ts, meta: meta}
		return e
	}
	x.events = append(x.events, unitEvent{ts: ts, meta: meta})
	return uint32(len(x.events))
}

// stateOf returns the unit's state in arm, 0 for none.
func (x *eventIndex) stateOf(first, arm uint32) uint32 {
	for s := first; s != 0; s = x.states[s-1].next {
		if x.states[s-1].armID() == arm {
			return s
		}
	}
	return 0
}

// hasEvent reports whether state s holds an event without an id of this
// content.
func (x *eventIndex) hasEvent(s uint32, ts int64, code uint32, value uint64) bool {
	if x.states[s-1].arm&stateHeavy != 0 {
		_, ok := x.heavy[s].seen[eventKey{ts, code, value}]
		return ok
	}
	for e := x.states[s-1].events; e != 0; e = x.events[e-1].next {
		ev := &x.events[e-1]
		if ev.ts == ts && ev.meta&(eventTypeMask|eventHasID) == code && math.Float64bits(x.value(ev)) == value {
			return true
		}
	}
	return false
}

// addEvent appends an event to state s's list.
func (x *eventIndex) addEvent(s uint32, ts int64, code uint32, value uint64, hasID bool) {
	if hasID {
		code |= eventHasID
	}
	e := x.newEvent(ts, code, value)
	if x.states[s-1].arm&stateHeavy != 0 {
		x.heavy[s].add(x, s, e)
		return
	}
	link, n := &x.states[s-1].events, 0
	for ; *link != 0; n++ {
		link = &x.events[*link-1].next
	}
	*link = e
	if n+1 >= heavyAt {
		x.makeHeavy(s, e)
	}
}

func (x *eventIndex) value(ev *unitEvent) float64 {
	if i := ev.meta >> eventValueShift; i != 0 {
		return x.values[i-1]
	}
	return 0
}

// count is what state s adds to its variant: its exposure, and its events
// counted against it in the order they arrived.
func (x *eventIndex) count(s uint32) core.UnitCount {
	if x.states[s-1].arm&stateHeavy != 0 {
		return x.heavy[s].count
	}
	return x.countEvents(s)
}

// countEvents is count, from the state's events.
func (x *eventIndex) countEvents(s uint32) core.UnitCount {
	st := &x.states[s-1]
	u := core.UnitCount{Exposed: st.exposed, Cross: st.arm&stateCross != 0}
	window := x.armSpans[st.armID()].window
	for e := st.events; e != 0; e = x.events[e-1].next {
		ev := &x.events[e-1]
		u.Count(blockTypes[ev.meta&eventTypeMask], ev.ts, x.value(ev), window)
	}
	return u
}

// crossExpose marks the unit cross-exposed once s, just exposed, is not
// its only exposed state, and adds the changes to its other states.
func (x *eventIndex) crossExpose(first, s uint32) {
	for o := first; o != 0; o = x.states[o-1].next {
		st := &x.states[o-1]
		if o == s || st.exposed == 0 {
			continue
		}
		if x.states[s-1].arm&stateCross == 0 {
			x.states[s-1].arm |= stateCross
			x.recount(s)
		}
		if st.arm&stateCross == 0 {
			before := x.count(o)
			st.arm |= stateCross
			x.recount(o)
			x.changes = append(x.changes, unitChange{arm: st.armID(), before: before, after: x.count(o)})
		}
	}
}
