package store

// hash128 is a 128-bit hash: two 64-bit hashes with independent seeds, so
// two different events share one with a chance of about n²/2¹²⁸.
type hash128 [2]uint64

// minTableSlots is the size of a table's first slice.
const minTableSlots = 1 << 10

// eventTable holds what the index knows of events and units: open
// addressing with linear probing in one flat slice. An event without an id
// and its unit's entry are placed by the unit's hash, so they share one
// probe sequence, mostly one cache line: on tables larger than the CPU
// caches that is one miss per event where an event set and a unit set
// cost two. Go maps cost about 230 ns an insert at a million entries here,
// this about 50 ns.
//
// An entry is the unit hash's first half, then a second word whose low two
// bits say what it is: an event (the rest is the event's content hash), or
// a unit (the rest is the index, plus one, of the unit's first state in
// eventIndex.states, which holds the hash's second half to confirm the
// match). An event with an id is an event entry of the id's two hash
// halves. The kind bits keep every entry non-zero: zero marks an empty
// slot.
type eventTable struct {
	// slots has a power of two length; n are used.
	slots []hash128
	n     int
}

// Entry kinds, in the low bits of an entry's second word.
const (
	entryEvent    = 1
	entryUnit     = 2
	entryKindMask = 3
)

func tableEntry(unit0, v, kind uint64) hash128 { return hash128{unit0, v&^entryKindMask | kind} }

// admit adds an event of unit, identified by its content hash, and reports
// whether it was new and, found on the way, the unit's first state (0 for
// none; states nil skips the search). A duplicate adds nothing.
func (t *eventTable) admit(unit hash128, content uint64, states []unitState) (fresh bool, state uint32) {
	t.reserve(2)
	event := tableEntry(unit[0], content, entryEvent)
	mask := uint64(len(t.slots) - 1)
	i := unit[0] & mask
	for ; t.slots[i] != (hash128{}); i = (i + 1) & mask {
		switch s := t.slots[i]; {
		case s == event:
			return false, 0
		case state == 0 && states != nil:
			state = unitMatch(s, unit, states)
		}
	}
	t.slots[i] = event
	t.n++
	return true, state
}

// lookup returns unit's first state, 0 for none.
func (t *eventTable) lookup(unit hash128, states []unitState) uint32 {
	mask := uint64(len(t.slots) - 1)
	if len(t.slots) == 0 {
		return 0
	}
	for i := unit[0] & mask; t.slots[i] != (hash128{}); i = (i + 1) & mask {
		if state := unitMatch(t.slots[i], unit, states); state != 0 {
			return state
		}
	}
	return 0
}

// unitMatch is the state of entry s if it is unit's entry, else 0.
func unitMatch(s, unit hash128, states []unitState) uint32 {
	if s[0] != unit[0] || s[1]&entryKindMask != entryUnit {
		return 0
	}
	state := uint32(s[1] >> 2)
	if states[state-1].h1 != unit[1] {
		return 0
	}
	return state
}

// addUnit adds unit's entry, known to be absent, naming its first state.
func (t *eventTable) addUnit(unit hash128, state uint32) {
	t.reserve(1)
	t.put(hash128{unit[0], uint64(state)<<2 | entryUnit}, unit[0])
}

// put stores e, known to be absent, in the first empty slot from i.
func (t *eventTable) put(e hash128, i uint64) {
	mask := uint64(len(t.slots) - 1)
	for i &= mask; t.slots[i] != (hash128{}); i = (i + 1) & mask {
	}
	t.slots[i] = e
	t.n++
}

// reserve grows the table so that k more entries keep it at most three
// quarters full.
func (t *eventTable) reserve(k int) {
	if t.n+k <= len(t.slots)/4*3 {
		return
	}
	old := t.slots
	t.slots = make([]hash128, max(minTableSlots, 2*len(old)))
	t.n = 0
	for _, e := range old {
		if e != (hash128{}) {
			t.put(e, e[0])
		}
	}
}
