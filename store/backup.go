package store

import (
	"context"
	"fmt"
	"io"
	"os"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole database to w while other
// transactions go on, and returns the number of bytes written.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("back up %s: %w", s.path, err)
	}
	return n, nil
}

// BackupFile writes a consistent copy of the database to path. It writes a
// temporary file beside path and renames it into place, so path is never a
// partial copy; an existing file at path is replaced.
func (s *Store) BackupFile(ctx context.Context, path string) (int64, error) {
	tmp, n, err := writeTemp(path, ".partial-*", func(w io.Writer) (int64, error) { return s.Backup(ctx, w) })
	if err == nil {
		if err = os.Rename(tmp, path); err != nil {
			os.Remove(tmp)
		}
	}
	if err != nil {
		return 0, fmt.Errorf("back up to %s: %w", path, err)
	}
	return n, nil
}
