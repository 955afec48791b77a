package store

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// ExportFormat and ExportVersion head every export, so an import knows what
// it reads.
const (
	ExportFormat  = "tandem-export"
	ExportVersion = 1
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
		bucketHistory, bucketGenerated, bucketGuidelines, bucketRetroNotes, bucketAudit}
}

// Export writes the whole workspace as JSONL from one consistent read: a
// header line, then every record of every bucket in key order. The same
// workspace always exports to the same bytes.
func (s *Store) Export(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
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
		return nil
	})
	if err != nil {
		return fmt.Errorf("export %s: %w", s.path, err)
	}
	return bw.Flush()
}

// ErrNotEmpty is returned by Import into a workspace that has records.
var ErrNotEmpty = errors.New("the workspace is not empty")

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
// line first, records included, and writes nothing unless all are good;
// then it writes everything in one transaction, audit chain as it was.
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
			return fmt.Errorf("%w; import into a new file with --db", ErrNotEmpty)
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
		return upgrade(tx, schema)
	})
	s.events = nil // the index is of the log before the import
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

// readExport parses and validates a whole export, and returns the schema
// it was written with.
func readExport(r io.Reader) (uint64, []importRecord, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return 0, nil, err
		}
		return 0, nil, &ImportError{Line: 1, Err: errors.New("empty file; expected a tandem export")}
	}
	var h exportHeader
	if err := json.Unmarshal(sc.Bytes(), &h); err != nil || h.Format != ExportFormat {
		return 0, nil, &ImportError{Line: 1, Err: errors.New("not a tandem export (no header line); make one with `tandem export`")}
	}
	if h.Version != ExportVersion {
		return 0, nil, &ImportError{Line: 1, Err: fmt.Errorf("export version %d; this tandem reads version %d", h.Version, ExportVersion)}
	}
	if h.Schema > schemaVersion {
		return 0, nil, &ImportError{Line: 1, Err: fmt.Errorf("%w (schema %d, this one reads %d); upgrade tandem", ErrNewerSchema, h.Schema, schemaVersion)}
	}
	known := map[string]bool{}
	for _, b := range exportedBuckets() {
		known[string(b)] = true
	}
	if h.Schema < 4 {
		known[string(legacyEvents)], known[string(legacyUnits)] = true, true
	}
	var out []importRecord
	var audit []core.AuditEntry
	for n := 2; sc.Scan(); n++ {
		var rec importRecord
		rec.line = n
		if err := json.Unmarshal(sc.Bytes(), &rec.exportLine); err != nil {
			return 0, nil, &ImportError{Line: n, Err: fmt.Errorf("not JSON: %v", err)}
		}
		if !known[rec.Bucket] {
			return 0, nil, &ImportError{Line: n, Err: fmt.Errorf("unknown bucket %q", rec.Bucket)}
		}
		if rec.Sequence == nil {
			var err error
			if rec.key, err = base64.StdEncoding.DecodeString(rec.Key); err != nil || len(rec.key) == 0 {
				return 0, nil, &ImportError{Line: n, Err: errors.New("bad or missing key")}
			}
			switch {
			case rec.JSON != nil:
				rec.value = rec.JSON
			case rec.Bytes != "":
				if rec.value, err = base64.StdEncoding.DecodeString(rec.Bytes); err != nil {
					return 0, nil, &ImportError{Line: n, Err: errors.New("bad bytes value")}
				}
			default:
				rec.value = []byte{}
			}
			if err := validateRecord(rec.Bucket, rec.value, &audit); err != nil {
				return 0, nil, &ImportError{Line: n, Err: err}
			}
		}
		out = append(out, rec)
	}
	if err := sc.Err(); err != nil {
		return 0, nil, err
	}
	if err := core.VerifyChain(audit); err != nil {
		return 0, nil, fmt.Errorf("the export's audit trail does not verify: %w", err)
	}
	return h.Schema, out, nil
}

// validateRecord decodes typed records and checks them as a write would.
func validateRecord(bucket string, v []byte, audit *[]core.AuditEntry) error {
	decode := func(rec interface{ Validate() error }) error {
		if err := json.Unmarshal(v, rec); err != nil {
			return fmt.Errorf("%s record: %v", bucket, err)
		}
		return rec.Validate()
	}
	switch bucket {
	case string(bucketBriefs):
		return decode(&core.Brief{})
	case string(bucketPeople):
		return decode(&core.Person{})
	case string(bucketFlows):
		return decode(&core.ApprovalFlow{})
	case string(bucketUsers):
		return decode(&core.User{})
	case string(bucketRetroNotes):
		return decode(&core.RetroNote{})
	case string(bucketExperiments):
		var e core.Experiment
		if err := json.Unmarshal(v, &e); err != nil || !core.ValidKey(e.Key) {
			return fmt.Errorf("experiment record: bad JSON or key")
		}
	case string(bucketAudit):
		var e core.AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("audit record: %v", err)
		}
		*audit = append(*audit, e)
	}
	return nil
}
