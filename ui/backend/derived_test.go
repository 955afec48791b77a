package backend

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that a derivation is computed once for every session asking for
// it at the latest snapshot, again at the next one, and never kept for an
// older snapshot or one not read from the store.
func TestDerive_OncePerSnapshot(t *testing.T) {
	b := &Backend{}
	var computed atomic.Int32
	derive := func(seq uint64) int {
		return Derive(b, core.Snapshot{Seq: seq}, "count", func() int { return int(computed.Add(1)) })
	}
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() { derive(7) })
	}
	wg.Wait()
	if n := computed.Load(); n != 1 {
		t.Fatalf("100 sessions at one snapshot computed %d times, want 1", n)
	}
	if got := derive(8); got != 2 || derive(8) != 2 {
		t.Fatalf("the next snapshot got %d, want a fresh computation (2) kept", got)
	}
	if derive(7) != 3 || derive(7) != 4 {
		t.Fatal("an older snapshot's derivation was kept over the latest's")
	}
	if derive(0) != 5 || derive(0) != 6 {
		t.Fatal("a snapshot not read from the store shared its derivation")
	}
	if derive(8) != 2 {
		t.Fatal("the latest snapshot's derivation was lost")
	}
}

// Ensure that a derivation whose compute panics takes only its caller
// down: the next session computes it anew and shares that.
func TestDerive_PanicIsNotShared(t *testing.T) {
	b := &Backend{}
	snap := core.Snapshot{Seq: 3}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the first caller's panic did not reach it")
			}
		}()
		Derive(b, snap, "k", func() string { panic("a bad brief") })
	}()
	if got := Derive(b, snap, "k", func() string { return "drawn" }); got != "drawn" {
		t.Fatalf("after a panic the next caller got %q", got)
	}
	if got := Derive(b, snap, "k", func() string { return "again" }); got != "drawn" {
		t.Fatalf("the recomputed derivation is not shared: %q", got)
	}
}
