package cli

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unsafe"

	"github.com/tandem-ops/tandem/core"
)

const (
	// ingestBatchSize is how many events one transaction (one fsync) commits.
	ingestBatchSize = 50_000
	// maxEventLine bounds a JSONL line; a longer one is rejected, not kept.
	maxEventLine = 1 << 20
	// chunkSize is how much JSONL is read, and copied into one string, at a
	// time; decoded events share that string instead of allocating.
	chunkSize = 4 << 20
)

// eventBatch is decoded input on its way to the store.
type eventBatch struct {
	events []core.Event
	// lines holds the input line of each event.
	lines []int
	// rejects are the lines that did not decode, in line order.
	rejects []lineReject
	// lineCount counts the non-blank input lines the batch covers.
	lineCount int
}

// lineReject is an input line refused, and why.
type lineReject struct {
	line   int
	reason string
}

// batcher fills batches and hands each on when full.
type batcher struct {
	emit func(*eventBatch) bool
	cur  *eventBatch
}

func (b *batcher) batch() *eventBatch {
	if b.cur == nil {
		b.cur = &eventBatch{events: make([]core.Event, 0, ingestBatchSize), lines: make([]int, 0, ingestBatchSize)}
	}
	return b.cur
}

// add records one input line's outcome; false when the reader stopped.
func (b *batcher) add(line int, ev core.Event, err error) bool {
	cur := b.batch()
	cur.lineCount++
	if err != nil {
		cur.rejects = append(cur.rejects, lineReject{line, err.Error()})
		return true
	}
	cur.events = append(cur.events, ev)
	cur.lines = append(cur.lines, line)
	if len(cur.events) < ingestBatchSize {
		return true
	}
	return b.flush()
}

func (b *batcher) flush() bool {
	if b.cur == nil {
		return true
	}
	cur := b.cur
	b.cur = nil
	return b.emit(cur)
}

// errStopped ends decoding when the committer has given up.
var errStopped = errors.New("ingest stopped")

// decodeJSONL decodes JSONL from r into batches.
func decodeJSONL(r io.Reader, emit func(*eventBatch) bool) error {
	b := &batcher{emit: emit}
	var dec core.EventDecoder
	var carry []byte // a line begun at the end of the last chunk
	line := 0
	skipping := false // in the rest of a line too long to keep
	for {
		// Each chunk is a new buffer that is never written again once
		// read, so its lines can become strings without a copy.
		buf := append(make([]byte, 0, chunkSize), carry...)
		buf, err := fill(r, buf)
		end := bytes.LastIndexByte(buf, '\n') + 1
		if err != nil {
			end = len(buf)
		}
		carry = append(carry[:0], buf[end:]...)
		if end == 0 { // a full buffer and no newline: one line too long to keep
			if !skipping {
				line++
				b.add(line, core.Event{}, fmt.Errorf("longer than %d bytes", maxEventLine))
				skipping = true
			}
			carry = carry[:0]
			continue
		}
		text := unsafe.String(&buf[0], end)
		if skipping {
			_, text, _ = strings.Cut(text, "\n")
			skipping = false
		}
		var ok bool
		if line, ok = decodeLines(&dec, b, text, line); !ok {
			return errStopped
		}
		switch {
		case errors.Is(err, io.EOF):
			if !b.flush() {
				return errStopped
			}
			return nil
		case err != nil:
			b.flush()
			return fmt.Errorf("read line %d: %w", line+1, err)
		}
	}
}

// decodeLines decodes every line of text, numbering them after line, and
// returns the last line number; false when the reader stopped.
func decodeLines(dec *core.EventDecoder, b *batcher, text string, line int) (int, bool) {
	for len(text) > 0 {
		raw, rest, _ := strings.Cut(text, "\n")
		text = rest
		line++
		raw = strings.TrimSuffix(raw, "\r")
		var ok bool
		switch {
		case len(raw) > maxEventLine:
			ok = b.add(line, core.Event{}, fmt.Errorf("longer than %d bytes", maxEventLine))
		case strings.TrimSpace(raw) == "":
			continue // blank lines are not events
		default:
			ev, err := dec.Decode(raw)
			ok = b.add(line, ev, err)
		}
		if !ok {
			return line, false
		}
	}
	return line, true
}

// fill reads into buf until it is full, the input ends or fails.
func fill(r io.Reader, buf []byte) ([]byte, error) {
	for len(buf) < cap(buf) {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// decodeCSV decodes CSV with a header row from r into batches.
func decodeCSV(r io.Reader, emit func(*eventBatch) bool) error {
	b := &batcher{emit: emit}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("read the CSV header: %w", err)
	}
	header, err := core.ParseCSVHeader(head)
	if err != nil {
		return fmt.Errorf("CSV header: %w", err)
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			if !b.flush() {
				return errStopped
			}
			return nil
		}
		var perr *csv.ParseError
		var ok bool
		switch {
		case errors.As(err, &perr):
			ok = b.add(perr.Line, core.Event{}, perr.Err)
		case err != nil:
			b.flush()
			return err
		default:
			line, _ := cr.FieldPos(0)
			ev, derr := header.Event(rec)
			ok = b.add(line, ev, derr)
		}
		if !ok {
			return errStopped
		}
	}
}
