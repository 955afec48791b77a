package backend

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/tandem-ops/tandem/store"
)

// backupTarget refuses a backup path that would replace the live database,
// one of its companion files (socket, holder), or a file that is
// not a database: a backup may replace an older backup and nothing else.
func backupTarget(live, path string) error {
	target, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	for _, p := range []string{live, store.SocketPath(live), store.HolderPath(live)} {
		if fi, err := os.Stat(p); err == nil && os.SameFile(fi, target) {
			return fmt.Errorf("back up to %s: that is the live database (or one of its files); choose another path", path)
		}
	}
	if !target.Mode().IsRegular() || !isDatabaseFile(path) {
		return fmt.Errorf("back up to %s: a file is there that is not a tandem backup; choose another path or move it away", path)
	}
	return nil
}

// boltMagic marks a bbolt meta page; it follows the 16-byte page header of
// the file's first page.
const boltMagic = 0xED0CDAED

// isDatabaseFile reports whether path starts like a bbolt database.
func isDatabaseFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var head [20]byte
	if _, err := io.ReadFull(f, head[:]); err != nil {
		return false
	}
	magic := binary.LittleEndian.Uint32(head[16:20])
	return magic == boltMagic || bytes.Equal(head[16:20], binary.BigEndian.AppendUint32(nil, boltMagic))
}
