package cli

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// AggregatesSummary is what `tandem ingest --aggregates --json` prints.
type AggregatesSummary struct {
	Rows     int `json:"rows"`
	Added    int `json:"added"`
	Replaced int `json:"replaced"`
	Rejected int `json:"rejected"`
}

// maxAggregateRows bounds one file: a warehouse's daily rows per variant
// and segment are few; more is a query that forgot to group.
const maxAggregateRows = 1_000_000

// runAggregates stores a warehouse query's rows from a CSV (header row) or
// JSONL file in one transaction, naming each refused line on stderr.
func runAggregates(cmd *cobra.Command, env *Env, in io.Reader, name, format string, asJSON bool) error {
	var rows []core.AggregateRow
	var lines []int
	var rejects []lineReject
	add := func(line int, r core.AggregateRow, err error) error {
		if err != nil {
			rejects = append(rejects, lineReject{line, err.Error()})
			return nil
		}
		if len(rows) == maxAggregateRows {
			return usageErrorf("%s has more than %d rows; group the query by day, variant and segment", name, maxAggregateRows)
		}
		rows, lines = append(rows, r), append(lines, line)
		return nil
	}
	var err error
	switch format {
	case "csv":
		err = decodeAggregatesCSV(in, add)
	case "jsonl", "json":
		err = decodeAggregatesJSONL(in, add)
	default:
		return usageErrorf("--format %q: use jsonl or csv", format)
	}
	if err != nil {
		return fmt.Errorf("read aggregates from %s: %w", name, err)
	}
	res, err := env.Backend.IngestAggregates(cmd.Context(), env.Identity, rows)
	if err != nil {
		return err
	}
	s := AggregatesSummary{Rows: len(rows) + len(rejects), Added: res.Added, Replaced: res.Replaced}
	for _, r := range res.Rejected {
		rejects = append(rejects, lineReject{lines[r.Index], r.Reason})
	}
	for _, r := range rejects {
		fmt.Fprintf(env.Err, "line %d: %s\n", r.line, sanitize.Line(strings.ReplaceAll(r.reason, "\n", "; ")))
	}
	s.Rejected = len(rejects)
	if asJSON {
		if err := writeJSON(env.Out, s); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(env.Out, "%d rows: %d added, %d replaced, %d rejected\n", s.Rows, s.Added, s.Replaced, s.Rejected)
	}
	if s.Rejected > 0 {
		return &rejectedError{s.Rejected}
	}
	return nil
}

func decodeAggregatesJSONL(in io.Reader, add func(int, core.AggregateRow, error) error) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		r, err := core.DecodeAggregateJSON([]byte(text))
		if err := add(line, r, err); err != nil {
			return err
		}
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return usageErrorf("a line is longer than 1 MB; is this an aggregates file?")
	}
	return sc.Err()
}

func decodeAggregatesCSV(in io.Reader, add func(int, core.AggregateRow, error) error) error {
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1
	record, err := r.Read()
	if err != nil {
		return usageErrorf("no header row: %v", err)
	}
	h, err := core.ParseAggregateHeader(record)
	if err != nil {
		return usageErrorf("line 1: %v", err)
	}
	for {
		record, err := r.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return err
			}
			if err := add(pe.Line, core.AggregateRow{}, fmt.Errorf("not a CSV record: %v", pe.Err)); err != nil {
				return err
			}
			continue
		}
		row, rowErr := h.Row(record)
		if err := add(line, row, rowErr); err != nil {
			return err
		}
	}
}

// lineReject is an input line refused, and why.
type lineReject struct {
	line   int
	reason string
}
