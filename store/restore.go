package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Restore replaces the database at dst with the backup at src, after
// checking the backup: a copy beside dst is opened (which brings an older
// backup's schema up to date), checked with its audit chain, and renamed
// into place, so dst is never a partial or unchecked file and src is never
// written. An existing dst is replaced only with force, and only when no
// process holds it.
func Restore(ctx context.Context, src, dst string, force bool) error {
	// The copy beside dst is what gets checked and then renamed into
	// place: a backup from an older tandem is brought up to date in the
	// copy, and the backup itself is never written.
	tmp, err := copyToTemp(src, dst)
	if err != nil {
		return fmt.Errorf("restore %s to %s: %w", src, dst, err)
	}
	defer os.Remove(tmp) // gone already once renamed
	if err := checkFile(ctx, tmp); err != nil {
		if errors.Is(err, ErrNotDatabase) {
			return &notBackupError{src}
		}
		return fmt.Errorf("backup %s fails its check, so it was not restored: %w", src, err)
	}
	if _, err := os.Stat(dst); err == nil {
		if !force {
			return fmt.Errorf("%s exists; restore --force replaces it (take a backup of it first)", dst)
		}
		held, err := Open(dst, Options{Timeout: DefaultTimeout / 4})
		if err != nil && !errors.Is(err, ErrNotDatabase) {
			return fmt.Errorf("cannot replace %s: %w", dst, err)
		}
		if held != nil {
			held.Close()
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("restore %s to %s: %w", src, dst, err)
	}
	return nil
}

// notBackupError is Restore's ErrNotDatabase: the backup named is not a
// whole bbolt file, so nothing was restored.
type notBackupError struct{ src string }

func (e *notBackupError) Error() string {
	return fmt.Sprintf("backup %s is not a complete tandem database (truncated, or not a bbolt file), so nothing was restored", e.src)
}

func (e *notBackupError) Unwrap() error { return ErrNotDatabase }

// checkFile opens a database (bringing its schema up to date) and checks
// it and its audit chain.
func checkFile(ctx context.Context, path string) error {
	st, err := Open(path, Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Check(ctx); err != nil {
		return err
	}
	return st.VerifyAudit(ctx)
}

// copyToTemp copies src to a synced temporary file beside dst, so that a
// rename can put it in place whole, and returns its path.
func copyToTemp(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", err
	}
	tmp, _, err := writeTemp(dst, ".restore-*", func(w io.Writer) (int64, error) { return io.Copy(w, in) })
	return tmp, err
}

// writeTemp writes a private (0600), synced temporary file beside path
// with write, and returns its name and the bytes written; on failure
// nothing is left behind.
func writeTemp(path, pattern string, write func(io.Writer) (int64, error)) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+pattern)
	if err != nil {
		return "", 0, err
	}
	n, err := write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o600)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", 0, err
	}
	return tmp.Name(), n, nil
}
