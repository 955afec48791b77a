package cli

import (
	"errors"
	"testing"

	"github.com/spf13/cobra"
)

// Ensure that serve's Kafka flags without --kafka are a usage error, not
// quietly ignored, and that no flags at all read no topic.
func TestHolderKafka_FlagsWithoutBrokers(t *testing.T) {
	for _, args := range [][]string{{"--topic", "events"}, {"--group", "g"}, {"--create"}, {"--format", "csv"}, {"--kafka", "", "--topic", "events"}} {
		var h HolderKafka
		cmd := &cobra.Command{}
		h.Register(cmd)
		if err := cmd.ParseFlags(args); err != nil {
			t.Fatal(err)
		}
		var usage *usageError
		if src, err := h.Source(); src != nil || !errors.As(err, &usage) {
			t.Errorf("%v: source %v, %v; want a usage error", args, src, err)
		}
	}
	var h HolderKafka
	h.Register(&cobra.Command{})
	if src, err := h.Source(); src != nil || err != nil {
		t.Errorf("no flags: %v, %v", src, err)
	}
}
