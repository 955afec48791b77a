package backend

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// The formats IngestStream reads.
const (
	// FormatJSONL is one JSON event per line.
	FormatJSONL = "jsonl"
	// FormatCSV is CSV with a header row naming the event fields.
	FormatCSV = "csv"
)

// StreamOptions tune IngestStream.
type StreamOptions struct {
	// Format is FormatJSONL (when empty) or FormatCSV.
	Format string
	// Create makes the experiments and variants the events name.
	Create bool
	// Reject is told of every refused input line, in input order, on the
	// caller's goroutine; the lines are counted either way.
	Reject func(line int, reason string)
}

// StreamResult counts what an ingest of a stream did.
type StreamResult struct {
	// Lines counts the non-blank input lines read.
	Lines      int
	Accepted   int
	Duplicates int
	Rejected   int
	// Created names the experiments and variants Create made.
	Created []string
}

// maxBatchDelay is the longest decoded events wait for more to fill a
// batch: from a live stream they are stored within about this long.
const maxBatchDelay = time.Second

// IngestStream stores the events read from r for who, in batches of about
// 32k events (one transaction and fsync each), decoding the next batch
// while the last is written. Events of a live stream (a pipe that stays
// open, a message queue written into one) are stored within about a
// second. A bad line is refused and reported, never a reason to stop; an
// error stops the ingest, and the result counts what was stored before it.
// When ctx ends, what was read so far is stored and ctx's cause returned.
func (b *Backend) IngestStream(ctx context.Context, who core.Identity, r io.Reader, opts StreamOptions) (StreamResult, error) {
	if err := core.Authorize(who, core.ActionIngest); err != nil {
		return StreamResult{}, err
	}
	var decode func(io.Reader, func(*eventBatch) bool) error
	switch opts.Format {
	case "", FormatJSONL:
		decode = decodeJSONL
	case FormatCSV:
		decode = decodeCSV
	default:
		return StreamResult{}, fmt.Errorf("ingest format %q: use %s or %s", opts.Format, FormatJSONL, FormatCSV)
	}
	ing := &ingester{ctx: ctx, be: b, who: who, opts: opts}
	err := ing.run(func(emit func(*eventBatch) bool) error { return decode(r, emit) })
	return ing.result, err
}

// ingester commits decoded batches as they come and reports on them.
type ingester struct {
	ctx    context.Context
	be     *Backend
	who    core.Identity
	opts   StreamOptions
	result StreamResult
}

// run decodes on one goroutine and commits on this one, so that the next
// batch is decoded while the last is written and synced. What the decoder
// hands on is committed once it makes a batch, once its oldest part has
// waited maxBatchDelay, or at the end. Every rejection is reported from
// here, in input order.
func (ing *ingester) run(decode func(emit func(*eventBatch) bool) error) error {
	parts := make(chan *eventBatch, 4)
	stop := make(chan struct{})
	defer close(stop)
	var decodeErr error
	go func() {
		defer close(parts)
		decodeErr = decode(func(b *eventBatch) bool {
			select {
			case parts <- b:
				return true
			case <-stop:
				return false
			}
		})
	}()
	tick := time.NewTicker(maxBatchDelay / 4)
	defer tick.Stop()
	var pending *eventBatch
	var since time.Time
	flush := func() error {
		b := pending
		pending = nil
		if b == nil {
			return nil
		}
		return ing.commit(b)
	}
	for {
		select {
		case part, ok := <-parts:
			if !ok {
				if err := flush(); err != nil {
					return err
				}
				return decodeErr // written before parts was closed
			}
			if pending == nil {
				pending, since = part, time.Now()
			} else {
				pending.merge(part)
			}
			if len(pending.events) >= commitAt {
				if err := flush(); err != nil {
					return err
				}
			}
		case <-ing.ctx.Done():
			// The caller went away or the deadline passed: keep what was
			// read so far, as at the end of the input.
			cause := context.Cause(ing.ctx)
			ing.ctx = context.WithoutCancel(ing.ctx)
			if err := flush(); err != nil {
				return err
			}
			return cause
		case <-tick.C:
			if pending != nil && time.Since(since) >= maxBatchDelay {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
}

// commit stores one batch and reports its rejected lines in line order.
func (ing *ingester) commit(b *eventBatch) error {
	ing.result.Lines += b.lineCount
	var res IngestResult
	if len(b.events) > 0 {
		var err error
		if res, err = ing.be.Ingest(ing.ctx, ing.who, b.events, IngestOptions{Create: ing.opts.Create}); err != nil {
			return err
		}
	}
	ing.result.Accepted += res.Accepted
	ing.result.Duplicates += res.Duplicates
	ing.result.Created = append(ing.result.Created, res.Created...)
	decoded := b.rejects
	for _, r := range res.Rejected {
		line := b.lines[r.Index]
		for len(decoded) > 0 && decoded[0].line < line {
			ing.reject(decoded[0])
			decoded = decoded[1:]
		}
		ing.reject(lineReject{line, r.Reason})
	}
	for _, r := range decoded {
		ing.reject(r)
	}
	return nil
}

func (ing *ingester) reject(r lineReject) {
	ing.result.Rejected++
	if ing.opts.Reject != nil {
		ing.opts.Reject(r.line, r.reason)
	}
}
