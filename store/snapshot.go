package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// maxChangesScanned bounds how many audit entries ReadSince reads to learn
// which parts changed since the snapshot before; past it, every part is
// read again (which costs about as much).
const maxChangesScanned = 1024

// ReadSince reads the workspace in one transaction: the parts written since
// prev (every part when prev is nil) and prev's own parts for the rest, so
// the snapshot is the workspace as of one sequence number and never mixes
// versions. Which parts changed comes from the audit trail in the same
// transaction, not from this process's feed. The returned snapshot shares
// the parts it did not read with prev; neither is changed in place.
// Settings the backend owns (hours, holidays, guards, Loaded) are prev's.
func (s *Store) ReadSince(ctx context.Context, prev *core.Snapshot) (core.Snapshot, error) {
	var snap core.Snapshot
	if prev != nil {
		snap = *prev
	}
	err := s.view(ctx, func(tx *bolt.Tx) error {
		change, stale, err := changesSince(tx, prev)
		if err != nil {
			return err
		}
		if prev != nil && prev.Seq == change.Seq {
			return nil
		}
		snap.Seq, snap.Change = change.Seq, change
		return s.readParts(tx, &snap, stale)
	})
	if err != nil {
		return snap, fmt.Errorf("read the workspace: %w", err)
	}
	return snap, nil
}

// auditChange is the part of an audit entry that says what changed.
type auditChange struct {
	Seq     uint64    `json:"seq"`
	Time    time.Time `json:"time"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Subject string    `json:"subject"`
}

func decodeChange(v []byte) (core.Change, error) {
	var e auditChange
	if err := json.Unmarshal(v, &e); err != nil {
		return core.Change{}, damaged("an audit entry does not decode", err)
	}
	kind, id, _ := strings.Cut(e.Subject, "/")
	return core.Change{Seq: e.Seq, Kind: core.Kind(kind), Action: e.Action, ID: id, Actor: e.Actor, Time: e.Time}, nil
}

// staleParts says what was written after a snapshot: the kinds, and the
// experiments whose events changed. A nil staleParts means everything.
type staleParts struct {
	kinds  map[core.Kind]bool
	events map[string]bool
}

// changesSince returns tx's latest write (zero before any) and what was
// written after prev; nil means everything: no prev, more writes than
// are worth reading one by one, or an import.
func changesSince(tx *bolt.Tx, prev *core.Snapshot) (core.Change, *staleParts, error) {
	c := tx.Bucket(bucketAudit).Cursor()
	k, v := c.Last()
	if k == nil {
		return core.Change{}, nil, nil
	}
	last := btoi(k)
	if prev == nil || prev.Seq == 0 || prev.Seq >= last || last-prev.Seq > maxChangesScanned {
		change, err := decodeChange(v)
		return change, nil, err
	}
	var change core.Change
	stale := &staleParts{kinds: map[core.Kind]bool{}, events: map[string]bool{}}
	for k, v := c.Seek(itob(prev.Seq + 1)); k != nil; k, v = c.Next() {
		var err error
		if change, err = decodeChange(v); err != nil {
			return change, nil, err
		}
		stale.kinds[change.Kind] = true
		if change.Kind == core.KindEvents {
			stale.events[change.ID] = true
		}
	}
	if stale.kinds[core.KindWorkspace] {
		return change, nil, nil
	}
	return change, stale, nil
}

// readParts reads into snap the parts that are stale (all of them when
// stale is nil).
func (s *Store) readParts(tx *bolt.Tx, snap *core.Snapshot, stale *staleParts) error {
	changed := func(kinds ...core.Kind) bool {
		if stale == nil {
			return true
		}
		for _, k := range kinds {
			if stale.kinds[k] {
				return true
			}
		}
		return false
	}
	var err error
	if changed(KindBrief) {
		if snap.Briefs, snap.BriefsByID, err = s.briefCache.briefs(tx); err != nil {
			return err
		}
	}
	if changed(KindPerson) {
		if snap.People, err = list[core.Person](tx, bucketPeople); err != nil {
			return err
		}
	}
	switch {
	case changed(KindExperiment):
		if err := readExperiments(tx, snap); err != nil {
			return err
		}
	case changed(KindEvents):
		if err := readEventTotals(tx, snap, stale.events); err != nil {
			return err
		}
	}
	if changed(KindTaxonomy) {
		if snap.Taxonomy, err = readTaxonomy(tx); err != nil {
			return err
		}
	}
	if changed(KindSettings) {
		if snap.WIPLimits, err = readWIPLimits(tx); err != nil {
			return err
		}
	}
	if changed(KindReview, KindDecision) {
		if snap.Reviews, err = list[core.Review](tx, bucketReviews); err != nil {
			return err
		}
	}
	if changed(KindFlow) {
		if snap.Flows, err = list[core.ApprovalFlow](tx, bucketFlows); err != nil {
			return err
		}
	}
	if changed(KindGuideline) {
		if snap.Guideline, err = readGuideline(tx); err != nil {
			return err
		}
	}
	if changed(KindWebhook) {
		if snap.Webhooks, err = list[core.Webhook](tx, bucketWebhooks); err != nil {
			return err
		}
	}
	if changed(KindRun) {
		if snap.Runs, err = list[core.Run](tx, bucketRuns); err != nil {
			return err
		}
	}
	return nil
}

// readExperiments reads every experiment and its totals into snap.
func readExperiments(tx *bolt.Tx, snap *core.Snapshot) error {
	exps, err := list[core.Experiment](tx, bucketExperiments)
	if err != nil {
		return err
	}
	totals := make(map[string]map[string]core.VariantTotals, len(exps))
	for _, e := range exps {
		if totals[e.Key], err = readTotals(tx, e); err != nil {
			return err
		}
	}
	snap.Experiments, snap.Totals = exps, totals
	return nil
}

// readEventTotals reads again the totals of the experiments whose events
// changed, keeping snap's experiments and the rest of its totals: an
// event batch is the write sessions see most, and it changes one
// experiment's counts.
func readEventTotals(tx *bolt.Tx, snap *core.Snapshot, keys map[string]bool) error {
	totals := maps.Clone(snap.Totals)
	if totals == nil {
		totals = make(map[string]map[string]core.VariantTotals, len(keys))
	}
	for _, e := range snap.Experiments {
		if !keys[e.Key] {
			continue
		}
		t, err := readTotals(tx, e)
		if err != nil {
			return err
		}
		totals[e.Key] = t
	}
	snap.Totals = totals
	return nil
}

// readGuideline returns the latest brand guideline, empty when none was
// saved.
func readGuideline(tx *bolt.Tx) (core.BrandGuideline, error) {
	var g core.BrandGuideline
	_, v := tx.Bucket(bucketGuidelines).Cursor().Last()
	if v == nil {
		return g, nil
	}
	if err := json.Unmarshal(v, &g); err != nil {
		return g, damaged("the brand guideline does not decode", err)
	}
	return g, nil
}

// briefCache keeps every brief decoded beside the encoding it was decoded
// from, so reading all briefs decodes only those whose stored bytes
// changed: decoding is nearly all of what reading ten thousand briefs
// costs, and a write changes one.
type briefCache struct {
	mu   sync.Mutex
	byID map[uint64]*decodedBrief
	// read counts reads, to find the entries of briefs no longer stored.
	read uint64
	// decoded is how many briefs the last read decoded; for tests.
	decoded int
	// last and lastByID are what the last read returned, returned again
	// while no brief changed: copying and indexing ten thousand briefs
	// costs more than reading them, and sessions tell unchanged briefs by
	// the slice.
	last     []core.Brief
	lastByID map[uint64]core.Brief
}

type decodedBrief struct {
	raw   []byte
	brief core.Brief
	read  uint64 // the read that last saw it
}

// briefs returns every brief in tx in ID order, and indexed by ID.
func (c *briefCache) briefs(tx *bolt.Tx) ([]core.Brief, map[uint64]core.Brief, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil {
		c.byID = map[uint64]*decodedBrief{}
	}
	c.read++
	c.decoded = 0
	// While every brief is the one at its place in the last read, they
	// are not copied: n counts them, and out starts at the first that is
	// not.
	var out []core.Brief
	n, same := 0, c.last != nil
	err := tx.Bucket(bucketBriefs).ForEach(func(k, v []byte) error {
		id := btoi(k)
		d := c.byID[id]
		if d == nil || !bytes.Equal(d.raw, v) {
			d = &decodedBrief{raw: bytes.Clone(v)}
			if err := json.Unmarshal(v, &d.brief); err != nil {
				return damaged(fmt.Sprintf("brief %d does not decode", id), err)
			}
			c.byID[id] = d
			c.decoded++
			same = false
		}
		d.read = c.read
		if same && n < len(c.last) && c.last[n].ID == id {
			n++
			return nil
		}
		if out == nil {
			out = append(make([]core.Brief, 0, max(len(c.byID), n+1)), c.last[:n]...)
			same = false
		}
		out = append(out, d.brief)
		return nil
	})
	if err != nil {
		c.byID, c.last, c.lastByID = nil, nil, nil // a damaged read leaves nothing half-updated behind
		return nil, nil, err
	}
	if same && n == len(c.last) {
		return c.last, c.lastByID, nil
	}
	if out == nil { // fewer briefs than the last read, all as they were
		out = append([]core.Brief(nil), c.last[:n]...)
	}
	if len(c.byID) > len(out) {
		for id, d := range c.byID {
			if d.read != c.read {
				delete(c.byID, id)
			}
		}
	}
	c.last, c.lastByID = out, core.BriefsByID(out)
	return c.last, c.lastByID, nil
}
