package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// schemaVersion is the layout this tandem reads and writes. A file with no
// meta bucket is version 0: a bare bbolt file, as bbolt creates it (Open
// refuses one with buckets of another program's).
const schemaVersion = 15

// migration brings a file from version to-1 up to version to.
type migration struct {
	to   uint64
	name string
	run  func(tx *bolt.Tx) error
}

// migrations lists every step in order; Open runs the ones a file lacks, all
// in one transaction, so a file is never left between versions.
func migrations() []migration {
	return []migration{
		{to: 1, name: "create buckets", run: createBuckets},
		{to: 2, name: "create the unit, series, review, user and stage-history buckets", run: createBuckets},
		{to: 3, name: "create the generated-variants and embeddings buckets", run: createBuckets},
		{to: 4, name: "move events into the block event log and drop the unit flags derived from it", run: migrateToV4},
		{to: 5, name: "create the retro notes bucket", run: createBuckets},
		{to: 6, name: "count conversions and revenue only after exposure, revenue per unit, and start experiments at their data", run: migrateToV6},
		{to: 7, name: "create the revisions bucket, which keeps the versions edits merge from", run: createBuckets},
		{to: 8, name: "sum the revenue of converting units, for ratio metrics", run: recountTotals},
		// Blocks of version 2 may carry attributes; older tandems, which
		// read only version 1, must refuse the file rather than misread it.
		{to: 9, name: "event blocks carry unit attributes", run: createBuckets},
		{to: 10, name: "create the templates bucket", run: createBuckets},
		{to: 11, name: "create the source offsets bucket, which ingest from Kafka commits with its totals, and the aggregates bucket", run: createBuckets},
		{to: 12, name: "create the components bucket, for factorial tests", run: createBuckets},
		{to: 13, name: "create the webhook, webhook secret, alert queue and delivery log buckets", run: createBuckets},
		// An event id is now unique within its experiment, not the
		// workspace: a log may hold one order id in two experiments, which
		// an older tandem would replay as a duplicate and miscount. No
		// recount: the older rule dropped such events before logging them,
		// so the log and its totals agree under both rules, and ingesting
		// the source again stores what was dropped.
		{to: 14, name: "event ids are unique per experiment", run: createBuckets},
		{to: 15, name: "create the runs bucket, which keeps where each brief's run of its recipe stands", run: createBuckets},
	}
}

func (s *Store) migrate() error {
	var version uint64
	if err := s.db.View(func(tx *bolt.Tx) (err error) {
		defer contain(&err) // a damaged root page panics in bbolt
		version = readSchema(tx)
		return nil
	}); err != nil {
		return err
	}
	switch {
	case version == schemaVersion:
		return nil
	case version > schemaVersion:
		return fmt.Errorf("%w (schema %d, this one reads %d); upgrade tandem", ErrNewerSchema, version, schemaVersion)
	case s.readOnly:
		return fmt.Errorf("schema %d needs upgrading to %d, which a read-only open cannot do; run a command that opens it for writing first, such as `tandem brief list`", version, schemaVersion)
	}
	return explainWrite(s.db.Update(func(tx *bolt.Tx) (err error) {
		defer contain(&err)
		return upgrade(tx, version)
	}))
}

// upgrade runs, in tx, every migration past version.
func upgrade(tx *bolt.Tx, version uint64) error {
	for _, m := range migrations() {
		if m.to <= version {
			continue
		}
		if err := m.run(tx); err != nil {
			return fmt.Errorf("migrate schema to %d (%s): %w", m.to, m.name, err)
		}
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if err := meta.Put(keySchema, itob(m.to)); err != nil {
			return err
		}
	}
	return nil
}

func readSchema(tx *bolt.Tx) uint64 {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0
	}
	if v := meta.Get(keySchema); len(v) == 8 {
		return btoi(v)
	}
	return 0
}

// createBuckets makes every bucket this schema has that the file lacks.
func createBuckets(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketMeta, bucketBriefs, bucketBriefStage, bucketPeople, bucketExperiments,
		bucketTotals, bucketEventLog, bucketSeries, bucketFlows, bucketDecisions, bucketReviews, bucketUsers, bucketHistory, bucketGenerated, bucketEmbeddings, bucketAudit, bucketGuidelines, bucketRetroNotes, bucketRevisions, bucketTemplates, bucketSourceOffsets, bucketAggregates, bucketComponents, bucketWebhooks, bucketWebhookSecrets, bucketWebhookQueue, bucketWebhookLog, bucketRuns} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// Schema 3 kept each event as JSON under a hash of it, and each unit's
// flags; schema 4 keeps events in blocks and derives the flags.
var (
	legacyEvents = []byte("events")
	legacyUnits  = []byte("units")
)

// legacyBlockSize is how many migrated events go in one block.
const legacyBlockSize = 50_000

// migrateToV4 moves schema 3's events into event log blocks.
func migrateToV4(tx *bolt.Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	if old := tx.Bucket(legacyEvents); old != nil {
		log := tx.Bucket(bucketEventLog)
		block := newBlockWriter()
		put := func() error {
			if block.n == 0 {
				return nil
			}
			seq, err := log.NextSequence()
			if err != nil {
				return err
			}
			err = log.Put(itob(seq), block.bytes())
			block = newBlockWriter()
			return err
		}
		err := old.ForEach(func(k, v []byte) error {
			var ev core.Event
			if err := json.Unmarshal(v, &ev); err != nil {
				return fmt.Errorf("event %x: %w", k, err)
			}
			block.add(ev)
			if block.n == legacyBlockSize {
				return put()
			}
			return nil
		})
		if err == nil {
			err = put()
		}
		if err != nil {
			return err
		}
		if err := tx.DeleteBucket(legacyEvents); err != nil {
			return err
		}
	}
	if tx.Bucket(legacyUnits) != nil {
		return tx.DeleteBucket(legacyUnits)
	}
	return nil
}

// migrateToV6 recounts every variant's totals and series from the log by
// schema 6's definitions (core.VariantTotals): before it, a conversion of
// a unit never exposed counted, and revenue was squared per event. It also
// clears each experiment's start, which until then was when it was added
// or its first ingested line, never a start someone set: an experiment now
// starts at its earliest event unless given a start.
func migrateToV6(tx *bolt.Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	exps := tx.Bucket(bucketExperiments)
	var cleared []core.Experiment
	err := exps.ForEach(func(k, v []byte) error {
		var e core.Experiment
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("experiment %s: %w", k, err)
		}
		if !e.Started.IsZero() {
			e.Started = time.Time{}
			cleared = append(cleared, e)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range cleared {
		v, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := exps.Put([]byte(e.Key), v); err != nil {
			return err
		}
	}
	return recountTotals(tx)
}
