package backend

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// produceInTransaction writes lines to the topic in one transaction,
// committed or aborted.
func produceInTransaction(t *testing.T, brokers []string, lines [][]byte, commit bool) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(kafkaTopic), kgo.TransactionalID(fmt.Sprintf("tandem-test-%v", commit)))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx := context.Background()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	records := make([]*kgo.Record, len(lines))
	for i, l := range lines {
		records[i] = &kgo.Record{Key: fmt.Appendf(nil, "%d", i), Value: l}
	}
	if err := cl.ProduceSync(ctx, records...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	if err := cl.EndTransaction(ctx, kgo.TransactionEndTry(commit)); err != nil {
		t.Fatal(err)
	}
}

// Ensure that --until-idle stops on a topic written by a transactional
// producer, whose commit markers take an offset each but hold no record,
// with no lag left, and that the records of an aborted transaction are
// not counted.
func TestIngestKafka_TransactionalTopicGoesIdle(t *testing.T) {
	brokers := startKafka(t, 2)
	lines, events := kafkaEvents(600)
	aborted, _ := kafkaEvents(900)
	produceInTransaction(t, brokers, lines[:300], true)
	produceInTransaction(t, brokers, aborted[600:], false)
	produceInTransaction(t, brokers, lines[300:], true)
	b := kafkaBackend(t)
	p := consume(b, brokers, KafkaSource{Group: "tandem", MaxBatch: 100, IdleStop: time.Second}, nil).wait(t)
	if p.Lag != 0 {
		t.Fatalf("stopped with lag %d, want 0", p.Lag)
	}
	if p.Records != len(lines) {
		t.Fatalf("stored %d records, want the %d committed ones (%+v)", p.Records, len(lines), p)
	}
	assertSameTotals(t, b, events)
}
