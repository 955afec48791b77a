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

// Ensure that the event table tells new events and flags from seen ones
// across growths, with many entries sharing a unit's probe sequence.
func TestEventTable(t *testing.T) {
	var tab eventTable
	unit := func(u uint64) hash128 { return hash128{u * 0x9E3779B97F4A7C15, u | 1} }
	const units, perUnit = 20_000, 3
	for round := range 2 {
		for u := range uint64(units) {
			for e := range uint64(perUnit) {
				fresh, newFlag := tab.admit(unit(u), e<<2, entryExposed)
				if wantFresh := round == 0; fresh != wantFresh || newFlag != (wantFresh && e == 0) {
					t.Fatalf("round %d, unit %d, event %d: fresh %v, new flag %v", round, u, e, fresh, newFlag)
				}
			}
			if tab.mark(unit(u), entryConverted) != (round == 0) {
				t.Fatalf("round %d, unit %d: converted flag wrong", round, u)
			}
		}
	}
	if want := units * (perUnit + 2); tab.n != want {
		t.Fatalf("%d entries, want %d", tab.n, want)
	}
}
