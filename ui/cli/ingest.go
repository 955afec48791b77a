package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// ingestBatchSize is how many events one transaction (one fsync) commits.
const ingestBatchSize = 50_000

// maxEventLine bounds a JSONL line; a longer one is rejected, not buffered.
const maxEventLine = 1 << 20

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
	var asJSON, create bool
	var format string
	cmd := &cobra.Command{
		Use:   "ingest [--format jsonl|csv] FILE|-",
		Short: "Load experiment events from a JSONL or CSV file (or - for stdin), in batches",
		Args:  exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, name, closeIn, err := env.openInput(args[0])
			if err != nil {
				return err
			}
			defer closeIn()
			if format == "" {
				format = "jsonl"
				if strings.EqualFold(filepath.Ext(name), ".csv") {
					format = "csv"
				}
			}
			ing := &ingester{ctx: cmd.Context(), env: env, opts: store.IngestOptions{Create: create}}
			switch format {
			case "jsonl", "json":
				err = ing.jsonl(in)
			case "csv":
				err = ing.csv(in)
			default:
				return usageErrorf("--format %q: use jsonl or csv", format)
			}
			if err == nil {
				err = ing.flush()
			}
			if err != nil {
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
					fmt.Fprintf(env.Out, "created %s\n", strings.Join(s.Created, ", "))
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
	return needs(core.ActionIngest, cmd)
}

// openInput opens a path argument, or stdin for "-".
func (env *Env) openInput(arg string) (io.Reader, string, func(), error) {
	if arg == "-" {
		if env.In == nil {
			return nil, "", nil, errors.New("no standard input here; pass a file path")
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

// ingester decodes lines into batches and commits each batch.
type ingester struct {
	ctx     context.Context
	env     *Env
	opts    store.IngestOptions
	batch   []core.Event
	lines   []int // input line of each batched event
	summary IngestSummary
}

func (ing *ingester) reject(line int, reason string) {
	ing.summary.Rejected++
	fmt.Fprintf(ing.env.Err, "line %d: %s\n", line, strings.ReplaceAll(reason, "\n", "; "))
}

func (ing *ingester) add(line int, ev core.Event, err error) error {
	if err != nil {
		ing.reject(line, err.Error())
		return nil
	}
	ing.batch = append(ing.batch, ev)
	ing.lines = append(ing.lines, line)
	if len(ing.batch) >= ingestBatchSize {
		return ing.flush()
	}
	return nil
}

func (ing *ingester) flush() error {
	if len(ing.batch) == 0 {
		return nil
	}
	res, err := ing.env.Backend.Ingest(ing.ctx, ing.env.Identity, ing.batch, ing.opts)
	if err != nil {
		return err
	}
	ing.summary.Accepted += res.Accepted
	ing.summary.Duplicates += res.Duplicates
	ing.summary.Created = append(ing.summary.Created, res.Created...)
	for _, r := range res.Rejected {
		ing.reject(ing.lines[r.Index], r.Reason)
	}
	ing.batch, ing.lines = ing.batch[:0], ing.lines[:0]
	return nil
}

func (ing *ingester) jsonl(r io.Reader) error {
	br := bufio.NewReaderSize(r, 1<<16)
	for line := 1; ; line++ {
		raw, tooLong, err := readLine(br)
		if errors.Is(err, io.EOF) && len(raw) == 0 && !tooLong {
			return nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read line %d: %w", line, err)
		}
		ing.summary.Lines++
		switch {
		case tooLong:
			ing.reject(line, fmt.Sprintf("longer than %d bytes", maxEventLine))
		case len(strings.TrimSpace(string(raw))) == 0:
			ing.summary.Lines-- // blank lines are not events
		default:
			ev, derr := core.DecodeEventJSON(raw)
			if aerr := ing.add(line, ev, derr); aerr != nil {
				return aerr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

// readLine returns one line without its newline; a line past maxEventLine
// is consumed and reported as too long.
func readLine(br *bufio.Reader) ([]byte, bool, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > maxEventLine {
			line = nil
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			return nil, true, err
		}
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return []byte(strings.TrimRight(string(line), "\r\n")), false, err
	}
}

func (ing *ingester) csv(r io.Reader) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
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
			return nil
		}
		line, _ := cr.FieldPos(0)
		ing.summary.Lines++
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			ing.reject(perr.Line, perr.Err.Error())
			continue
		}
		if err != nil {
			return err
		}
		ev, derr := header.Event(rec)
		if aerr := ing.add(line, ev, derr); aerr != nil {
			return aerr
		}
	}
}
