package backend

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/tandem-ops/tandem/store"
)

// OpenOptions say how to open a workspace.
type OpenOptions struct {
	// ReadOnly opens an existing file without taking its write lock.
	ReadOnly bool
	// Timeout is how long to wait for another process's lock before
	// returning a *HeldError; the store's default when zero.
	Timeout time.Duration
	// Now is the workspace's clock (tests fix it); time.Now when nil.
	Now func() time.Time
	// NoSync skips fsync: for throwaway test files only.
	NoSync bool
	// Settings are the backend's models, calendar and defaults.
	Settings Settings
}

// The store's types and errors that callers handle, so that no interface
// needs to import the store.
type (
	// HeldError says another process holds the workspace, and how to
	// reach it.
	HeldError = store.HeldError
	// Subscription receives every change committed after it was made.
	Subscription = store.Subscription
	// IngestOptions and IngestResult are an ingest batch's settings and
	// outcome.
	IngestOptions = store.IngestOptions
	IngestResult  = store.IngestResult
	// SeriesPoint is what one hour added to a variant.
	SeriesPoint = store.SeriesPoint
)

// DefaultSubscriptionBuffer is how many changes a subscriber may fall
// behind before it is dropped.
const DefaultSubscriptionBuffer = store.DefaultSubscriptionBuffer

// Errors of opening, restoring and importing a workspace.
var (
	// ErrNotDatabase is returned when a file is not a tandem database.
	ErrNotDatabase = store.ErrNotDatabase
	// ErrBadBackup is returned by Restore for a backup it refuses for
	// what it holds: not a tandem database, or damaged.
	ErrBadBackup = store.ErrBadBackup
	// ErrNotEmpty is returned by Import into a workspace that has records.
	ErrNotEmpty = store.ErrNotEmpty
)

// Open opens the workspace at path, creating the file (and its folder,
// mode 0700, when there is none) unless ReadOnly; the backend owns the
// store and Close closes it.
func Open(path string, opts OpenOptions) (*Backend, error) {
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data folder for %s: %w", path, err)
	}
	st, err := store.Open(path, store.Options{Timeout: opts.Timeout, ReadOnly: opts.ReadOnly, Now: opts.Now, NoSync: opts.NoSync, MaxIndexBytes: opts.Settings.MaxIndexBytes})
	if err != nil {
		return nil, err
	}
	return NewWith(st, opts.Settings), nil
}

// Close closes the workspace's store.
func (b *Backend) Close() error { return b.store.Close() }

// SocketPath is the control socket beside a workspace, on which its holder
// runs commands for other processes.
func SocketPath(dbPath string) string { return store.SocketPath(dbPath) }

// Announce records, beside the workspace, the SSH address its holder
// serves on, so a local tandem on the same file can say how to connect.
func (b *Backend) Announce(listen string) error { return b.store.Announce(listen) }

// Restore replaces the workspace at dst with the backup at src after
// checking the backup; see store.Restore.
func Restore(ctx context.Context, src, dst string, force bool) error {
	return store.Restore(ctx, src, dst, force)
}
