package cli

import (
	"fmt"
	"path/filepath"
	"strings"

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
				in, name, closeIn, err := env.openInput(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				defer closeIn()
				return runAggregates(cmd, env, in, name, format, asJSON)
			}
			switch format {
			case "jsonl", "json":
				format = backend.FormatJSONL
			case "csv":
				format = backend.FormatCSV
			default:
				return usageErrorf("--format %q: use jsonl or csv", format)
			}
			in, name, closeIn, err := env.openInput(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer closeIn()
			res, err := env.Backend.IngestStream(cmd.Context(), env.Identity, in, backend.StreamOptions{
				Format: format,
				Create: create,
				Reject: func(line int, reason string) {
					fmt.Fprintf(env.Err, "line %d: %s\n", line, sanitize.Line(strings.ReplaceAll(reason, "\n", "; ")))
				},
			})
			if err != nil {
				if res.Accepted > 0 {
					return fmt.Errorf("ingest %s: %w (the %d events accepted before this point are stored)", name, err, res.Accepted)
				}
				return fmt.Errorf("ingest %s: %w", name, err)
			}
			s := IngestSummary(res)
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
