package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// importSet gathers an export's lines as they are read, checking each on
// its own, and keeps what the checks across lines need.
type importSet struct {
	known   map[string]bool
	records []importRecord

	// lastKey is each bucket's previous key, which the next must follow.
	lastKey map[string][]byte
	// seqLine is the line of each bucket's sequence.
	seqLine map[string]int
	seq     map[string]uint64

	briefs     map[uint64]importedBrief // by id
	people     []core.Person
	flows      map[uint64]core.ApprovalFlow // by id
	reviews    []importedReview
	stageIndex map[string]int // key → line
	totals     map[string]importedTotals
	// replayed counts the event log, in order, as Check does; its windows
	// are the experiments', which an export holds before the log.
	replayed *logTally
	// recounted is whether the import's schema migration recounts the
	// totals (an export from before schema 7), so they are not compared.
	recounted bool
	eventLine map[string]int // the first line with an event for each variant
	audit     []core.AuditEntry
	auditLine []int
}

type importedBrief struct {
	stage core.Stage
	line  int
}

type importedReview struct {
	r    core.Review
	line int
}

type importedTotals struct {
	t    core.VariantTotals
	line int
}

func newImportSet(schema uint64) *importSet {
	set := &importSet{
		known: map[string]bool{}, lastKey: map[string][]byte{}, seqLine: map[string]int{}, seq: map[string]uint64{},
		briefs: map[uint64]importedBrief{}, flows: map[uint64]core.ApprovalFlow{}, stageIndex: map[string]int{}, totals: map[string]importedTotals{},
		replayed: newLogTally(map[string]time.Duration{}, true), recounted: schema < 7, eventLine: map[string]int{},
	}
	for _, b := range exportedBuckets() {
		set.known[string(b)] = true
	}
	if schema < 4 {
		set.known[string(legacyEvents)], set.known[string(legacyUnits)] = true, true
	}
	return set
}

// add checks line n on its own and keeps it.
func (set *importSet) add(n int, raw []byte) error {
	rec := importRecord{line: n}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec.exportLine); err != nil || dec.More() {
		return errors.New("not an export line (JSON with bucket, key and json or bytes); the file was altered or cut short, export again")
	}
	bucket := rec.Bucket
	if !set.known[bucket] {
		return errors.New("a bucket this export version does not have")
	}
	if rec.Sequence != nil {
		if rec.Key != "" || rec.JSON != nil || rec.Bytes != "" {
			return errors.New("a sequence line with a record on it")
		}
		if _, dup := set.seqLine[bucket]; dup {
			return fmt.Errorf("the %s sequence a second time (first on line %d)", bucket, set.seqLine[bucket])
		}
		if *rec.Sequence > maxRecordID {
			return fmt.Errorf("the %s sequence %d is past %d", bucket, *rec.Sequence, uint64(maxRecordID))
		}
		set.seqLine[bucket], set.seq[bucket] = n, *rec.Sequence
		set.records = append(set.records, rec)
		return nil
	}
	var err error
	if rec.key, err = decodeKey(rec.Key); err != nil {
		return err
	}
	if last, ok := set.lastKey[bucket]; ok && bytes.Compare(rec.key, last) <= 0 {
		return fmt.Errorf("%s key %s repeats or comes before the key of an earlier line; the file was altered", bucket, hexKey(rec.key))
	}
	set.lastKey[bucket] = rec.key
	if rec.value, err = valueOf(rec.exportLine); err != nil {
		return err
	}
	if err := set.keep(n, bucket, rec.key, rec.value); err != nil {
		return fmt.Errorf("%s record %s: %w", bucket, keyString(rec.key), err)
	}
	set.records = append(set.records, rec)
	return nil
}

// keep checks one record and notes what the checks across records need.
func (set *importSet) keep(n int, bucket string, k, v []byte) error {
	if bucket == string(legacyEvents) {
		ev, err := legacyEvent(v)
		if err == nil {
			set.fold(n, ev)
		}
		return err
	}
	events, err := checkRecord(bucket, k, v)
	if err != nil {
		return err
	}
	switch bucket {
	case string(bucketEventLog):
		for _, ev := range events {
			set.fold(n, ev)
		}
	case string(bucketBriefs):
		var b core.Brief
		_ = json.Unmarshal(v, &b) // checkRecord decoded it
		set.briefs[b.ID] = importedBrief{stage: b.Stage, line: n}
	case string(bucketBriefStage):
		set.stageIndex[string(k)] = n
	case string(bucketPeople):
		var p core.Person
		_ = json.Unmarshal(v, &p)
		if err := core.DuplicateName(p, set.people); err != nil {
			return err
		}
		set.people = append(set.people, p)
	case string(bucketFlows):
		var fl core.ApprovalFlow
		_ = json.Unmarshal(v, &fl)
		set.flows[fl.ID] = fl
	case string(bucketReviews):
		var r core.Review
		_ = json.Unmarshal(v, &r)
		set.reviews = append(set.reviews, importedReview{r: r, line: n})
	case string(bucketTotals):
		var t core.VariantTotals
		_ = json.Unmarshal(v, &t)
		set.totals[string(k)] = importedTotals{t: t, line: n}
	case string(bucketExperiments):
		var e core.Experiment
		_ = json.Unmarshal(v, &e)
		if e.ConversionWindow > 0 {
			set.replayed.windows[e.Key] = e.ConversionWindow
		}
	case string(bucketAudit):
		var e core.AuditEntry
		_ = json.Unmarshal(v, &e)
		set.audit = append(set.audit, e)
		set.auditLine = append(set.auditLine, n)
	}
	return nil
}

// fold adds an event of line n to the replayed totals.
func (set *importSet) fold(n int, ev core.Event) {
	key := string(totalsKey(ev.Experiment, ev.Variant))
	if _, ok := set.eventLine[key]; !ok {
		set.eventLine[key] = n
	}
	set.replayed.add(ev)
}

// crossCheck checks the records against each other, naming a line: every
// brief is in the stage index under its stage and every index entry is a
// brief's; every review's brief and flow are there, with its stage; every
// variant's totals are what its events add up to; every
// sequence is ahead of its bucket's last key; the audit chain verifies.
func (set *importSet) crossCheck() error {
	for id, b := range set.briefs {
		if _, ok := set.stageIndex[string(stageKey(uint8(b.stage), id))]; !ok {
			return &ImportError{Line: b.line, Err: fmt.Errorf("brief %d (%s) is missing from the stage index", id, b.stage)}
		}
	}
	for k, line := range set.stageIndex {
		id := btoi([]byte(k)[1:])
		if b, ok := set.briefs[id]; !ok || uint8(b.stage) != k[0] {
			return &ImportError{Line: line, Err: fmt.Errorf("the stage index has brief %d in %s, and no such brief is there", id, core.Stage(k[0]))}
		}
	}
	for _, ir := range set.reviews {
		_, there := set.briefs[ir.r.BriefID]
		var flow *core.ApprovalFlow
		if fl, ok := set.flows[ir.r.FlowID]; ok {
			flow = &fl
		}
		if err := checkReviewRefs(ir.r, there, flow); err != nil {
			return &ImportError{Line: ir.line, Err: fmt.Errorf("%s record %d: %w", bucketReviews, ir.r.BriefID, err)}
		}
	}
	if err := set.checkTotals(); err != nil {
		return err
	}
	for _, b := range sequenced() {
		last := set.lastKey[string(b)]
		if len(last) != 8 {
			continue
		}
		line, ok := set.seqLine[string(b)]
		if !ok {
			return fmt.Errorf("the export has no %s sequence line; export again", b)
		}
		if err := checkSequence(string(b), set.seq[string(b)], btoi(last)); err != nil {
			return &ImportError{Line: line, Err: err}
		}
	}
	if err := core.VerifyChain(set.audit); err != nil {
		var ce *core.ChainError
		if errors.As(err, &ce) && ce.Index >= 0 && ce.Index < len(set.auditLine) {
			return &ImportError{Line: set.auditLine[ce.Index], Err: fmt.Errorf("the audit trail does not verify: %w", err)}
		}
		return fmt.Errorf("the export's audit trail does not verify: %w", err)
	}
	return nil
}

// checkTotals checks every variant's totals against what its events add
// up to, unless the import's migration recounts them.
func (set *importSet) checkTotals() error {
	if set.recounted {
		return nil
	}
	replayed := set.replayed.byKey()
	for k, stored := range set.totals {
		if !sameTotals(stored.t, replayed[k]) {
			return &ImportError{Line: stored.line, Err: fmt.Errorf("the totals of %s are not what its events add up to", strings.ReplaceAll(k, "\x00", "/"))}
		}
	}
	for k, line := range set.eventLine {
		if _, ok := set.totals[k]; !ok {
			return &ImportError{Line: line, Err: fmt.Errorf("events of %s have no stored totals", strings.ReplaceAll(k, "\x00", "/"))}
		}
	}
	return nil
}
