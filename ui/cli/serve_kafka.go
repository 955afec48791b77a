package cli

import (
	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/ui/backend"
)

// HolderKafka are the flags with which the process holding the workspace
// (`serve`) reads a Kafka topic as it runs, as `ingest --kafka` does
// alone.
type HolderKafka struct {
	flags  kafkaFlags
	format string
	create bool
}

// Register adds the flags to cmd.
func (h *HolderKafka) Register(cmd *cobra.Command) {
	h.flags.registerSource(cmd)
	cmd.Flags().StringVar(&h.format, "format", "jsonl", "with --kafka: jsonl or csv records")
	cmd.Flags().BoolVar(&h.create, "create", false, "with --kafka: create experiments and variants the events name")
}

// Source is the topic the flags name, nil without --kafka, or a usage
// error said before any broker is dialled.
func (h *HolderKafka) Source() (*backend.KafkaSource, error) {
	if h.flags.brokers == "" {
		if h.flags.topic != "" || h.flags.group != "tandem" || len(h.flags.columns) > 0 || h.create || h.format != "jsonl" {
			return nil, usageErrorf("--topic, --group, --columns, --format and --create read a Kafka topic; name its brokers with --kafka HOST:PORT")
		}
		return nil, nil
	}
	src, err := h.flags.source(h.format, h.create)
	if err != nil {
		return nil, err
	}
	return &src, nil
}
