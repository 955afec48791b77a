package store

// hash128 is a 128-bit hash: two 64-bit hashes with independent seeds, so
// two different events share one with a chance of about n²/2¹²⁸.
type hash128 [2]uint64

// minTableSlots is the size of a table's first slice.
const minTableSlots = 1 << 10

// eventTable holds what the index knows of events and units: open
// addressing with linear probing in one flat slice. An event without an id
// and the flags of its unit are placed by the unit's hash, so they share
// one probe sequence, mostly one cache line: on tables larger than the CPU
// caches that is one miss per event where an event set and a unit set
// cost two. Go maps cost about 230 ns an insert at a million entries here,
// this about 50 ns.
//
// An entry is the unit hash's first half, then a second word whose low two
// bits say what it is: an event (the rest is the event's content hash), or
// the unit exposed or converted (the rest is the unit hash's second half).
// An event with an id is an event entry of the id's two hash halves. The
// kind bits keep every entry non-zero: zero marks an empty slot.
type eventTable struct {
	// slots has a power of two length; n are used.
	slots []hash128
	n     int
}

// Entry kinds, in the low bits of an entry's second word.
const (
	entryEvent     = 1
	entryExposed   = 2
	entryConverted = 3
	entryKindMask  = 3
)

func tableEntry(unit0, v, kind uint64) hash128 { return hash128{unit0, v&^entryKindMask | kind} }

// admit adds an event of unit, identified by its content hash, and the flag
// entry its type sets (0 for none), and reports whether each was new. A
// duplicate event adds nothing.
func (t *eventTable) admit(unit hash128, content, flag uint64) (newEvent, newFlag bool) {
	t.reserve(2)
	event := tableEntry(unit[0], content, entryEvent)
	mark := tableEntry(unit[0], unit[1], flag)
	marked := flag == 0
	mask := uint64(len(t.slots) - 1)
	i := unit[0] & mask
	for ; t.slots[i] != (hash128{}); i = (i + 1) & mask {
		switch t.slots[i] {
		case event:
			return false, false
		case mark:
			marked = true
		}
	}
	t.slots[i] = event
	t.n++
	if marked {
		return true, false
	}
	t.put(mark, i)
	return true, true
}

// mark adds unit's flag entry and reports whether it was new.
func (t *eventTable) mark(unit hash128, flag uint64) bool {
	t.reserve(1)
	mark := tableEntry(unit[0], unit[1], flag)
	mask := uint64(len(t.slots) - 1)
	i := unit[0] & mask
	for ; t.slots[i] != (hash128{}); i = (i + 1) & mask {
		if t.slots[i] == mark {
			return false
		}
	}
	t.slots[i] = mark
	t.n++
	return true
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
