package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// KafkaIngestSummary is what `tandem ingest --kafka --json` prints when it
// stops.
type KafkaIngestSummary struct {
	Topic      string `json:"topic"`
	Group      string `json:"group"`
	Records    int    `json:"records"`
	Accepted   int    `json:"accepted"`
	Duplicates int    `json:"duplicates"`
	Rejected   int    `json:"rejected"`
	Batches    int    `json:"batches"`
	Lag        int64  `json:"lag_records"`
}

// kafkaFlags are ingest's flags for reading a Kafka topic.
type kafkaFlags struct {
	brokers, topic, group string
	columns               []string
	untilIdle             time.Duration
}

func (f *kafkaFlags) register(cmd *cobra.Command) {
	f.registerSource(cmd)
	cmd.Flags().DurationVar(&f.untilIdle, "until-idle", 0, "with --kafka: stop once nothing has arrived for this long (default: run until interrupted)")
}

// registerSource registers the flags that name the topic and how to read it.
func (f *kafkaFlags) registerSource(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.brokers, "kafka", "", "read events from Kafka: the brokers, comma-separated (host:port,...)")
	cmd.Flags().StringVar(&f.topic, "topic", "", "with --kafka: the topic to read")
	cmd.Flags().StringVar(&f.group, "group", "tandem", "with --kafka: the consumer group; members of one group share the partitions")
	cmd.Flags().StringSliceVar(&f.columns, "columns", nil, "with --kafka --format csv: the records' columns (default "+strings.Join(backend.DefaultKafkaColumns(), ",")+")")
}

// source is the topic the flags name, read in format, checked before any
// broker is dialled: a usage error otherwise.
func (f *kafkaFlags) source(format string, create bool) (backend.KafkaSource, error) {
	if f.topic == "" {
		return backend.KafkaSource{}, usageErrorf("--kafka needs --topic")
	}
	if format == "" {
		format = "jsonl"
	}
	var brokers []string
	for b := range strings.SplitSeq(f.brokers, ",") {
		if b = strings.TrimSpace(b); b != "" {
			brokers = append(brokers, b)
		}
	}
	if len(brokers) == 0 || f.group == "" {
		return backend.KafkaSource{}, usageErrorf("--kafka needs brokers such as localhost:9092, and --group a name")
	}
	src := backend.KafkaSource{Brokers: brokers, Topic: f.topic, Group: f.group, Format: format, Columns: f.columns, Create: create, IdleStop: f.untilIdle}
	return src, backend.CheckKafkaSource(src)
}

// minKafkaReport is how often progress is printed at most.
const minKafkaReport = time.Second

// runKafka consumes the topic until interrupted (or idle), printing
// progress and refused lines to stderr and a summary when it stops.
func runKafka(cmd *cobra.Command, env *Env, f kafkaFlags, format string, create, asJSON bool) error {
	if env.Remote {
		return &localOnlyError{"ingest --kafka"}
	}
	src, err := f.source(format, create)
	if err != nil {
		return err
	}
	var last KafkaIngestSummary
	var printed time.Time
	progress := func(p backend.KafkaProgress) {
		last = KafkaIngestSummary{Topic: f.topic, Group: f.group, Records: p.Records, Accepted: p.Accepted, Duplicates: p.Duplicates, Rejected: p.Rejected, Batches: p.Batches, Lag: p.Lag}
		switch {
		case p.Retry != nil:
			fmt.Fprintf(env.Err, "kafka: %s; retrying\n", sanitize.Line(p.Retry.Error()))
		case time.Since(printed) >= minKafkaReport:
			printed = time.Now()
			fmt.Fprintf(env.Err, "kafka %s: %d records, %d accepted, %d duplicates, %d rejected, lag %d\n", sanitize.Line(f.topic), p.Records, p.Accepted, p.Duplicates, p.Rejected, p.Lag)
		}
	}
	reject := func(r backend.KafkaReject) {
		fmt.Fprintf(env.Err, "partition %d offset %d: %s\n", r.Partition, r.Offset, sanitize.Line(strings.ReplaceAll(r.Reason, "\n", "; ")))
	}
	ctx := cmd.Context()
	err = env.Backend.IngestKafka(ctx, env.Identity, src, progress, reject)
	if cause := context.Cause(ctx); err == nil && cause != nil && !errors.Is(cause, context.Canceled) {
		err = cause
	}
	last.Topic, last.Group = f.topic, f.group
	var field *core.FieldError
	switch {
	case errors.As(err, &field):
		return err // a bad --format or --columns: nothing was read
	case err != nil:
		return fmt.Errorf("ingest from kafka topic %s: %w (the %d records of stored batches are kept; running again resumes after them)", f.topic, err, last.Records)
	}
	if asJSON {
		if err := writeJSON(env.Out, last); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(env.Out, "%d records: %d accepted, %d duplicates skipped, %d rejected; lag %d\n", last.Records, last.Accepted, last.Duplicates, last.Rejected, last.Lag)
	}
	if last.Rejected > 0 {
		return &rejectedError{last.Rejected}
	}
	return nil
}
