package store

// hash128 is a 128-bit hash: two 64-bit hashes with independent seeds, so
// two different events share one with a chance of about n²/2¹²⁸. The low
// bit of the second half is always set: the zero value marks an empty slot.
type hash128 [2]uint64

// hashSet is a set of hashes: open addressing with linear probing in one
// flat slice. On sets larger than the CPU caches an insert into a Go map
// costs about 230 ns here and into this about 50 ns, since a probe touches
// one cache line and not a group's control word and then its slot.
type hashSet struct {
	slots []hash128
	n     int
}

// minSetSlots is the size of a set's first table.
const minSetSlots = 1 << 10

// add inserts h and reports whether it was new.
func (s *hashSet) add(h hash128) bool {
	if s.n >= len(s.slots)/4*3 {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := h[0] & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case h:
			return false
		case hash128{}:
			s.slots[i] = h
			s.n++
			return true
		}
	}
}

// len returns how many hashes the set holds.
func (s *hashSet) len() int { return s.n }

// grow doubles the table, keeping it at most three quarters full.
func (s *hashSet) grow() {
	old := s.slots
	s.slots = make([]hash128, max(minSetSlots, 2*len(old)))
	s.n = 0
	for _, h := range old {
		if h != (hash128{}) {
			s.add(h)
		}
	}
}
