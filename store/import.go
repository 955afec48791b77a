package store

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// ErrNotEmpty is returned by Import into a workspace that has records;
// the caller says where an empty one can be had.
var ErrNotEmpty = errors.New("the workspace is not empty; import only fills an empty one")

// ImportError names the line of an import that is wrong.
type ImportError struct {
	Line int
	Err  error
}

// Error implements error.
func (e *ImportError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *ImportError) Unwrap() error { return e.Err }

// Import reads an export into this (empty) workspace. It validates every
// line first (see readExport) and writes nothing unless all are good; then
// it writes everything in one transaction, audit chain as it was, and
// commits it only if the result passes Check.
func (s *Store) Import(ctx context.Context, r io.Reader) (int, error) {
	schema, records, err := readExport(r)
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var last uint64 // the imported audit trail's last entry
	err = s.db.Update(func(tx *bolt.Tx) error {
		if k, _ := tx.Bucket(bucketAudit).Cursor().First(); k != nil {
			return ErrNotEmpty
		}
		for _, rec := range records {
			b, err := tx.CreateBucketIfNotExists([]byte(rec.Bucket)) // an older export's buckets too
			if err != nil {
				return err
			}
			if rec.Sequence != nil {
				if err := b.SetSequence(*rec.Sequence); err != nil {
					return err
				}
				continue
			}
			if err := b.Put(rec.key, rec.value); err != nil {
				return fmt.Errorf("line %d: %w", rec.line, err)
			}
		}
		if k, _ := tx.Bucket(bucketAudit).Cursor().Last(); k != nil {
			last = btoi(k)
		}
		if err := upgrade(tx, schema); err != nil {
			return err
		}
		// The lines were checked one by one and across each other; this
		// is the last word, so that whatever imports also checks clean.
		// A record that only breaks a rule of today's writes across
		// records (two people whose names differ by case, an earlier
		// tandem's) is imported; check names it.
		if err := checkTx(tx); err != nil && !IsRuleError(err) {
			return fmt.Errorf("the imported workspace does not check (%w); nothing was imported", err)
		}
		return nil
	})
	s.dropEvents() // the index is of the log before the import
	if err != nil {
		return 0, fmt.Errorf("import: %w", explainWrite(err))
	}
	if last > 0 { // tell readers and subscribers everything changed
		s.committed([]Change{{Seq: last, Kind: KindWorkspace, Action: "workspace.import", ID: "workspace", Actor: "import", Time: s.now()}})
	}
	return len(records), nil
}

// importRecord is a checked export line.
type importRecord struct {
	exportLine
	line       int
	key, value []byte
}

// maxExportLine bounds one export line: an event log block of a large
// ingest batch, base64-encoded.
const maxExportLine = 64 << 20

// readExport parses and validates a whole export, and returns the schema
// it was written with. It refuses, naming the line: a file that is not a
// version 2 export; a line after, or a file without, the trailer, or lines
// that do not match its count and checksum; an unknown bucket; a key that
// is not base64, not of its bucket's shape, or not after the previous key
// of its bucket (so no duplicates); a record that does not decode or
// breaks the rules a write applies (checkRecord); and records that
// disagree with each other (importSet.crossCheck).
func readExport(r io.Reader) (uint64, []importRecord, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), maxExportLine)
	sum := &lineHash{h: sha256.New()}
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return 0, nil, fmt.Errorf("read line 1: %w", err)
		}
		return 0, nil, &ImportError{Line: 1, Err: errors.New("empty file; expected a tandem export")}
	}
	h, err := readHeader(sc.Bytes())
	if err != nil {
		return 0, nil, &ImportError{Line: 1, Err: err}
	}
	sum.Write(append(sc.Bytes(), '\n'))
	set := newImportSet(h.Schema)
	n := 1
	ended := false
	for sc.Scan() {
		n++
		raw := sc.Bytes()
		switch {
		case ended:
			return 0, nil, &ImportError{Line: n, Err: errors.New("a line after the trailer; the file was altered, export again")}
		case bytes.HasPrefix(raw, []byte(`{"end":`)):
			if err := checkTrailer(raw, sum); err != nil {
				return 0, nil, &ImportError{Line: n, Err: err}
			}
			ended = true
			continue
		}
		sum.Write(append(raw, '\n'))
		if err := set.add(n, raw); err != nil {
			return 0, nil, &ImportError{Line: n, Err: err}
		}
	}
	if err := sc.Err(); err != nil {
		return 0, nil, fmt.Errorf("read line %d: %w", n+1, err)
	}
	if !ended {
		return 0, nil, &ImportError{Line: n, Err: errors.New("the file ends here, without the export trailer: it is truncated or not a whole export; export it again")}
	}
	if err := set.crossCheck(); err != nil {
		return 0, nil, err
	}
	return h.Schema, set.records, nil
}

// readHeader checks an export's first line.
func readHeader(line []byte) (exportHeader, error) {
	var h exportHeader
	if err := json.Unmarshal(line, &h); err != nil || h.Format != ExportFormat {
		return h, errors.New("not a tandem export (no header line); make one with `tandem export`")
	}
	switch {
	case h.Version == 1:
		// Version 1 had no trailer, so a cut-short file reads as a whole
		// one, and its records would import without their rest.
		return h, errors.New("export version 1 has no trailer, so a truncated file cannot be told from a whole one; export the workspace again with this tandem")
	case h.Version != ExportVersion:
		return h, fmt.Errorf("export version %d; this tandem reads version %d", h.Version, ExportVersion)
	case h.Schema > schemaVersion:
		return h, fmt.Errorf("%w (schema %d, this one reads %d); upgrade tandem", ErrNewerSchema, h.Schema, schemaVersion)
	}
	return h, nil
}

// checkTrailer checks the trailer line against the lines before it.
func checkTrailer(line []byte, sum *lineHash) error {
	var t exportTrailer
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil || t.End != ExportFormat {
		return errors.New("the trailer does not decode; the file was altered, export again")
	}
	want := sum.trailer()
	if t.Lines != want.Lines {
		return fmt.Errorf("the trailer counts %d lines before it, the file has %d: lines were added or removed; export again", t.Lines, want.Lines)
	}
	if t.SHA256 != want.SHA256 {
		return errors.New("the checksum in the trailer does not match the lines before it: the file was altered or damaged; export again")
	}
	return nil
}

// decodeKey decodes a base64 key, strictly, so one key has one spelling.
func decodeKey(s string) ([]byte, error) {
	k, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(k) == 0 || len(k) > bolt.MaxKeySize {
		return nil, errors.New("the key is missing or not base64")
	}
	return k, nil
}

// valueOf returns a line's value: its JSON, or its base64 bytes.
func valueOf(l exportLine) ([]byte, error) {
	switch {
	case l.JSON != nil && l.Bytes != "":
		return nil, errors.New("the line has both a JSON and a bytes value")
	case l.JSON != nil:
		return l.JSON, nil
	case l.Bytes != "":
		v, err := base64.StdEncoding.Strict().DecodeString(l.Bytes)
		if err != nil {
			return nil, errors.New("the bytes value is not base64")
		}
		return v, nil
	}
	return []byte{}, nil
}

// hexKey shows a key in a message; keys are bytes, not text.
func hexKey(k []byte) string { return hex.EncodeToString(k) }

// legacyEvent checks an event of schema 3's events bucket.
func legacyEvent(v []byte) (core.Event, error) {
	var ev core.Event
	if err := decodeStrict(v, &ev); err != nil {
		return ev, err
	}
	return ev, ev.Validate()
}
