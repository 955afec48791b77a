package backend

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unsafe"

	"github.com/tandem-ops/tandem/core"
)

const (
	// ingestBatchSize is the most events the decoder hands on at once.
	ingestBatchSize = 50_000
	// commitAt is how many waiting events make a transaction (one fsync):
	// a 4 MB chunk of a file holds about this many, so it is committed as
	// it was decoded, without being copied into a larger batch.
	commitAt = 32_768
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

// merge appends what other decoded after b.
func (b *eventBatch) merge(other *eventBatch) {
	b.events = append(b.events, other.events...)
	b.lines = append(b.lines, other.lines...)
	b.rejects = append(b.rejects, other.rejects...)
	b.lineCount += other.lineCount
}

// lineReject is an input line refused, and why.
type lineReject struct {
	line   int
	reason string
}

// batcher fills batches and hands each on when full, or when told to.
type batcher struct {
	emit func(*eventBatch) bool
	cur  *eventBatch
}

func (b *batcher) batch() *eventBatch {
	if b.cur == nil {
		// A pipe hands on a few hundred lines at a time: grow as needed.
		b.cur = &eventBatch{events: make([]core.Event, 0, 1024), lines: make([]int, 0, 1024)}
	}
	return b.cur
}

// reserve makes room for about n more events in the current batch.
func (b *batcher) reserve(n int) {
	cur := b.batch()
	n = min(n, ingestBatchSize)
	cur.events = slices.Grow(cur.events, n)
	cur.lines = slices.Grow(cur.lines, n)
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

// errLineTooLong rejects a JSONL line it would not keep in memory.
var errLineTooLong = fmt.Errorf("longer than %d bytes", maxEventLine)

// decodeJSONL decodes JSONL from r into batches. It hands on what it has
// whenever the input pauses (a read returns less than asked, as a pipe
// does between writes), so a live stream on stdin is stored as it comes.
func decodeJSONL(r io.Reader, emit func(*eventBatch) bool) error {
	b := &batcher{emit: emit}
	var dec core.EventDecoder
	// A slab is read into and never written again below handed, so the
	// lines handed on can be strings over it without a copy.
	slab := make([]byte, 0, chunkSize)
	handed := 0
	line := 0
	skipping := false // in the rest of a line too long to keep
	for {
		want := cap(slab) - len(slab)
		n, err := r.Read(slab[len(slab):cap(slab)])
		slab = slab[:len(slab)+n]
		full := len(slab) == cap(slab)
		end := handed
		if i := bytes.LastIndexByte(slab[handed:], '\n'); i >= 0 {
			end = handed + i + 1
		}
		if err != nil {
			end = len(slab) // the input ended: the rest is its last line
		}
		if (full || n < want || err != nil) && end > handed {
			text := unsafe.String(&slab[handed], end-handed)
			handed = end
			if skipping {
				_, text, _ = strings.Cut(text, "\n")
				skipping = false
			}
			var ok bool
			if line, ok = decodeLines(&dec, b, text, line); !ok || !b.flush() {
				return errStopped
			}
		}
		switch {
		case full && handed == 0: // a whole slab and no newline: a line too long to keep
			if !skipping {
				line++
				b.add(line, core.Event{}, errLineTooLong)
				skipping = true
			}
			slab = slab[:0] // nothing was handed on from it
		case full: // carry the unfinished line into a new slab
			slab = append(make([]byte, 0, chunkSize), slab[handed:]...)
			handed = 0
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
	b.reserve(len(text) / 64) // events are rarely shorter than 64 bytes
	for len(text) > 0 {
		raw, rest, _ := strings.Cut(text, "\n")
		text = rest
		line++
		raw = strings.TrimSuffix(raw, "\r")
		var ok bool
		switch {
		case len(raw) > maxEventLine:
			ok = b.add(line, core.Event{}, errLineTooLong)
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

// pauseReader calls onPause before reading on from an input that paused:
// whose last read returned less than asked. The CSV reader reads only once
// it has returned every whole record it holds, so what was decoded can be
// handed on before the read waits for more.
type pauseReader struct {
	r       io.Reader
	paused  bool
	onPause func()
}

func (p *pauseReader) Read(buf []byte) (int, error) {
	if p.paused {
		p.onPause()
	}
	n, err := p.r.Read(buf)
	p.paused = n < len(buf)
	return n, err
}

// decodeCSV decodes CSV with a header row from r into batches, handing on
// what it has whenever the input pauses.
func decodeCSV(r io.Reader, emit func(*eventBatch) bool) error {
	b := &batcher{emit: emit}
	stopped := false
	// Lines are bounded before encoding/csv sees them: it would buffer a
	// record of any size.
	cr := csv.NewReader(&lineLimit{r: &pauseReader{r: r, onPause: func() { stopped = stopped || !b.flush() }}, max: maxEventLine})
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
		if !ok || stopped {
			return errStopped
		}
	}
}

// errCSVLineTooLong stops a CSV ingest at a line longer than maxEventLine:
// the reader cannot find the next record without reading it all.
var errCSVLineTooLong = fmt.Errorf("a CSV line is longer than %d bytes; the rest of the input was not read", maxEventLine)

// lineLimit fails a read that would take a line past max bytes.
type lineLimit struct {
	r    io.Reader
	max  int
	line int // bytes since the last newline
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			l.line = 0
			continue
		}
		if l.line++; l.line > l.max {
			return 0, errCSVLineTooLong
		}
	}
	return n, err
}
