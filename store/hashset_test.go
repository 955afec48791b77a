package store

import "testing"

// Ensure that the set finds every hash it holds across many growths, and
// only those.
func TestHashSet(t *testing.T) {
	var s hashSet
	const n = 100_000
	h := func(i uint64) hash128 { return hash128{i * 0x9E3779B97F4A7C15, i | 1} }
	for i := range uint64(n) {
		if !s.add(h(i)) {
			t.Fatalf("hash %d reported as present before it was added", i)
		}
	}
	for i := range uint64(n) {
		if s.add(h(i)) {
			t.Fatalf("hash %d lost after growing to %d slots", i, len(s.slots))
		}
	}
	if s.len() != n || len(s.slots) > 4*n {
		t.Fatalf("%d hashes in %d slots", s.len(), len(s.slots))
	}
}
