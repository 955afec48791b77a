package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// IngestSummary is what `tandem ingest --json` prints.
type IngestSummary struct {
	Lines      int      `json:"lines"`
	Accepted   int      `json:"accepted"`
	Duplicates int      `json:"duplicates"`
	Rejected   int      `json:"rejected"`
	Created    []string `json:"created,omitempty"`
}

// rejectedError reports that some input lines were refused; ingest exits 2.
type rejectedError struct{ n int }

func (e *rejectedError) Error() string {
	return fmt.Sprintf("%d line(s) rejected; see the messages above, fix them and ingest the file again (accepted lines are kept and not counted twice)", e.n)
}

func ingestCommand(env *Env) *cobra.Command {
	var asJSON, create, aggregates bool
	var format string
	var kafka kafkaFlags
	cmd := &cobra.Command{
		Use:   "ingest [--format jsonl|csv] [--aggregates] FILE|- | --kafka BROKERS --topic T [--group G]",
		Short: "Load experiment events from a JSONL or CSV file (or - for stdin), or a Kafka topic, in batches",
		Args: func(cmd *cobra.Command, args []string) error {
			if kafka.brokers != "" {
				return exactArgs()(cmd, args)
			}
			return exactArgs("FILE")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if kafka.brokers != "" {
				return runKafka(cmd, env, kafka, format, create, asJSON)
			}
			if format == "" {
				format = "jsonl"
				if strings.EqualFold(filepath.Ext(args[0]), ".csv") {
					format = "csv"
				}
			}
			if aggregates {
				in, name, closeIn, err := env.openInput(args[0])
				if err != nil {
					return err
				}
				defer closeIn()
				return runAggregates(cmd, env, in, name, format, asJSON)
			}
			var decode func(io.Reader, func(*eventBatch) bool) error
			switch format {
			case "jsonl", "json":
				decode = decodeJSONL
			case "csv":
				decode = decodeCSV
			default:
				return usageErrorf("--format %q: use jsonl or csv", format)
			}
			in, name, closeIn, err := env.openInput(args[0])
			if err != nil {
				return err
			}
			defer closeIn()
			ing := &ingester{ctx: cmd.Context(), env: env, opts: backend.IngestOptions{Create: create}}
			if err := ing.run(func(emit func(*eventBatch) bool) error { return decode(in, emit) }); err != nil {
				if ing.summary.Accepted > 0 {
					return fmt.Errorf("ingest %s: %w (the %d events accepted before this point are stored)", name, err, ing.summary.Accepted)
				}
				return fmt.Errorf("ingest %s: %w", name, err)
			}
			s := ing.summary
			if asJSON {
				if err := writeJSON(env.Out, s); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(env.Out, "%d lines: %d accepted, %d duplicates skipped, %d rejected\n", s.Lines, s.Accepted, s.Duplicates, s.Rejected)
				if len(s.Created) > 0 {
					fmt.Fprintf(env.Out, "created %s\n", sanitize.Line(strings.Join(s.Created, ", ")))
				}
			}
			if s.Rejected > 0 {
				return &rejectedError{s.Rejected}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the counts as JSON")
	cmd.Flags().BoolVar(&create, "create", false, "create experiments and variants the events name")
	cmd.Flags().StringVar(&format, "format", "", "jsonl or csv (default: from the file name, else jsonl)")
	kafka.register(cmd)
	cmd.Flags().BoolVar(&aggregates, "aggregates", false, "FILE holds daily per-variant aggregates from a warehouse query, not events")
	return streams(needs(core.ActionIngest, cmd))
}

// openInput opens a path argument, or stdin for "-".
func (env *Env) openInput(arg string) (io.Reader, string, func(), error) {
	if arg == "-" {
		if env.In == nil {
			return nil, "", nil, usageErrorf("no standard input here; pass a file path")
		}
		return env.In, "stdin", func() {}, nil
	}
	path, err := env.path(arg)
	if err != nil {
		return nil, "", nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", nil, fmt.Errorf("open %s: %w", arg, err)
	}
	return f, arg, func() { f.Close() }, nil
}

// ingester commits decoded batches as they come and reports on them.
type ingester struct {
	ctx     context.Context
	env     *Env
	opts    backend.IngestOptions
	summary IngestSummary
}

// maxBatchDelay is the longest decoded events wait for more to fill a
// batch: from a live stream they are stored within about this long.
const maxBatchDelay = time.Second

// run decodes on one goroutine and commits on this one, so that the next
// batch is decoded while the last is written and synced. What the decoder
// hands on is committed once it makes a batch, once its oldest part has
// waited maxBatchDelay, or at the end. Every message is printed from here,
// in input order.
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
	ing.summary.Lines += b.lineCount
	var res backend.IngestResult
	if len(b.events) > 0 {
		var err error
		if res, err = ing.env.Backend.Ingest(ing.ctx, ing.env.Identity, b.events, ing.opts); err != nil {
			return err
		}
	}
	ing.summary.Accepted += res.Accepted
	ing.summary.Duplicates += res.Duplicates
	ing.summary.Created = append(ing.summary.Created, res.Created...)
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
	ing.summary.Rejected++
	fmt.Fprintf(ing.env.Err, "line %d: %s\n", r.line, sanitize.Line(strings.ReplaceAll(r.reason, "\n", "; ")))
}
