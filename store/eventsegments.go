package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// noAttr is the level of units that never gave the attribute.
const noAttr = core.SegmentNone

// addAttrs gives the unit whose first state is first the attributes it
// does not have yet: a unit keeps the first value any of its events gave
// for a key. Every state of the unit shares one set.
func (x *eventIndex) addAttrs(first uint32, attrs map[string]string) {
	set := x.states[first-1].attrs
	if set == 0 {
		set = x.newAttrSet(nil)
		for s := first; s != 0; s = x.states[s-1].next {
			x.states[s-1].attrs = set
		}
	}
	pairs := x.attrSets[set-1]
	for _, k := range core.AttrKeys(attrs) {
		key := x.attrID(k)
		if !slices.ContainsFunc(pairs, func(p attrPair) bool { return p.key == key }) {
			pairs = append(pairs, attrPair{key, x.attrID(attrs[k])})
		}
	}
	x.attrSets[set-1] = pairs
}

// newAttrSet adds a unit's attribute set.
func (x *eventIndex) newAttrSet(pairs []attrPair) uint32 {
	if n := len(x.freeSets); n > 0 {
		set := x.freeSets[n-1]
		x.freeSets = x.freeSets[:n-1]
		x.attrSets[set-1] = pairs
		return set
	}
	x.attrSets = append(x.attrSets, pairs)
	return uint32(len(x.attrSets))
}

// newAttrs reports whether attrs give the unit whose first state is first
// a key it does not have yet.
func (x *eventIndex) newAttrs(first uint32, attrs map[string]string) bool {
	if len(attrs) == 0 {
		return false
	}
	set := x.states[first-1].attrs
	if set == 0 {
		return true
	}
	pairs := x.attrSets[set-1]
	for k := range attrs {
		key, ok := x.attrs[k]
		if !ok || !slices.ContainsFunc(pairs, func(p attrPair) bool { return p.key == key }) {
			return true
		}
	}
	return false
}

// attrID interns an attribute key or value.
func (x *eventIndex) attrID(s string) uint32 {
	id, ok := x.attrs[s]
	if !ok {
		id = uint32(len(x.attrStrings))
		x.attrs[s] = id
		x.attrStrings = append(x.attrStrings, s)
	}
	return id
}

// segments sums each variant's units of experiment by their value of the
// attribute key, as core.VariantTotals without first and last times:
// one pass over the states, with slices, not maps, in the loop.
func (x *eventIndex) segments(experiment, key string) (map[string]map[string]core.VariantTotals, error) {
	variantOf := make([]int32, len(x.armNames)) // arm id → variant's column, -1 for other experiments
	var variants []string
	for id, n := range x.armNames {
		variantOf[id] = -1
		if n.experiment == experiment {
			variantOf[id] = int32(len(variants))
			variants = append(variants, n.variant)
		}
	}
	keyID, known := x.attrs[key]
	levelOf := make([]int, len(x.attrStrings)) // value id → row, plus one; unattributed units are row 0
	rows := [][]core.VariantTotals{make([]core.VariantTotals, len(variants))}
	values := []string{noAttr}
	add := func(s uint32) {
		st := &x.states[s-1]
		col := variantOf[st.armID()]
		if col < 0 {
			return
		}
		row := 0
		if known && st.attrs != 0 {
			for _, p := range x.attrSets[st.attrs-1] {
				if p.key != keyID {
					continue
				}
				if levelOf[p.value] == 0 {
					rows = append(rows, make([]core.VariantTotals, len(variants)))
					values = append(values, x.attrStrings[p.value])
					levelOf[p.value] = len(rows)
				}
				row = levelOf[p.value] - 1
			}
		}
		rows[row][col].Move(core.UnitCount{}, x.count(s))
	}
	if err := x.eachState(add); err != nil {
		return nil, err
	}
	out := make(map[string]map[string]core.VariantTotals, len(rows))
	for r, row := range rows {
		level := map[string]core.VariantTotals{}
		for c, t := range row {
			if t.Exposures > 0 || t.Unattributed > 0 {
				level[variants[c]] = t
			}
		}
		if len(level) > 0 {
			out[values[r]] = level
		}
	}
	return out, nil
}

// attrKeys are the attribute keys units of experiment gave, in order.
func (x *eventIndex) attrKeys(experiment string) ([]string, error) {
	seen := map[uint32]bool{}
	add := func(s uint32) {
		st := &x.states[s-1]
		if st.attrs == 0 || x.armNames[st.armID()].experiment != experiment {
			return
		}
		for _, p := range x.attrSets[st.attrs-1] {
			seen[p.key] = true
		}
	}
	if err := x.eachState(add); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, x.attrStrings[k])
	}
	slices.SortFunc(keys, cmp.Compare)
	return keys, nil
}

// Segments returns experiment's variant totals for each value of the
// attribute key (units without it under "(none)"): its events' from the
// in-memory event index, which it builds from the log the first time,
// plus its aggregate rows' (core.SegmentAggregates).
func (s *Store) Segments(ctx context.Context, experiment, key string) (map[string]map[string]core.VariantTotals, error) {
	var out map[string]map[string]core.VariantTotals
	err := s.withEventIndex(ctx, func(x *eventIndex) (err error) {
		out, err = x.segments(experiment, key)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = s.view(ctx, func(tx *bolt.Tx) error { return addAggregateSegments(tx, experiment, key, out) })
	if err != nil {
		return nil, fmt.Errorf("segments of %s by %s: %w", experiment, key, err)
	}
	return out, nil
}

// AttrKeys returns the attribute keys experiment's units gave, and its
// aggregate rows break down, in order.
func (s *Store) AttrKeys(ctx context.Context, experiment string) ([]string, error) {
	var out []string
	err := s.withEventIndex(ctx, func(x *eventIndex) (err error) {
		out, err = x.attrKeys(experiment)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = s.view(ctx, func(tx *bolt.Tx) error {
		rows, err := experimentAggregates(tx, experiment)
		for _, vrows := range rows {
			out = append(out, core.SegmentAttrs(vrows)...)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("attributes of %s: %w", experiment, err)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// withEventIndex runs fn on the event index under the write lock, which
// guards it, loading it from the log first if this process has not.
func (s *Store) withEventIndex(ctx context.Context, fn func(*eventIndex) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.events == nil {
		err := s.db.View(func(tx *bolt.Tx) error {
			index, err := loadEventIndex(tx, s.newSpill())
			s.events = index
			return err
		})
		if err != nil {
			s.events = nil
			return err
		}
	}
	if err := fn(s.events); err != nil {
		if s.events.spillErr() != nil {
			s.dropEvents()
		}
		return err
	}
	return nil
}
