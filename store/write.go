package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// writeTx is one write transaction: the bbolt transaction plus the audit
// entries and changes it has recorded so far.
type writeTx struct {
	tx       *bolt.Tx
	actor    string
	now      time.Time
	lastHash string
	nextSeq  uint64
	changes  []Change
	// aborted run, still under the write lock, when the transaction does
	// not commit: to drop what in-memory state it changed.
	aborted []func()
}

// writeTimeKey carries a write's time in its context.
type writeTimeKey struct{}

// At returns a context whose writes are stamped at t instead of the store's
// clock: for replaying history (imports, the demo's past) with its real
// times.
func At(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, writeTimeKey{}, t)
}

// update runs fn in one write transaction as actor and, once it commits,
// publishes the changes fn recorded.
func (s *Store) update(ctx context.Context, actor string, fn func(w *writeTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.readOnly {
		return fmt.Errorf("write to %s: the store is open read-only", s.path)
	}
	now := s.now()
	if at, ok := ctx.Value(writeTimeKey{}).(time.Time); ok {
		now = at
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var changes []Change
	var w *writeTx
	err := s.db.Update(func(tx *bolt.Tx) (err error) {
		defer contain(&err) // an error rolls the write back; a panic would too, and then crash
		w = &writeTx{tx: tx, actor: actor, now: now.UTC()}
		if k, v := tx.Bucket(bucketAudit).Cursor().Last(); k != nil {
			var last core.AuditEntry
			if err := json.Unmarshal(v, &last); err != nil {
				return fmt.Errorf("read last audit entry: %w", damaged("audit entry does not decode", err))
			}
			w.lastHash, w.nextSeq = last.Hash, last.Seq+1
		} else {
			w.nextSeq = 1
		}
		if err := checkSession(ctx, tx); err != nil {
			return err
		}
		if err := fn(w); err != nil {
			return err
		}
		changes = w.changes
		return nil
	})
	if err != nil {
		if w != nil {
			for _, undo := range w.aborted {
				undo()
			}
		}
		return explainWrite(err)
	}
	s.committed(changes)
	return nil
}

// committed makes a write's changes known: as the latest of their kinds,
// then as the store's sequence number, then on the feed, in that order, so
// that a subscriber woken by a change reads at least that sequence.
func (s *Store) committed(changes []Change) {
	n := len(changes)
	if n == 0 {
		return
	}
	s.feed.note(changes)
	s.seq.Store(changes[n-1].Seq)
	s.feed.publish(changes)
}

// Seq returns the sequence number of the latest write this process
// committed, 0 before any: a cheap version number for caches of reads.
func (s *Store) Seq() uint64 { return s.seq.Load() }

// record appends a chained audit entry for a write to subject and queues the
// change for the feed. before and after are the record's encodings around
// the write (nil where there was none).
func (w *writeTx) record(kind Kind, action, id string, before, after []byte) error {
	return w.recordVersion(kind, action, id, 0, 0, before, after)
}

// recordVersion is record for a versioned record: version is the
// record's version after the write, from the older version an edit was
// made from and merged over (0 when it was made from the stored one).
func (w *writeTx) recordVersion(kind Kind, action, id string, version, from uint64, before, after []byte) error {
	e := core.AuditEntry{
		Version: version,
		From:    from,
		Seq:     w.nextSeq,
		Time:    w.now,
		Actor:   w.actor,
		Action:  action,
		Subject: string(kind) + "/" + id,
		Before:  core.Digest(before),
		After:   core.Digest(after),
	}
	e.Seal(w.lastHash)
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := w.tx.Bucket(bucketAudit).Put(itob(e.Seq), v); err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	w.lastHash, w.nextSeq = e.Hash, e.Seq+1
	w.changes = append(w.changes, Change{Seq: e.Seq, Kind: kind, Action: action, ID: id, Actor: w.actor, Time: w.now})
	return nil
}

// view runs fn in a read transaction. A panic in fn, from bbolt on a
// damaged page or from a decoder, is returned as ErrDamaged.
func (s *Store) view(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.View(func(tx *bolt.Tx) (err error) {
		defer contain(&err)
		return fn(tx)
	})
}

// get decodes the JSON record at key in bucket into v; ErrNotFound when
// there is none.
func get(tx *bolt.Tx, bucket, key []byte, v any) error {
	raw := tx.Bucket(bucket).Get(key)
	if raw == nil {
		return ErrNotFound
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return damaged(fmt.Sprintf("%s record %s does not decode", bucket, keyString(key)), err)
	}
	return nil
}

// list decodes every record in bucket, in key order.
func list[T any](tx *bolt.Tx, bucket []byte) ([]T, error) {
	var out []T
	err := tx.Bucket(bucket).ForEach(func(k, v []byte) error {
		var rec T
		if err := json.Unmarshal(v, &rec); err != nil {
			return damaged(fmt.Sprintf("%s record %s does not decode", bucket, keyString(k)), err)
		}
		out = append(out, rec)
		return nil
	})
	return out, err
}

// putNext stores a new record under its bucket's next sequence number,
// which setID writes into the record before it is encoded, and records the
// write. It is how records with numeric IDs are created.
func (w *writeTx) putNext(bucket []byte, kind Kind, action string, setID func(uint64), rec any) error {
	b := w.tx.Bucket(bucket)
	id, err := b.NextSequence()
	if err != nil {
		return err
	}
	setID(id)
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if err := b.Put(itob(id), v); err != nil {
		return err
	}
	return w.record(kind, action, strconv.FormatUint(id, 10), nil, v)
}

// listAll reads every record of a bucket in one read transaction; what
// names the records in the error.
func listAll[T any](ctx context.Context, s *Store, bucket []byte, what string) ([]T, error) {
	var out []T
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = list[T](tx, bucket)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	return out, nil
}
