package store

import "testing"

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
