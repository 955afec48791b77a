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
// checking the backup: a copy beside dst must be a whole tandem database
// (inspected without writing), is then opened (which brings an older
// backup's schema up to date), checked with its audit chain, and renamed
// into place, so dst is never a partial or unchecked file and src is never
// written. An existing dst is replaced only with force, and only when no
// process holds it. A backup refused for what it holds is ErrBadBackup.
func Restore(ctx context.Context, src, dst string, force bool) error {
	// The copy beside dst is what gets checked and then renamed into
	// place: a backup from an older tandem is brought up to date in the
	// copy, and the backup itself is never written.
	tmp, err := copyToTemp(src, dst)
	if err != nil {
		return fmt.Errorf("restore %s to %s: %w", src, dst, err)
	}
	defer os.Remove(tmp) // gone already once renamed
	if err := checkBackup(ctx, src, tmp); err != nil {
		return err
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

// checkBackup checks tmp, the copy of the backup src: a tandem database
// (not empty, nor another program's), which opens and passes Check and
// its audit chain.
func checkBackup(ctx context.Context, src, tmp string) error {
	kind, err := inspect(tmp, DefaultTimeout)
	switch {
	case errors.Is(err, ErrDamaged):
		return &badBackupError{src: src, damage: err}
	case errors.Is(err, ErrNotDatabase):
		return &badBackupError{src: src, not: "a complete tandem database (truncated, or not a bbolt file)"}
	case err != nil:
		return fmt.Errorf("backup %s cannot be read, so it was not restored: %w", src, err)
	case kind != kindTandem:
		return &badBackupError{src: src, not: "a tandem database (empty, or written by another program)"}
	}
	st, err := Open(tmp, Options{})
	switch {
	case errors.Is(err, ErrDamaged):
		return &badBackupError{src: src, damage: err}
	case err != nil:
		return fmt.Errorf("backup %s fails to open, so it was not restored: %w", src, err)
	}
	defer st.Close()
	if err := st.Check(ctx); err != nil && !IsRuleError(err) {
		// A record that breaks a write rule of today's tandem (one an
		// earlier version wrote) leaves the backup whole: it is restored,
		// and `tandem check` names the record.
		return &badBackupError{src: src, damage: err}
	}
	if err := st.VerifyAudit(ctx); err != nil {
		return &badBackupError{src: src, damage: err}
	}
	return nil
}

// badBackupError is Restore's refusal of a backup for what it holds:
// it is not a tandem database, or it is damaged. Nothing was restored.
type badBackupError struct {
	src string
	// not says what the backup is not, when it is not a tandem database.
	not string
	// damage is what its check found, when it is damaged.
	damage error
}

func (e *badBackupError) Error() string {
	if e.damage != nil {
		return fmt.Sprintf("the backup %s is damaged: %s; take another backup (nothing was restored)", e.src, damageText(e.damage))
	}
	return fmt.Sprintf("backup %s is not %s, so nothing was restored", e.src, e.not)
}

// Unwrap returns ErrBadBackup, and ErrNotDatabase for a backup that is
// not a tandem database.
func (e *badBackupError) Unwrap() []error {
	if e.damage != nil {
		return []error{ErrBadBackup}
	}
	return []error{ErrBadBackup, ErrNotDatabase}
}

// damageText is what a check found, without the path of the copy checked,
// which is not the backup's.
func damageText(err error) string {
	var page *pageError
	if errors.As(err, &page) {
		return page.problem
	}
	return err.Error()
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
