package store

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// DefaultTimeout is how long Open waits for another process to let go of
// the file before it returns a *HeldError.
const DefaultTimeout = time.Second

// initialMmapSize is address space, not memory: pages are only touched as
// the file grows into them.
const initialMmapSize = 1 << 30

// Options tune Open. The zero value is ready to use.
type Options struct {
	// Timeout is how long to wait for the file lock; DefaultTimeout when 0.
	Timeout time.Duration
	// ReadOnly opens the file without a write lock; writes fail.
	ReadOnly bool
	// Now is the clock that stamps records and audit entries; time.Now when nil.
	Now func() time.Time
	// NoSync skips fsync on commit. Only for benchmarks and throwaway files.
	NoSync bool
	// MaxIndexBytes bounds the memory of the in-memory event index: past
	// it, units' states are spilled to a scratch file beside the database
	// (eventspill.go). 0 for no bound.
	MaxIndexBytes int
}

// Store is an open tandem database.
type Store struct {
	db       *bolt.DB
	path     string
	readOnly bool
	now      func() time.Time
	feed     *feed

	// seq is the audit sequence number of the latest committed write.
	seq atomic.Uint64

	// writeMu serializes write transactions together with their publication
	// on the feed, so subscribers see changes in commit order. bbolt
	// serializes writers anyway, so it costs no concurrency.
	writeMu sync.Mutex

	// events indexes the event log for ingest; nil until the first ingest
	// and after a write that did not commit. Guarded by writeMu.
	events *eventIndex
	// maxIndex is Options.MaxIndexBytes.
	maxIndex int

	// briefCache keeps decoded briefs between reads of all of them.
	briefCache briefCache
}

// Open opens (creating if needed) the database at path and brings its schema
// up to date. Only a missing or 0-byte file is created. It fails with a
// *HeldError when another process holds the file, and with ErrNotDatabase,
// leaving the file untouched, when the file is not a bbolt database, or
// (with ErrForeign too) is one another program wrote.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	kind, err := inspect(path, opts.Timeout)
	switch {
	case err != nil:
		return nil, openError(path, err)
	case kind == kindForeign:
		return nil, &foreignError{path}
	}
	db, err := openBolt(path, &bolt.Options{
		Timeout:  opts.Timeout,
		ReadOnly: opts.ReadOnly,
		NoSync:   opts.NoSync,
		// Reserve address space up front so a growing file is not remapped
		// (and every open node dereferenced) during large ingests.
		InitialMmapSize: initialMmapSize,
		FreelistType:    bolt.FreelistMapType,
	})
	if err != nil {
		return nil, openError(path, err)
	}
	s := &Store{db: db, path: path, readOnly: opts.ReadOnly, now: opts.Now, feed: newFeed(), maxIndex: opts.MaxIndexBytes}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if !opts.ReadOnly {
		if err := writeHolder(path, Holder{PID: os.Getpid(), Since: s.now()}); err != nil {
			db.Close()
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
		// This process holds the file alone: spill files beside it are
		// left by a holder that died before closing.
		removeStaleSpills(path)
	}
	return s, nil
}

// openError names path in err, unless err is a *HeldError, which does.
func openError(path string, err error) error {
	var held *HeldError
	if errors.As(err, &held) {
		return held
	}
	return fmt.Errorf("open store %s: %w", path, err)
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Close ends every subscription and closes the file.
func (s *Store) Close() error {
	s.feed.close()
	s.writeMu.Lock()
	s.dropEvents()
	s.writeMu.Unlock()
	if !s.readOnly {
		_ = os.Remove(HolderPath(s.path)) // the lock, not this file, guards the DB
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store %s: %w", s.path, err)
	}
	return nil
}
