package store

import "testing"

// Ensure that the event table tells new events from seen ones across
// growths, with many events sharing a unit's probe sequence, and finds
// each unit's entry among them.
func TestEventTable(t *testing.T) {
	var tab eventTable
	unit := func(u uint64) hash128 { return hash128{u * 0x9E3779B97F4A7C15, u | 1} }
	const units, perUnit = 20_000, 3
	states := make([]unitState, units)
	for round := range 2 {
		for u := range uint64(units) {
			for e := range uint64(perUnit) {
				fresh, state := tab.admit(unit(u), e<<2, states)
				if wantFresh := round == 0; fresh != wantFresh {
					t.Fatalf("round %d, unit %d, event %d: fresh %v", round, u, e, fresh)
				}
				if fresh && state != 0 && state != uint32(u+1) {
					t.Fatalf("unit %d found state %d", u, state)
				}
			}
			if round == 0 {
				states[u].h1 = unit(u)[1]
				tab.addUnit(unit(u), uint32(u+1))
			}
			if got := tab.lookup(unit(u), states); got != uint32(u+1) {
				t.Fatalf("round %d, unit %d: lookup = %d", round, u, got)
			}
		}
	}
	if want := units * (perUnit + 1); tab.n != want {
		t.Fatalf("%d entries, want %d", tab.n, want)
	}
}
