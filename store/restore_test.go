package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// mustRestoreTarget returns the path of a workspace holding one brief, to
// restore over, and its bytes.
func mustRestoreTarget(t *testing.T) (string, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "work.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddBrief(context.Background(), "ana", core.Brief{Title: "Kept"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, content
}

// Ensure that a backup that is not a tandem database (empty, or a bbolt
// file with no tandem schema) is refused even with force, the workspace
// left as it was: `restore e.db --force` of a 0-byte file used to replace
// the workspace with an empty one and print "restored".
func TestRestore_NotTandem(t *testing.T) {
	ctx := context.Background()
	bare := func(t *testing.T, path string, fill func(tx *bolt.Tx) error) {
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Update(fill); err != nil {
			t.Fatal(err)
		}
	}
	tests := map[string]func(t *testing.T, path string){
		"empty file": func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"bbolt file with no buckets": func(t *testing.T, path string) {
			bare(t, path, func(*bolt.Tx) error { return nil })
		},
		"another program's bbolt file": func(t *testing.T, path string) {
			bare(t, path, func(tx *bolt.Tx) error {
				b, err := tx.CreateBucket([]byte("sessions"))
				if err != nil {
					return err
				}
				return b.Put([]byte("k"), []byte("v"))
			})
		},
	}
	for name, write := range tests {
		t.Run(name, func(t *testing.T) {
			dst, content := mustRestoreTarget(t)
			src := filepath.Join(t.TempDir(), "backup.db")
			write(t, src)
			backup, _ := os.ReadFile(src)
			err := Restore(ctx, src, dst, true)
			if !errors.Is(err, ErrBadBackup) || !errors.Is(err, ErrNotDatabase) || !strings.Contains(err.Error(), "is not a tandem database (empty, or written by another program)") {
				t.Fatalf("Restore = %v; want it refused as not a tandem database", err)
			}
			if got, _ := os.ReadFile(dst); !bytes.Equal(got, content) {
				t.Fatal("the workspace was replaced")
			}
			if got, _ := os.ReadFile(src); !bytes.Equal(got, backup) {
				t.Fatal("the backup was modified")
			}
		})
	}
}

// pageNumber finds "page N" in a message.
var pageNumber = regexp.MustCompile(`\bpage \d+`)

// Ensure that a backup with any one page wiped or scrambled is either
// restored whole (a free page) or refused as damaged, naming the page
// where bbolt can, and never with bbolt's panic text: a corrupt page used
// to exit 1 with "panic: assertion failed", or kill the process while the
// backup was opened.
func TestRestore_DamagedPage(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t)
	seedAll(t, s)
	var whole bytes.Buffer
	if _, err := s.Backup(ctx, &whole); err != nil {
		t.Fatal(err)
	}
	m, ok := readMeta(bytes.NewReader(whole.Bytes()), 0)
	if !ok {
		t.Fatal("the backup has no valid meta page")
	}
	size := int(m.pageSize)
	damage := map[string]func(page []byte){
		"wiped": func(page []byte) { clear(page) },
		"scrambled": func(page []byte) {
			for i := pageHeaderSize; i < len(page); i++ {
				page[i] = byte(i * 7)
			}
		},
	}
	named := 0
	for how, hurt := range damage {
		for p := 2; p < int(m.highPage); p++ { // pages 0 and 1 are bbolt's meta
			content := bytes.Clone(whole.Bytes())
			hurt(content[p*size : (p+1)*size])
			dir := t.TempDir()
			src, dst := filepath.Join(dir, "backup.db"), filepath.Join(dir, "restored.db")
			if err := os.WriteFile(src, content, 0o600); err != nil {
				t.Fatal(err)
			}
			err := Restore(ctx, src, dst, false)
			if err == nil {
				continue
			}
			msg := err.Error()
			if !errors.Is(err, ErrBadBackup) || !strings.Contains(msg, "is damaged: ") || !strings.HasSuffix(msg, "take another backup (nothing was restored)") ||
				strings.Contains(msg, "panic") || strings.Contains(msg, "assertion") || strings.Contains(msg, ".restore-") || strings.Contains(msg, "\n") {
				t.Fatalf("page %d %s: Restore = %q; want one line saying the backup is damaged", p, how, msg)
			}
			if pageNumber.MatchString(msg) {
				named++
			}
			if _, err := os.Stat(dst); !os.IsNotExist(err) {
				t.Fatalf("page %d %s: the destination exists after a refused restore", p, how)
			}
		}
	}
	if named == 0 {
		t.Fatal("no refusal named the damaged page")
	}
}

// Ensure that a backup whose records break only a rule today's writes
// follow (two users whose names differ by case, as an earlier tandem could
// store) is restored: it is whole, and check names the record.
func TestRestore_RecordBreakingAWriteRule(t *testing.T) {
	ctx := context.Background()
	dst, _ := mustRestoreTarget(t)
	src := filepath.Join(t.TempDir(), "older.db")
	s, err := Open(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	putRawUser(t, s, core.User{Name: "ana", Role: core.RoleViewer, Keys: []string{newKeyLine(t, "ana")}})
	putRawUser(t, s, core.User{Name: "Ana", Role: core.RoleAdmin, Keys: []string{newKeyLine(t, "Ana")}})
	if err := s.Check(ctx); !IsRuleError(err) {
		t.Fatalf("check of the older workspace: %v; want a record breaking a rule", err)
	}
	s.Close()
	if err := Restore(ctx, src, dst, true); err != nil {
		t.Fatalf("restore of a whole backup: %v", err)
	}
	restored, err := Open(dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if err := restored.Check(ctx); !IsRuleError(err) || !strings.Contains(err.Error(), "a name is one person whatever its case") {
		t.Fatalf("check after the restore: %v", err)
	}
}
