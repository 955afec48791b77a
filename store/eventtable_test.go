package store

import "testing"

// Ensure that the unit table finds every unit across growths, including
// units whose hashes share a probe sequence, and that the id set tells new
// ids from seen ones.
func TestUnitTable(t *testing.T) {
	var tab unitTable
	const units = 20_000
	unit := func(u uint64) uint64 { return (u + 1) << 20 } // all start at slot 0 until the table passes 2²⁰ slots
	for u := range uint64(units) {
		if got := tab.lookup(unit(u)); got != 0 {
			t.Fatalf("unit %d found before it was added: %d", u, got)
		}
		tab.add(unit(u), uint32(u+1))
	}
	tab.add(0, units+1) // the hash 0 is not the empty slot
	for u := range uint64(units) {
		if got := tab.lookup(unit(u)); got != uint32(u+1) {
			t.Fatalf("unit %d: lookup = %d", u, got)
		}
	}
	if got := tab.lookup(0); got != units+1 {
		t.Fatalf("hash 0: lookup = %d", got)
	}
	if tab.n != units+1 || tab.n > len(tab.keys)/4*3 {
		t.Fatalf("%d entries in %d slots", tab.n, len(tab.keys))
	}
}

// Ensure that the id set admits each id once, across growths.
func TestIDSet(t *testing.T) {
	var ids idSet
	for round := range 2 {
		for i := range uint64(50_000) {
			id := hash128{i * 0x9E3779B97F4A7C15, i}
			if fresh := ids.add(id); fresh != (round == 0) {
				t.Fatalf("round %d, id %d: fresh %v", round, i, fresh)
			}
		}
	}
	if ids.n != 50_000 {
		t.Fatalf("%d ids, want 50000", ids.n)
	}
}
