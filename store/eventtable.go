package store

// hash128 is a 128-bit hash: two 64-bit hashes with independent seeds, so
// two different ids share one with a chance of about n²/2¹²⁸.
type hash128 [2]uint64

// minTableSlots is the size of a table's first slice.
const minTableSlots = 1 << 10

// unitTable maps an (experiment, unit) hash to the unit's first state in
// eventIndex.states: open addressing with linear probing over two flat
// slices, 12 bytes a slot, at most three quarters full. A 64-bit hash
// confuses two of a million units with a chance of about 3·10⁻⁸ (n²/2⁶⁵);
// a Go map of the same costs about four times the memory and time.
type unitTable struct {
	// keys has a power of two length; 0 marks an empty slot (a hash of 0
	// is stored as 1). n are used.
	keys   []uint64
	states []uint32
	n      int
}

// tableKey keeps a hash off the empty-slot marker.
func tableKey(h uint64) uint64 { return max(h, 1) }

// lookup returns unit's first state, 0 for none.
func (t *unitTable) lookup(unit uint64) uint32 {
	if len(t.keys) == 0 {
		return 0
	}
	k, mask := tableKey(unit), uint64(len(t.keys)-1)
	for i := k & mask; t.keys[i] != 0; i = (i + 1) & mask {
		if t.keys[i] == k {
			return t.states[i]
		}
	}
	return 0
}

// replace names another first state for unit, known to be present.
func (t *unitTable) replace(unit uint64, state uint32) {
	k, mask := tableKey(unit), uint64(len(t.keys)-1)
	i := k & mask
	for t.keys[i] != k {
		i = (i + 1) & mask
	}
	t.states[i] = state
}

// add adds unit, known to be absent, naming its first state.
func (t *unitTable) add(unit uint64, state uint32) {
	if t.n+1 > len(t.keys)/4*3 {
		t.grow()
	}
	t.put(tableKey(unit), state)
}

func (t *unitTable) put(k uint64, state uint32) {
	mask := uint64(len(t.keys) - 1)
	i := k & mask
	for t.keys[i] != 0 {
		i = (i + 1) & mask
	}
	t.keys[i], t.states[i] = k, state
	t.n++
}

func (t *unitTable) grow() {
	keys, states := t.keys, t.states
	size := max(minTableSlots, 2*len(keys))
	t.keys, t.states, t.n = make([]uint64, size), make([]uint32, size), 0
	for i, k := range keys {
		if k != 0 {
			t.put(k, states[i])
		}
	}
}

// bytes is the table's memory.
func (t *unitTable) bytes() int { return 8*cap(t.keys) + 4*cap(t.states) }

// idSet holds the ids of events that carry one: open addressing with
// linear probing, at most three quarters full.
type idSet struct {
	slots []hash128
	n     int
}

// add adds id and reports whether it was new.
func (s *idSet) add(id hash128) bool {
	if s.n+1 > len(s.slots)/4*3 {
		s.grow()
	}
	id[1] |= 1 // never the empty slot
	mask := uint64(len(s.slots) - 1)
	i := id[0] & mask
	for ; s.slots[i] != (hash128{}); i = (i + 1) & mask {
		if s.slots[i] == id {
			return false
		}
	}
	s.slots[i] = id
	s.n++
	return true
}

func (s *idSet) grow() {
	old := s.slots
	s.slots, s.n = make([]hash128, max(minTableSlots, 2*len(old))), 0
	for _, id := range old {
		if id != (hash128{}) {
			s.add(id)
		}
	}
}

// bytes is the set's memory.
func (s *idSet) bytes() int { return 16 * cap(s.slots) }
