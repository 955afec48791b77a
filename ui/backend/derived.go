package backend

import (
	"sync"

	"github.com/tandem-ops/tandem/core"
)

// derivedCache keeps what the views derive from the latest snapshot (a
// board's columns, the cards' result badges), so that when a write wakes
// every session each derivation is computed once, not once per session.
type derivedCache struct {
	mu      sync.Mutex
	seq     uint64
	entries map[string]*derivedEntry
}

type derivedEntry struct {
	once sync.Once
	val  any
	ok   bool // compute returned; false after a panic
}

// maxDerivedEntries bounds the cache: a few derivations per view, and the
// filters sessions type.
const maxDerivedEntries = 64

// entry returns the entry for key at seq, or nil when it is not to be
// kept: a snapshot older than the latest asked for, or a full cache.
func (c *derivedCache) entry(seq uint64, key string) *derivedEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case seq > c.seq || c.entries == nil:
		c.seq, c.entries = seq, map[string]*derivedEntry{}
	case seq < c.seq:
		return nil
	}
	e := c.entries[key]
	if e == nil {
		if len(c.entries) >= maxDerivedEntries {
			return nil
		}
		e = &derivedEntry{}
		c.entries[key] = e
	}
	return e
}

// Derive returns what compute derives from snap, computed once for every
// session that asks for the same key of the same snapshot. Key names the
// derivation and everything it depends on besides the snapshot; compute
// must be pure, and what it returns is shared, so no one may change it.
// A snapshot not read from the store (Seq 0) is computed for the caller
// alone.
func Derive[T any](b *Backend, snap core.Snapshot, key string, compute func() T) T {
	if b == nil || snap.Seq == 0 {
		return compute()
	}
	e := b.derived.entry(snap.Seq, key)
	if e == nil {
		return compute()
	}
	e.once.Do(func() {
		defer func() {
			if !e.ok {
				b.derived.forget(snap.Seq, key, e) // a panic: the next caller computes anew
			}
		}()
		e.val, e.ok = compute(), true
	})
	if !e.ok {
		// The first caller's compute panicked (and that caller with it):
		// this one computes for itself rather than share nothing.
		return compute()
	}
	return e.val.(T)
}

// forget drops e, kept for key at seq, so that it is computed again.
func (c *derivedCache) forget(seq uint64, key string, e *derivedEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seq == seq && c.entries[key] == e {
		delete(c.entries, key)
	}
}
