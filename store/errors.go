package store

import (
	"errors"
	"fmt"
)

var (
	// ErrNotFound is returned when a record asked for by ID or key does not
	// exist.
	ErrNotFound = errors.New("not found")

	// ErrNotDatabase is returned by Open when the file exists but is not a
	// bbolt database (or is corrupt). The file is left untouched.
	ErrNotDatabase = errors.New("not a tandem database")

	// ErrNewerSchema is returned by Open when the file was written by a newer
	// tandem than this one.
	ErrNewerSchema = errors.New("database was written by a newer tandem")

	// ErrClosed is returned by any call on a closed store.
	ErrClosed = errors.New("store is closed")

	// ErrExists is returned when creating a record whose key is taken.
	ErrExists = errors.New("already exists")
)

// HeldError is returned by Open when another process holds the database.
type HeldError struct {
	Path string
	// Holder is what the holding process wrote about itself; its PID is 0
	// when it wrote nothing readable.
	Holder Holder
}

// Error implements error.
func (e *HeldError) Error() string {
	who := "another tandem"
	if e.Holder.PID > 0 {
		who = fmt.Sprintf("another tandem (pid %d)", e.Holder.PID)
	}
	if e.Holder.Listen != "" {
		return fmt.Sprintf("database %s is served by %s; connect with `ssh -p %s %s`, or use --db for another file",
			e.Path, who, e.Holder.port(), e.Holder.host())
	}
	return fmt.Sprintf("database %s is in use by %s; use `tandem serve` and ssh in, or --db another file", e.Path, who)
}
