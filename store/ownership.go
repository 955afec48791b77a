package store

import (
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// fileKind says whose a database file is.
type fileKind int

const (
	// kindNew is a missing or 0-byte file, or a bbolt file with no
	// buckets: what bbolt creates, before tandem's first migration.
	kindNew fileKind = iota
	// kindTandem is a file with tandem's meta: a schema version.
	kindTandem
	// kindForeign is a bbolt file with buckets but no tandem meta,
	// written by another program.
	kindForeign
)

// inspect says whose the database at path is. It reads the file under a
// shared lock and writes nothing: bbolt may commit when it opens a file
// for writing (a freelist the file lacks), so a file is inspected before
// tandem opens it for writing.
func inspect(path string, timeout time.Duration) (fileKind, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return kindNew, nil
	case err != nil:
		return 0, err
	case fi.Size() == 0:
		return kindNew, nil
	}
	if err := checkWhole(path); err != nil {
		if errors.Is(err, ErrTruncated) {
			return 0, fmt.Errorf("%w: %w; restore it from a backup", ErrNotDatabase, err)
		}
		return 0, err
	}
	db, err := openBolt(path, &bolt.Options{ReadOnly: true, Timeout: timeout})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var kind fileKind
	err = db.View(func(tx *bolt.Tx) (err error) {
		defer contain(&err) // a damaged root page panics in bbolt
		kind = kindOf(tx)
		return nil
	})
	return kind, err
}

// kindOf says whose the file tx reads is. Every tandem file has had a
// meta bucket with its schema version since the first one, written in
// the transaction that made its first buckets.
func kindOf(tx *bolt.Tx) fileKind {
	if readSchema(tx) > 0 {
		return kindTandem
	}
	if name, _ := tx.Cursor().First(); name == nil {
		return kindNew
	}
	return kindForeign
}

// openBolt opens the bbolt file at path, wording its errors: a held file
// is a *HeldError, a file that is not bbolt's is ErrNotDatabase, and a
// page bbolt panics on while opening (a damaged freelist) is ErrDamaged.
func openBolt(path string, opts *bolt.Options) (db *bolt.DB, err error) {
	defer contain(&err)
	db, err = bolt.Open(path, 0o600, opts)
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, &HeldError{Path: path, Holder: readHolder(path)}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return nil, fmt.Errorf("%w (bbolt: %v); check --db, or restore it from a backup", ErrNotDatabase, err)
	case err != nil:
		return nil, err
	}
	return db, nil
}

// foreignError is Open's refusal of a bbolt file another program wrote.
type foreignError struct{ path string }

func (e *foreignError) Error() string {
	return fmt.Sprintf("%s is a bbolt database of another program; tandem opens only its own (check --db)", e.path)
}

// Unwrap returns ErrForeign and ErrNotDatabase.
func (e *foreignError) Unwrap() []error { return []error{ErrForeign, ErrNotDatabase} }
