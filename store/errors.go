package store

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
)

var (
	// ErrNotFound is returned when a record asked for by ID or key does not
	// exist.
	ErrNotFound = errors.New("not found")

	// ErrNotDatabase is returned by Open when the file exists but is not a
	// bbolt database (or is corrupt). The file is left untouched.
	ErrNotDatabase = errors.New("not a tandem database")

	// ErrForeign is returned by Open, with ErrNotDatabase, for a bbolt
	// file another program wrote: one with buckets but no tandem schema
	// version. The file is left untouched.
	ErrForeign = errors.New("a bbolt database of another program")

	// ErrTruncated is returned by Open, with ErrNotDatabase, for a file
	// shorter than its own header says it is: a backup or copy cut short.
	// bbolt would map the missing pages and die reading them.
	ErrTruncated = errors.New("the file is shorter than the database it holds (truncated)")

	// ErrBadBackup is returned by Restore for a backup it refuses for
	// what it holds: not a tandem database (with ErrNotDatabase), or
	// damaged. Nothing is restored.
	ErrBadBackup = errors.New("the backup cannot be restored")

	// ErrNewerSchema is returned by Open when the file was written by a newer
	// tandem than this one.
	ErrNewerSchema = errors.New("database was written by a newer tandem")

	// ErrClosed is returned by any call on a closed store.
	ErrClosed = errors.New("store is closed")

	// ErrExists is returned when creating a record whose key is taken.
	ErrExists = errors.New("already exists")

	// ErrDiskFull is returned when a write cannot be stored for lack of
	// space. The write is rolled back whole; what was stored before stays.
	ErrDiskFull = errors.New("the disk is full (or the database file hit a size limit): free some space and try again; everything stored before this write is kept")

	// ErrDamaged is returned by a read (or the reading part of a write)
	// that found a record, key or page it cannot decode: the file was
	// damaged outside tandem. Nothing is written; `tandem check` says
	// what is wrong, and a backup restores it.
	ErrDamaged = errors.New("the database is damaged")

	// ErrSourceMoved is returned by Ingest when a batch read from a stream
	// starts at a partition offset other than the one stored: another
	// consumer stored that stretch first. Nothing is written; read again
	// from SourceOffsets.
	ErrSourceMoved = errors.New("the stream's stored offset moved: another consumer stored these records first")
)

// damaged returns an ErrDamaged error saying what could not be read and
// what to do.
func damaged(what string, cause any) error {
	return fmt.Errorf("%w (%s: %v); run `tandem check`, and restore from a backup if it fails", ErrDamaged, what, cause)
}

// contain turns a panic while decoding stored data into an ErrDamaged
// error in *err. bbolt panics on some damaged pages, and a decoder that
// missed a bounds check would too; either must not take down a server
// that other sessions share. Deferred at every transaction boundary.
func contain(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w; run `tandem check`, and restore from a backup if it fails", &pageError{pageProblem(r)})
	}
}

// explainWrite names a full disk in a failed write's error.
func explainWrite(err error) error {
	if err == nil {
		return nil
	}
	for _, full := range []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT, syscall.EFBIG} {
		// bbolt words some I/O errors with %s, not %w, so match the text too.
		if errors.Is(err, full) || strings.Contains(err.Error(), full.Error()) {
			return fmt.Errorf("%w (%v)", ErrDiskFull, err)
		}
	}
	return err
}

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
