package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// maxRecordID bounds the sequence numbers that key records. No workspace
// makes 2^40 (a trillion) briefs or audit entries; an id past it is damage
// or an attack, and a sequence pushed near 2^64 would overflow on the next
// write.
const maxRecordID = 1 << 40

// checkRecord checks one stored key and value of bucket on its own: the key
// has its bucket's shape, the value decodes strictly into its type, and the
// record passes the rules a write applies. Import runs it on every line and
// Check on every record, so whatever imports also checks clean. It returns
// the events of an event log block, for the checks across records.
func checkRecord(bucket string, k, v []byte) ([]core.Event, error) {
	switch bucket {
	case string(bucketMeta):
		return nil, checkMeta(k, v)
	case string(bucketBriefs):
		var b core.Brief
		return nil, checkNumbered(k, v, &b, func() (uint64, error) { return b.ID, b.Validate() })
	case string(bucketBriefStage):
		if len(k) != 9 || !core.Stage(k[0]).Valid() || btoi(k[1:]) == 0 || btoi(k[1:]) > maxRecordID || len(v) != 0 {
			return nil, errors.New("a stage index entry is not a stage and a brief id")
		}
	case string(bucketPeople):
		var p core.Person
		return nil, checkNumbered(k, v, &p, func() (uint64, error) { return p.ID, p.Validate() })
	case string(bucketExperiments):
		var e core.Experiment
		if err := decodeStrict(v, &e); err != nil {
			return nil, err
		}
		if e.Key != string(k) {
			return nil, errors.New("the experiment's key is not the key it is stored under")
		}
		return nil, e.ValidateStored()
	case string(bucketTotals):
		return nil, checkTotals(k, v)
	case string(bucketAggregates):
		var r core.AggregateRow
		if err := decodeStrict(v, &r); err != nil {
			return nil, err
		}
		if !bytes.Equal(aggregateKey(r), k) {
			return nil, errors.New("the aggregate row's day, variant and segment are not the key it is stored under")
		}
		return nil, r.Validate()
	case string(bucketSourceOffsets):
		return nil, checkSourceOffset(k, v)
	case string(bucketEventLog):
		return checkBlock(k, v)
	case string(bucketSeries):
		var p SeriesPoint
		if err := checkSeriesKey(k); err != nil {
			return nil, err
		}
		return nil, decodeStrict(v, &p)
	case string(bucketFlows):
		var fl core.ApprovalFlow
		return nil, checkNumbered(k, v, &fl, func() (uint64, error) { return fl.ID, fl.Validate() })
	case string(bucketDecisions):
		var d core.Decision
		return nil, checkNumbered(k, v, &d, func() (uint64, error) { return d.ID, d.Validate() })
	case string(bucketReviews):
		var r core.Review
		return nil, checkNumbered(k, v, &r, func() (uint64, error) { return r.BriefID, r.Validate() })
	case string(bucketUsers):
		var u core.User
		if err := decodeStrict(v, &u); err != nil {
			return nil, err
		}
		if u.Name != string(k) {
			return nil, errors.New("the user's name is not the key it is stored under")
		}
		return nil, validateUser(u)
	case string(bucketHistory):
		var c core.StageChange
		return nil, checkNumbered(k, v, &c, func() (uint64, error) { return btoi(k), nil })
	case string(bucketGenerated):
		var g core.GeneratedVariant
		return nil, checkNumbered(k, v, &g, func() (uint64, error) { return g.ID, nil })
	case string(bucketGuidelines):
		var g core.BrandGuideline
		return nil, checkNumbered(k, v, &g, func() (uint64, error) { return g.Version, g.Validate() })
	case string(bucketRetroNotes):
		var n core.RetroNote
		return nil, checkNumbered(k, v, &n, func() (uint64, error) { return n.ID, n.Validate() })
	case string(bucketComponents):
		var c core.Component
		return nil, checkNumbered(k, v, &c, func() (uint64, error) { return c.ID, c.Validate() })
	case string(bucketTemplates):
		return nil, checkTemplate(k, v)
	case string(bucketWebhooks):
		var w core.Webhook
		return nil, checkNumbered(k, v, &w, func() (uint64, error) { return w.ID, w.Validate() })
	case string(bucketWebhookQueue):
		return nil, checkQueuedAlert(k, v)
	case string(bucketWebhookLog):
		var a core.DeliveryAttempt
		return nil, checkNumbered(k, v, &a, func() (uint64, error) { return a.Seq, nil })
	case string(bucketRuns):
		var r core.Run
		return nil, checkNumbered(k, v, &r, func() (uint64, error) { return r.BriefID, r.Validate() })
	case string(bucketAudit):
		var e core.AuditEntry
		return nil, checkNumbered(k, v, &e, func() (uint64, error) { return e.Seq, nil })
	}
	return nil, nil
}

// checkReviewRefs checks review r against the records it names, which
// checkRecord cannot see: its brief (there says whether it is stored) and
// its approval flow (nil when not stored), which must have r's stage.
func checkReviewRefs(r core.Review, there bool, fl *core.ApprovalFlow) error {
	switch {
	case !there:
		return fmt.Errorf("the review is of brief %d, which is not there", r.BriefID)
	case fl == nil:
		return fmt.Errorf("the review of brief %d follows approval flow %d, which is not there", r.BriefID, r.FlowID)
	}
	return r.ValidateFlow(*fl)
}

// decodeStrict decodes one JSON value, refusing unknown fields and
// anything after it.
func decodeStrict(v []byte, rec any) error {
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.DisallowUnknownFields()
	if err := dec.Decode(rec); err != nil {
		return errors.New(core.JSONProblem(err))
	}
	if dec.More() {
		return errors.New("the record has more than one value")
	}
	return nil
}

// checkNumbered checks a record keyed by its sequence number: the key is
// 8 bytes in 1..maxRecordID, the value decodes into rec, and validate
// (run after decoding) returns the id the record carries, which must be
// its key.
func checkNumbered(k, v []byte, rec any, validate func() (uint64, error)) error {
	if len(k) != 8 || btoi(k) == 0 || btoi(k) > maxRecordID {
		return fmt.Errorf("the key is not a record id from 1 to %d", uint64(maxRecordID))
	}
	if err := decodeStrict(v, rec); err != nil {
		return err
	}
	id, err := validate()
	if err != nil {
		return err
	}
	if id != btoi(k) {
		return fmt.Errorf("the record's id %d is not the id %d it is stored under", id, btoi(k))
	}
	return nil
}

// checkMeta checks the workspace settings.
func checkMeta(k, v []byte) error {
	switch string(k) {
	case string(keySchema):
		if len(v) != 8 || btoi(v) > schemaVersion {
			return errors.New("the schema version is not a version this tandem knows")
		}
	case string(keyTaxonomy):
		var t core.Taxonomy
		if err := decodeStrict(v, &t); err != nil {
			return err
		}
		return t.Validate()
	case string(keyWIPLimits):
		var l core.WIPLimits
		if err := decodeStrict(v, &l); err != nil {
			return err
		}
		return l.Validate()
	case string(keyTemplateRequirements):
		var r core.TemplateRequirements
		if err := decodeStrict(v, &r); err != nil {
			return err
		}
		return r.Validate()
	default:
		name, ok := strings.CutPrefix(string(k), personalPrefix)
		if !ok {
			return errors.New("unknown setting")
		}
		if p := core.IDProblem(name); p != "" {
			return fmt.Errorf("a person's settings are stored under a name that %s", p)
		}
		var ps core.PersonalSettings
		if err := decodeStrict(v, &ps); err != nil {
			return err
		}
		return ps.Validate()
	}
	return nil
}

// checkQueuedAlert checks an alert waiting for a webhook: keyed by the
// webhook and its sequence, of a known alert.
func checkQueuedAlert(k, v []byte) error {
	var q core.QueuedAlert
	if err := decodeStrict(v, &q); err != nil {
		return err
	}
	switch {
	case !bytes.Equal(k, queueKey(q.Webhook, q.Seq)) || q.Webhook == 0 || q.Webhook > maxRecordID || q.Seq == 0 || q.Seq > maxRecordID:
		return errors.New("the queued alert's webhook and sequence are not the key it is stored under")
	case !q.Alert.Event.Valid():
		return fmt.Errorf("%q is not an alert", q.Alert.Event)
	case q.Attempts < 0:
		return errors.New("the attempts are negative")
	}
	return nil
}

// checkTotals checks a variant's running totals on their own: counts that
// can be true of some events and finite sums. Whether they are true of
// the stored events is checked against the log (checkEventTotals).
// Converters are exposed units, so never more than the exposures.
func checkTotals(k, v []byte) error {
	if err := checkTotalsKey(k, 0); err != nil {
		return err
	}
	var t core.VariantTotals
	if err := decodeStrict(v, &t); err != nil {
		return err
	}
	switch {
	case t.Converters > t.Conversions:
		return errors.New("has more converting units than conversions")
	case t.Converters > t.Exposures:
		return errors.New("has more converting units than exposed units")
	case t.Cross.Units > t.Exposures || t.Cross.Converters > t.Converters:
		return errors.New("has more cross-exposed units than units")
	case !finite(t.Revenue, t.RevenueSq, t.ConverterRevenue, t.UnattributedRevenue, t.Cross.Revenue, t.Cross.RevenueSq, t.Cross.ConverterRevenue):
		return errors.New("a revenue sum is not a finite number")
	case t.RevenueSq < 0:
		return errors.New("the sum of squared revenue is negative")
	}
	return nil
}

// checkSeriesKey checks a series key: experiment, NUL, variant, NUL, hour.
func checkSeriesKey(k []byte) error {
	if len(k) < 8+2 {
		return errors.New("the key is not an experiment, a variant and an hour")
	}
	return checkTotalsKey(k[:len(k)-9], k[len(k)-9])
}

// checkTotalsKey checks a totals key (experiment, NUL, variant), and that
// sep, the byte after it in a series key, is NUL.
func checkTotalsKey(k []byte, sep byte) error {
	exp, variant, ok := bytes.Cut(k, []byte{0})
	if sep != 0 || !ok || !core.ValidKey(string(exp)) || !core.ValidKey(string(variant)) {
		return errors.New("the key is not an experiment and a variant key")
	}
	return nil
}

// checkBlock decodes an event log block and validates every event in it.
func checkBlock(k, v []byte) ([]core.Event, error) {
	if len(k) != 8 || btoi(k) == 0 || btoi(k) > maxRecordID {
		return nil, fmt.Errorf("the key is not a block number from 1 to %d", uint64(maxRecordID))
	}
	var events []core.Event
	n := 0
	err := eachEvent(v, func(ev core.Event) error {
		n++
		if err := ev.Validate(); err != nil {
			return fmt.Errorf("event %d of the block: %w", n, err)
		}
		events = append(events, ev)
		return nil
	})
	return events, err
}

// sequenced are the buckets whose keys are their bucket's sequence numbers.
func sequenced() [][]byte {
	return [][]byte{bucketBriefs, bucketPeople, bucketFlows, bucketDecisions, bucketHistory, bucketGenerated,
		bucketGuidelines, bucketRetroNotes, bucketComponents, bucketEventLog, bucketWebhooks, bucketWebhookLog}
}

// checkSequence checks that a bucket's sequence is in range and, for a
// bucket keyed by it, at least its last key, so the next write does not
// overwrite a record.
func checkSequence(bucket string, seq, lastKey uint64) error {
	if seq > maxRecordID {
		return fmt.Errorf("the %s sequence %d is past %d", bucket, seq, uint64(maxRecordID))
	}
	for _, b := range sequenced() {
		if string(b) == bucket && lastKey > seq {
			return fmt.Errorf("the %s sequence %d is behind its last record, %d; the next write would overwrite it", bucket, seq, lastKey)
		}
	}
	return nil
}

// checkStoredRecords runs checkRecord on every record of every exported
// bucket and checkSequence on each bucket.
func checkStoredRecords(tx *bolt.Tx) error {
	for _, name := range exportedBuckets() {
		b := tx.Bucket(name)
		var last uint64
		err := b.ForEach(func(k, v []byte) error {
			if _, err := checkRecord(string(name), k, v); err != nil {
				err = fmt.Errorf("%s record %s: %w", name, keyString(k), err)
				if fe := (*core.FieldError)(nil); errors.As(err, &fe) {
					return &RuleError{err} // it decodes and fits; a rule of today's writes refuses it
				}
				return err
			}
			if len(k) == 8 {
				last = btoi(k)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := checkSequence(string(name), b.Sequence(), last); err != nil {
			return err
		}
	}
	return nil
}

// finite reports whether every x is a finite number.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
