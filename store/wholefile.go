package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// The parts of a bbolt meta page that say how long the file is. Each of
// the file's first two pages holds one meta (bbolt keeps two, and uses the
// valid one with the later transaction) after a 16-byte page header.
const (
	boltMagic       = 0xED0CDAED
	boltVersion     = 2
	pageHeaderSize  = 16
	metaSize        = 64
	metaChecksumEnd = 56 // the checksum covers the meta up to itself
)

// meta is what checkWhole reads from a meta page.
type meta struct {
	pageSize uint32
	highPage uint64 // the first page past the end of the data
	txid     uint64
}

// checkWhole refuses a bbolt file cut short: one whose valid meta pages
// say it reaches past its end. An empty or missing file passes (bbolt
// creates it), and so does one with no valid meta, which bbolt refuses as
// invalid on its own.
func checkWhole(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return err
	}
	first, okFirst := readMeta(f, 0)
	at := int64(os.Getpagesize()) // where bbolt looks when the first meta is bad
	if okFirst {
		at = int64(first.pageSize)
	}
	second, okSecond := readMeta(f, at)
	use, found := first, okFirst
	if okSecond && (!okFirst || second.txid > first.txid) {
		use, found = second, true
	}
	if !found {
		return nil
	}
	if need := int64(use.highPage) * int64(use.pageSize); fi.Size() < need {
		return fmt.Errorf("%w: %d bytes of %d", ErrTruncated, fi.Size(), need)
	}
	return nil
}

// readMeta reads the meta page at offset, reporting whether it is a valid
// bbolt meta (magic, version and checksum).
func readMeta(r io.ReaderAt, offset int64) (meta, bool) {
	var buf [pageHeaderSize + metaSize]byte
	if _, err := r.ReadAt(buf[:], offset); err != nil {
		return meta{}, false
	}
	m := buf[pageHeaderSize:]
	order := binary.NativeEndian // bbolt writes its structs as they are in memory
	sum := fnv.New64a()
	sum.Write(m[:metaChecksumEnd])
	if order.Uint32(m[0:]) != boltMagic || order.Uint32(m[4:]) != boltVersion || order.Uint64(m[metaChecksumEnd:]) != sum.Sum64() {
		return meta{}, false
	}
	pageSize := order.Uint32(m[8:])
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return meta{}, false
	}
	return meta{pageSize: pageSize, highPage: order.Uint64(m[40:]), txid: order.Uint64(m[48:])}, true
}
