package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// keptRevisions is how many past versions of each record the revisions
// bucket keeps. An edit made from a version older than that cannot be
// merged field by field and is refused as a conflict on every field it
// sets to a value other than the stored one.
const keptRevisions = 64

// ErrRevisionGone is returned when a record's version asked for is not
// kept: older than keptRevisions writes, from before versions, or from
// before an import.
var ErrRevisionGone = errors.New("that version is no longer kept")

// revision is one stored version of a record: who wrote it, when, and the
// record's encoding. An edit made from an older version finds its base
// here, to merge field by field with what was written since.
type revision struct {
	By     string          `json:"by"`
	Time   time.Time       `json:"time"`
	Record json.RawMessage `json:"record"`
}

// revisionKey is kind, NUL, the record's ID and the version, big-endian,
// so a cursor walks one record's versions in order.
func revisionKey(kind Kind, id, version uint64) []byte {
	k := make([]byte, 0, len(kind)+1+16)
	k = append(k, kind...)
	k = append(k, 0)
	k = binary.BigEndian.AppendUint64(k, id)
	return binary.BigEndian.AppendUint64(k, version)
}

// putRevision keeps record as version of kind/id, and drops the version
// keptRevisions before it.
func (w *writeTx) putRevision(kind Kind, id, version uint64, record []byte) error {
	v, err := json.Marshal(revision{By: w.actor, Time: w.now, Record: record})
	if err != nil {
		return err
	}
	bucket := w.tx.Bucket(bucketRevisions)
	if err := bucket.Put(revisionKey(kind, id, version), v); err != nil {
		return fmt.Errorf("keep version %d of %s %d: %w", version, kind, id, err)
	}
	if version > keptRevisions {
		return bucket.Delete(revisionKey(kind, id, version-keptRevisions))
	}
	return nil
}

// revisionAt decodes version of kind/id into rec and returns who wrote
// it; ErrRevisionGone when it is not kept.
func revisionAt(tx *bolt.Tx, kind Kind, id, version uint64, rec any) (string, error) {
	raw := tx.Bucket(bucketRevisions).Get(revisionKey(kind, id, version))
	if raw == nil {
		return "", ErrRevisionGone
	}
	var r revision
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", damaged(fmt.Sprintf("version %d of %s %d does not decode", version, kind, id), err)
	}
	if err := json.Unmarshal(r.Record, rec); err != nil {
		return "", damaged(fmt.Sprintf("version %d of %s %d does not decode", version, kind, id), err)
	}
	return r.By, nil
}

// writersSince lists who wrote kind/id after version from, up to and
// including version to, in the order they first did; a version no longer
// kept is skipped.
func writersSince(tx *bolt.Tx, kind Kind, id, from, to uint64) []string {
	var out []string
	c := tx.Bucket(bucketRevisions).Cursor()
	last := revisionKey(kind, id, to)
	for k, v := c.Seek(revisionKey(kind, id, from+1)); k != nil && string(k) <= string(last); k, v = c.Next() {
		var r revision
		if json.Unmarshal(v, &r) == nil && r.By != "" && !slices.Contains(out, r.By) {
			out = append(out, r.By)
		}
	}
	return out
}

// version reads version of kind/id from the store into rec.
func (s *Store) version(ctx context.Context, kind Kind, id, version uint64, rec any) error {
	return s.view(ctx, func(tx *bolt.Tx) error {
		_, err := revisionAt(tx, kind, id, version, rec)
		return err
	})
}
