package store

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// ExportFormat and ExportVersion head every export, so an import knows what
// it reads. Version 2 added the trailer.
const (
	ExportFormat  = "tandem-export"
	ExportVersion = 2
)

// exportHeader is an export's first line.
type exportHeader struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Schema  uint64 `json:"schema"`
}

// exportLine is one record: a bucket's key and value, or (with Sequence
// set and no key) the bucket's sequence counter. Values that are JSON are
// kept as JSON, so the file can be read; others are base64.
type exportLine struct {
	Bucket   string          `json:"bucket"`
	Key      string          `json:"key,omitempty"` // base64
	JSON     json.RawMessage `json:"json,omitempty"`
	Bytes    string          `json:"bytes,omitempty"` // base64, for values that are not JSON
	Sequence *uint64         `json:"sequence,omitempty"`
}

// exportedBuckets are the buckets an export holds, in the order written.
func exportedBuckets() [][]byte {
	return [][]byte{bucketMeta, bucketPeople, bucketBriefs, bucketBriefStage, bucketExperiments, bucketTotals,
		bucketEventLog, bucketSeries, bucketFlows, bucketDecisions, bucketReviews, bucketUsers,
		bucketHistory, bucketGenerated, bucketGuidelines, bucketRetroNotes, bucketTemplates, bucketComponents, bucketAggregates, bucketSourceOffsets,
		bucketWebhooks, bucketWebhookQueue, bucketWebhookLog, bucketRuns, bucketAudit}
}

// exportTrailer is an export's last line: how many lines precede it and
// the SHA-256 of their bytes, newlines included, in hex. Import refuses a
// file without it, or whose lines do not match it: a truncated or altered
// export.
type exportTrailer struct {
	End    string `json:"end"` // ExportFormat
	Lines  int    `json:"lines"`
	SHA256 string `json:"sha256"`
}

// Export writes the whole workspace as JSONL from one consistent read: a
// header line, then every record of every bucket in key order, then the
// trailer. The same workspace always exports to the same bytes.
func (s *Store) Export(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriter(w)
	sum := &lineHash{h: sha256.New()}
	enc := json.NewEncoder(&safeJSON{w: io.MultiWriter(bw, sum)})
	err := s.view(ctx, func(tx *bolt.Tx) error {
		if err := enc.Encode(exportHeader{Format: ExportFormat, Version: ExportVersion, Schema: readSchema(tx)}); err != nil {
			return err
		}
		for _, name := range exportedBuckets() {
			b := tx.Bucket(name)
			seq := b.Sequence()
			if err := enc.Encode(exportLine{Bucket: string(name), Sequence: &seq}); err != nil {
				return err
			}
			err := b.ForEach(func(k, v []byte) error {
				line := exportLine{Bucket: string(name), Key: base64.StdEncoding.EncodeToString(k)}
				if json.Valid(v) && len(v) > 0 && (v[0] == '{' || v[0] == '[') {
					line.JSON = v
				} else {
					line.Bytes = base64.StdEncoding.EncodeToString(v)
				}
				return enc.Encode(line)
			})
			if err != nil {
				return err
			}
		}
		return json.NewEncoder(bw).Encode(sum.trailer())
	})
	if err != nil {
		return fmt.Errorf("export %s: %w", s.path, err)
	}
	return bw.Flush()
}

// lineHash hashes and counts the lines written through it.
type lineHash struct {
	h     hash.Hash
	lines int
}

// Write implements io.Writer.
func (l *lineHash) Write(p []byte) (int, error) {
	l.lines += bytes.Count(p, []byte{'\n'})
	return l.h.Write(p)
}

func (l *lineHash) trailer() exportTrailer {
	return exportTrailer{End: ExportFormat, Lines: l.lines, SHA256: hex.EncodeToString(l.h.Sum(nil))}
}

// safeJSON escapes what encoding/json leaves raw and no terminal should
// get (DEL, C1, invisible characters) in each encoded line before it is
// written and hashed, so an export prints safely and imports as it was.
type safeJSON struct {
	w   io.Writer
	buf []byte
}

// Write implements io.Writer; json.Encoder writes one whole value a call.
func (s *safeJSON) Write(p []byte) (int, error) {
	s.buf = core.AppendSafeJSON(s.buf[:0], p)
	if _, err := s.w.Write(s.buf); err != nil {
		return 0, err
	}
	return len(p), nil
}
