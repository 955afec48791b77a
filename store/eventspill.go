package store

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// spill keeps the states of the event index's units that do not fit its
// memory budget in a scratch bbolt file beside the workspace, one record a
// unit keyed by the unit's hash; the unit table keeps every unit, marking
// those spilled, so a unit's first event after a spill reads its record
// back (a bbolt read) and another unit's states are written out to make
// room.
//
// The file is scratch, not part of the workspace: the index is derived
// from the event log and its hashes are seeded per process, so its records
// mean nothing to another process, need no fsync, and must not be backed
// up or exported. It is made when the index first passes its budget,
// written without fsync, and removed when the index is dropped or the
// store closes.
type spill struct {
	budget int
	// workspace is the database the scratch file is made beside.
	workspace string
	db        *bolt.DB
	tx        *bolt.Tx // open between eviction rounds, so reads see every record
	// cursor is where the eviction sweep over the unit table resumes;
	// stuck, what the index held after a sweep of the whole table could
	// not bring it under budget (heavy units stay, the table itself is
	// never spilled), so that the next sweep waits for growth.
	cursor, stuck int
	// err is the first I/O error; the batch that meets it fails, and the
	// index is dropped with its transaction.
	err error
	// spilled and reloaded count units written out and read back.
	spilled, reloaded int
}

// spilledState marks a unit table entry whose states are in the spill.
const spilledState = math.MaxUint32

// stateFree marks a state slot on the free list.
const stateFree = stateHeavy >> 1

// spillBucket holds the records.
var spillBucket = []byte("units")

// newSpill returns a spill for an index of at most budget bytes, its
// scratch file to be made beside the workspace at dbPath.
func newSpill(dbPath string, budget int) *spill {
	return &spill{budget: budget, workspace: dbPath}
}

// open makes the scratch file on first use.
func (sp *spill) open() error {
	if sp.db != nil {
		return nil
	}
	f, err := os.CreateTemp(filepath.Dir(sp.workspace), filepath.Base(sp.workspace)+".spill-*")
	if err != nil {
		return fmt.Errorf("make the event index's spill file: %w", err)
	}
	name := f.Name()
	f.Close()
	db, err := bolt.Open(name, 0o600, &bolt.Options{NoSync: true, NoFreelistSync: true, NoGrowSync: true})
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("open the event index's spill file: %w", err)
	}
	sp.db = db
	return sp.begin()
}

// removeStaleSpills removes the spill files of the workspace at dbPath
// that a holder left when it died before closing; only the process
// holding the workspace may call it. Files it cannot remove stay: they
// cost disk, not correctness.
func removeStaleSpills(dbPath string) {
	dir, prefix := filepath.Dir(dbPath), filepath.Base(dbPath)+".spill-"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasPrefix(e.Name(), prefix) {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// begin opens the transaction records are read and written in.
func (sp *spill) begin() error {
	tx, err := sp.db.Begin(true)
	if err != nil {
		return fmt.Errorf("event index spill: %w", err)
	}
	if _, err := tx.CreateBucketIfNotExists(spillBucket); err != nil {
		tx.Rollback()
		return fmt.Errorf("event index spill: %w", err)
	}
	sp.tx = tx
	return nil
}

// commit writes the records of an eviction round to the file, so their
// pages leave memory, and opens the next transaction.
func (sp *spill) commit() error {
	if err := sp.tx.Commit(); err != nil {
		sp.tx = nil
		return fmt.Errorf("event index spill: %w", err)
	}
	return sp.begin()
}

// close removes the scratch file.
func (sp *spill) close() {
	if sp == nil || sp.db == nil {
		return
	}
	if sp.tx != nil {
		_ = sp.tx.Rollback()
	}
	path := sp.db.Path()
	_ = sp.db.Close()
	_ = os.Remove(path)
	sp.db, sp.tx = nil, nil
}

// spillErr is the spill's first I/O error: the index no longer holds
// every unit, and must be dropped.
func (x *eventIndex) spillErr() error {
	if x.spill == nil {
		return nil
	}
	return x.spill.err
}

func (sp *spill) fail(err error) {
	if sp.err == nil {
		sp.err = err
	}
}

// liveBytes is what the index holds in memory now, as its budget counts
// it: the unit table and ids, and the states, events and values in use.
func (x *eventIndex) liveBytes() int {
	return x.units.bytes() + x.ids.bytes() + 24*(len(x.states)-len(x.freeStates)) + 16*(len(x.events)-len(x.freeEvents)) + 8*(len(x.values)-len(x.freeValues))
}

// makeRoom spills units, a round at a time, once the index passes its
// budget: sweeping the unit table from where the last round stopped, it
// writes out resident units (not heavy ones, which keep their sets in
// memory) until an eighth of the budget is free, and commits them. The
// round's records are put in key order: bbolt splits pages only at
// commit, and random inserts into one page move its tail each time.
func (x *eventIndex) makeRoom() {
	sp := x.spill
	if sp == nil || sp.err != nil || x.liveBytes() <= max(sp.budget, sp.stuck+sp.budget/8) {
		return
	}
	if err := sp.open(); err != nil {
		sp.fail(err)
		return
	}
	type record struct {
		key uint64
		rec []byte
	}
	var round []record
	target, keys := sp.budget-sp.budget/8, x.units.keys
	for swept := 0; swept < len(keys) && x.liveBytes() > target; swept++ {
		i := sp.cursor
		sp.cursor = (sp.cursor + 1) % len(keys)
		if first := x.units.states[i]; keys[i] != 0 && first != spilledState && !x.heavyUnit(first) {
			// bbolt keeps the key and value until the transaction commits.
			round = append(round, record{keys[i], x.encodeUnit(nil, first)})
			x.freeUnit(first)
			x.units.states[i] = spilledState
		}
	}
	if x.liveBytes() > target {
		sp.stuck = x.liveBytes()
	}
	slices.SortFunc(round, func(a, b record) int { return cmp.Compare(a.key, b.key) })
	bucket := sp.tx.Bucket(spillBucket)
	for _, r := range round {
		if err := bucket.Put(binary.BigEndian.AppendUint64(nil, r.key), r.rec); err != nil {
			sp.fail(fmt.Errorf("event index spill: %w", err))
			return
		}
	}
	sp.spilled += len(round)
	if err := sp.commit(); err != nil {
		sp.fail(err)
	}
}

// heavyUnit reports whether a unit has a heavy state.
func (x *eventIndex) heavyUnit(first uint32) bool {
	for s := first; s != 0; s = x.states[s-1].next {
		if x.states[s-1].arm&stateHeavy != 0 {
			return true
		}
	}
	return false
}

// reload reads back the spilled unit whose table key is key and returns
// its first state; 0, with the spill's error set, if it cannot.
func (x *eventIndex) reload(key uint64) uint32 {
	sp := x.spill
	if sp.err != nil {
		return 0
	}
	rec := sp.tx.Bucket(spillBucket).Get(binary.BigEndian.AppendUint64(x.scratch[:0], key))
	first, err := x.decodeUnit(rec)
	if err != nil {
		sp.fail(fmt.Errorf("event index spill: unit %x: %w", key, err))
		return 0
	}
	x.units.replace(key, first)
	sp.reloaded++
	return first
}

// encodeUnit appends a unit's record: its attributes, then each state
// (arm and flags, exposure, events: time, type and id flag, value).
func (x *eventIndex) encodeUnit(b []byte, first uint32) []byte {
	var pairs []attrPair
	if set := x.states[first-1].attrs; set != 0 {
		pairs = x.attrSets[set-1]
	}
	b = binary.AppendUvarint(b, uint64(len(pairs)))
	for _, p := range pairs {
		b = binary.AppendUvarint(b, uint64(p.key))
		b = binary.AppendUvarint(b, uint64(p.value))
	}
	for s := first; s != 0; s = x.states[s-1].next {
		st := &x.states[s-1]
		b = binary.AppendUvarint(b, uint64(st.arm)+1) // 0 ends the record
		b = binary.AppendVarint(b, st.exposed)
		for e := st.events; e != 0; e = x.events[e-1].next {
			ev := &x.events[e-1]
			b = binary.AppendUvarint(b, uint64(ev.meta&(eventTypeMask|eventHasID))+1) // 0 ends the state
			b = binary.AppendVarint(b, ev.ts)
			b = binary.AppendUvarint(b, math.Float64bits(x.value(ev)))
		}
		b = binary.AppendUvarint(b, 0)
	}
	return binary.AppendUvarint(b, 0)
}

// errSpillRecord is returned for a record that does not decode.
var errSpillRecord = errors.New("the spilled record does not decode")

// decodeUnit rebuilds a unit's states from its record and returns the
// first.
func (x *eventIndex) decodeUnit(rec []byte) (uint32, error) {
	d := spillDecoder{b: rec}
	var set uint32
	if n := d.uvarint(); n > 0 && d.err == nil {
		pairs := make([]attrPair, min(n, 64))[:0]
		for range n {
			pairs = append(pairs, attrPair{uint32(d.uvarint()), uint32(d.uvarint())})
		}
		set = x.newAttrSet(pairs)
	}
	var first, last uint32
	for arm := d.uvarint(); arm != 0 && d.err == nil; arm = d.uvarint() {
		s := x.newState(uint32(arm-1), 0)
		if last == 0 {
			first = s
		} else {
			x.states[last-1].next = s
		}
		last = s
		x.states[s-1].exposed, x.states[s-1].attrs = d.varint(), set
		link := &x.states[s-1].events
		for meta := d.uvarint(); meta != 0 && d.err == nil; meta = d.uvarint() {
			e := x.newEvent(d.varint(), uint32(meta-1), d.uvarint())
			*link = e
			link = &x.events[e-1].next
		}
	}
	if d.err != nil || first == 0 {
		return 0, errSpillRecord
	}
	return first, nil
}

// spillDecoder reads a record's varints, keeping the first error.
type spillDecoder struct {
	b   []byte
	err error
}

func (d *spillDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errSpillRecord
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *spillDecoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errSpillRecord
		return 0
	}
	d.b = d.b[n:]
	return v
}

// freeUnit puts a unit's states, events, values and attribute set on the
// free lists.
func (x *eventIndex) freeUnit(first uint32) {
	if set := x.states[first-1].attrs; set != 0 {
		x.attrSets[set-1] = nil
		x.freeSets = append(x.freeSets, set)
	}
	for s := first; s != 0; {
		st := &x.states[s-1]
		for e := st.events; e != 0; {
			ev := &x.events[e-1]
			if i := ev.meta >> eventValueShift; i != 0 {
				x.freeValues = append(x.freeValues, i)
			}
			next := ev.next
			*ev = unitEvent{}
			x.freeEvents = append(x.freeEvents, e)
			e = next
		}
		next := st.next
		*st = unitState{arm: stateFree}
		x.freeStates = append(x.freeStates, s)
		s = next
	}
}

// eachSpilled calls fn with each spilled unit's first state, the unit read
// back for the call and written out again after.
func (x *eventIndex) eachSpilled(fn func(first uint32)) error {
	sp := x.spill
	if sp == nil || sp.tx == nil {
		return nil
	}
	if sp.err != nil {
		return sp.err
	}
	return sp.tx.Bucket(spillBucket).ForEach(func(k, v []byte) error {
		if len(k) != 8 || x.units.lookup(binary.BigEndian.Uint64(k)) != spilledState {
			return nil // read back since: its states are in memory
		}
		first, err := x.decodeUnit(v)
		if err != nil {
			return fmt.Errorf("event index spill: unit %x: %w", k, err)
		}
		fn(first)
		x.freeUnit(first)
		return nil
	})
}

// eachState calls fn with every state in use: the resident ones, then the
// spilled units', each read back for the call.
func (x *eventIndex) eachState(fn func(s uint32)) error {
	for i := range x.states {
		if x.states[i].arm != stateFree {
			fn(uint32(i + 1))
		}
	}
	return x.eachSpilled(func(first uint32) {
		for s := first; s != 0; s = x.states[s-1].next {
			fn(s)
		}
	})
}
