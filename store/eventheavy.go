package store

import (
	"math"

	"github.com/tandem-ops/tandem/core"
)

// heavyAt is how many conversion and revenue events make a unit's state
// heavy. Below it, finding a duplicate and counting the unit walk its
// events, which costs nothing for the units of a real experiment (a few
// events each); from it on, a set and a running count keep each event at
// constant cost, so a unit sending a million events (a bot, a load test
// left on) costs what a million units would, not a million squared.
const heavyAt = 16

// Memory of a heavy state, for eventIndex.bytes: its entry, count and
// map header; and each event in its set.
const (
	heavyBytes      = 8 + 8 + 64 + 8 + 48
	heavyEventBytes = 24 + 8
)

// heavyState is what a heavy state keeps beside its events.
type heavyState struct {
	// count is the state's counts, as countEvents would give them: events
	// are added to it in the order they are linked, and it is counted
	// again when the state's exposure or cross flag changes.
	count core.UnitCount
	tail  uint32
	// seen holds the state's events without an id, by content.
	seen map[eventKey]struct{}
}

// eventKey is an event's content within its state.
type eventKey struct {
	ts    int64
	code  uint32
	value uint64
}

// makeHeavy gives state s, whose last event is tail, its set and count.
func (x *eventIndex) makeHeavy(s, tail uint32) {
	h := &heavyState{tail: tail, seen: map[eventKey]struct{}{}}
	for e := x.states[s-1].events; e != 0; e = x.events[e-1].next {
		h.remember(x, &x.events[e-1])
	}
	h.count = x.countEvents(s)
	x.heavy[s] = h
	x.states[s-1].arm |= stateHeavy
}

// add links event e, just appended, after the last of state s.
func (h *heavyState) add(x *eventIndex, s, e uint32) {
	x.events[h.tail-1].next = e
	h.tail = e
	ev := &x.events[e-1]
	h.remember(x, ev)
	h.count.Count(blockTypes[ev.meta&eventTypeMask], ev.ts, x.value(ev), x.armSpans[x.states[s-1].armID()].window)
}

func (h *heavyState) remember(x *eventIndex, ev *unitEvent) {
	if ev.meta&eventHasID == 0 {
		h.seen[eventKey{ev.ts, ev.meta & eventTypeMask, math.Float64bits(x.value(ev))}] = struct{}{}
	}
}

// recount counts state s again from its events, if it is heavy: its
// exposure or cross flag changed.
func (x *eventIndex) recount(s uint32) {
	if x.states[s-1].arm&stateHeavy != 0 {
		x.heavy[s].count = x.countEvents(s)
	}
}
