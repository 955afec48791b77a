package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// SourceBatch is where a batch of events was read from a stream: for each
// partition, the offset its first record had (From) and the offset after
// its last (To).
type SourceBatch struct {
	// Name names the stream, such as "kafka/GROUP/TOPIC".
	Name       string
	Partitions map[int32]OffsetRange
}

// OffsetRange is a stretch of one partition: From up to, not including, To.
type OffsetRange struct{ From, To int64 }

// sourceKey is a partition's key in bucketSourceOffsets: the stream's
// name, NUL, the partition as 4 big-endian bytes.
func sourceKey(name string, partition int32) []byte {
	k := append([]byte(name), 0)
	return binary.BigEndian.AppendUint32(k, uint32(partition))
}

// maxSourceName bounds a stream's name: "kafka/", a group and a topic
// (Kafka allows 249 bytes for a topic).
const maxSourceName = 1024

// checkSourceOffset checks a stored partition offset: a stream's name of
// printable text, NUL, a partition; a next offset Kafka could hand out.
func checkSourceOffset(k, v []byte) error {
	name, partition, ok := bytes.Cut(k, []byte{0})
	switch {
	case !ok || len(name) == 0 || len(name) > maxSourceName || !utf8.Valid(name) || bytes.ContainsFunc(name, unicode.IsControl):
		return errors.New("a source offset's key is not a stream name and a partition")
	case len(partition) != 4 || int32(binary.BigEndian.Uint32(partition)) < 0:
		return errors.New("a source offset's partition is not a partition number")
	case len(v) != 8 || int64(btoi(v)) < 0:
		return errors.New("a source offset is not an offset of 0 or more")
	}
	return nil
}

// checkSourceBatch checks that the batch starts where the stored offsets
// say (a partition with none stored starts anywhere): a batch another
// consumer already stored is refused whole, before anything is counted,
// so no record counts twice.
func checkSourceBatch(tx *bolt.Tx, src *SourceBatch) error {
	if src == nil {
		return nil
	}
	b := tx.Bucket(bucketSourceOffsets)
	for p, r := range src.Partitions {
		if v := b.Get(sourceKey(src.Name, p)); v != nil && int64(btoi(v)) != r.From {
			return fmt.Errorf("%w (%s partition %d is stored up to offset %d, the batch starts at %d)", ErrSourceMoved, src.Name, p, int64(btoi(v)), r.From)
		}
	}
	return nil
}

// putSourceBatch stores each partition's next offset.
func putSourceBatch(tx *bolt.Tx, src *SourceBatch) error {
	if src == nil {
		return nil
	}
	b := tx.Bucket(bucketSourceOffsets)
	for p, r := range src.Partitions {
		if err := b.Put(sourceKey(src.Name, p), itob(uint64(r.To))); err != nil {
			return fmt.Errorf("store the offset of %s partition %d: %w", src.Name, p, err)
		}
	}
	return nil
}

// SourceOffsets returns the next offset to read of each partition of the
// stream name that ingest has stored.
func (s *Store) SourceOffsets(ctx context.Context, name string) (map[int32]int64, error) {
	out := map[int32]int64{}
	err := s.view(ctx, func(tx *bolt.Tx) error {
		prefix := append([]byte(name), 0)
		c := tx.Bucket(bucketSourceOffsets).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(k) != len(prefix)+4 || len(v) != 8 {
				return damaged(fmt.Sprintf("an offset of %s does not decode", name), fmt.Sprintf("%d-byte key, %d-byte value", len(k), len(v)))
			}
			out[int32(binary.BigEndian.Uint32(k[len(prefix):]))] = int64(btoi(v))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("offsets of %s: %w", name, err)
	}
	return out, nil
}
