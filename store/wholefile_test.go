package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Ensure that a backup cut short anywhere is refused by Restore and Open
// as not a complete database, the destination left absent and the file
// untouched: bbolt mapped the missing pages, and a restore of a half
// copied backup killed the process with SIGBUS.
func TestRestore_Truncated(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t)
	seedAll(t, s)
	var whole bytes.Buffer
	if _, err := s.Backup(ctx, &whole); err != nil {
		t.Fatal(err)
	}
	page := os.Getpagesize()
	for _, size := range []int{page + 904, 2 * page, whole.Len() / 2, whole.Len() - page, whole.Len() - 1} {
		t.Run(fmt.Sprintf("%d bytes", size), func(t *testing.T) {
			dir := t.TempDir()
			src, dst := filepath.Join(dir, "backup.db"), filepath.Join(dir, "restored.db")
			cut := whole.Bytes()[:size]
			if err := os.WriteFile(src, cut, 0o600); err != nil {
				t.Fatal(err)
			}
			err := Restore(ctx, src, dst, false)
			if !errors.Is(err, ErrNotDatabase) || !strings.Contains(err.Error(), "not a complete tandem database (truncated, or not a bbolt file)") {
				t.Fatalf("Restore = %v; want it refused as not a complete database", err)
			}
			if _, err := os.Stat(dst); !os.IsNotExist(err) {
				t.Fatalf("the destination exists after a refused restore: %v", err)
			}
			if _, err := Open(src, Options{ReadOnly: true}); !errors.Is(err, ErrTruncated) || !errors.Is(err, ErrNotDatabase) {
				t.Fatalf("Open = %v; want ErrTruncated and ErrNotDatabase", err)
			}
			if got, _ := os.ReadFile(src); !bytes.Equal(got, cut) {
				t.Fatal("the backup was modified")
			}
		})
	}
	t.Run("whole", func(t *testing.T) {
		src := filepath.Join(t.TempDir(), "backup.db")
		if err := os.WriteFile(src, whole.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := Restore(ctx, src, filepath.Join(t.TempDir(), "restored.db"), false); err != nil {
			t.Fatalf("Restore of the whole backup: %v", err)
		}
	})
}
