package backend

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

const kafkaTopic = "events"

// kafkaEvents are n JSONL events of spring-email, each with its own
// content, and the same decoded: exposures, a conversion for every third
// unit and revenue for every fifth.
func kafkaEvents(n int) ([][]byte, []core.Event) {
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	lines := make([][]byte, n)
	events := make([]core.Event, n)
	for i := range n {
		ev := core.Event{TS: t0.Add(time.Duration(i) * time.Second), Experiment: "spring-email", Variant: []string{"a", "b"}[i%2], Unit: fmt.Sprintf("u%d", i/3), Type: core.EventExposure}
		switch {
		case i%3 == 1 && i%9 == 1:
			ev.Type = core.EventConversion
		case i%3 == 2 && i%15 == 2:
			ev.Type, ev.Value = core.EventRevenue, float64(1+i%40)
		}
		lines[i] = fmt.Appendf(nil, `{"ts":%q,"experiment":%q,"variant":%q,"unit":%q,"type":%q,"value":%g}`, ev.TS.Format(time.RFC3339Nano), ev.Experiment, ev.Variant, ev.Unit, ev.Type, ev.Value)
		events[i] = ev
	}
	return lines, events
}

// kafkaBackend is a workspace with spring-email and no events.
func kafkaBackend(t testing.TB) *Backend {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "k.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Check(context.Background()); err != nil {
			t.Errorf("check: %v", err)
		}
		st.Close()
	})
	b := New(st)
	addSpringEmail(t, b)
	return b
}

// addSpringEmail adds the experiment the Kafka events name.
func addSpringEmail(t testing.TB, b *Backend) {
	t.Helper()
	_, err := b.AddExperiment(context.Background(), admin, core.Experiment{Key: "spring-email", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}})
	if err != nil {
		t.Fatal(err)
	}
}

// startKafka runs an in-process Kafka with the topic in partitions.
func startKafka(t testing.TB, partitions int32) []string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(partitions, kafkaTopic))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

// produce writes lines to the topic, spread over its partitions by key.
func produce(t testing.TB, brokers []string, lines [][]byte) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(kafkaTopic))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	records := make([]*kgo.Record, len(lines))
	for i, l := range lines {
		records[i] = &kgo.Record{Key: fmt.Appendf(nil, "%d", i), Value: l}
	}
	if err := cl.ProduceSync(context.Background(), records...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// consumer is one IngestKafka run on its own goroutine.
type consumer struct {
	mu     sync.Mutex
	last   KafkaProgress
	cancel context.CancelFunc
	done   chan error
}

// consume starts a member of group; after is called with each report.
func consume(b *Backend, brokers []string, src KafkaSource, after func(KafkaProgress, context.CancelFunc)) *consumer {
	ctx, cancel := context.WithCancel(context.Background())
	c := &consumer{cancel: cancel, done: make(chan error, 1)}
	src.Brokers, src.Topic = brokers, kafkaTopic
	go func() {
		c.done <- b.IngestKafka(ctx, admin, src, func(p KafkaProgress) {
			c.mu.Lock()
			c.last = p
			c.mu.Unlock()
			if after != nil {
				after(p, cancel)
			}
		}, nil)
	}()
	return c
}

func (c *consumer) progress() KafkaProgress {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

func (c *consumer) wait(t *testing.T) KafkaProgress {
	t.Helper()
	select {
	case err := <-c.done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the consumer did not stop")
	}
	return c.progress()
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// storedOffsets sums the offsets stored for the group.
func storedOffsets(t *testing.T, b *Backend, group string) int64 {
	t.Helper()
	offsets, err := b.store.SourceOffsets(context.Background(), KafkaStreamName(group, kafkaTopic))
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, o := range offsets {
		sum += o
	}
	return sum
}

// assertSameTotals compares b's totals with a file ingest of events.
func assertSameTotals(t *testing.T, b *Backend, events []core.Event) {
	t.Helper()
	ref := kafkaBackend(t)
	if _, err := ref.Ingest(context.Background(), admin, events, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	want, _ := ref.store.Totals(context.Background(), "spring-email")
	got, _ := b.store.Totals(context.Background(), "spring-email")
	for _, v := range []string{"a", "b"} {
		if got[v] != want[v] || got[v].Exposures == 0 {
			t.Errorf("%s: from Kafka %+v\nfrom the file %+v", v, got[v], want[v])
		}
	}
}

// Ensure that a consumer stopped mid-stream, with records fetched but not
// stored, and started again stores every record exactly once: the
// records its stored batches cover add up to what was produced, and the
// totals are those of ingesting the same events from a file.
func TestIngestKafka_ExactlyOnceAcrossRestart(t *testing.T) {
	brokers := startKafka(t, 3)
	lines, events := kafkaEvents(3000)
	produce(t, brokers, lines)
	b := kafkaBackend(t)
	src := KafkaSource{Group: "tandem", MaxBatch: 200, IdleStop: time.Second}
	first := consume(b, brokers, src, func(p KafkaProgress, stop context.CancelFunc) {
		if p.Batches == 3 {
			stop() // as a crash: what is fetched and not stored is dropped
		}
	}).wait(t)
	if first.Batches != 3 || first.Records == 0 || first.Records >= len(lines) {
		t.Fatalf("first run = %+v", first)
	}
	second := consume(b, brokers, src, nil).wait(t)
	if first.Records+second.Records != len(lines) || second.Lag != 0 {
		t.Fatalf("first run stored %d records, the second %d (lag %d); produced %d", first.Records, second.Records, second.Lag, len(lines))
	}
	if got := storedOffsets(t, b, "tandem"); got != int64(len(lines)) {
		t.Fatalf("stored offsets sum to %d, want %d", got, len(lines))
	}
	assertSameTotals(t, b, events)
}

// Ensure that two members of a group share the topic, a rebalance
// handing partitions from one to the other in the middle of the stream,
// and together store every record exactly once.
func TestIngestKafka_Rebalance(t *testing.T) {
	brokers := startKafka(t, 4)
	lines, events := kafkaEvents(4000)
	b := kafkaBackend(t)
	src := KafkaSource{Group: "tandem", MaxBatch: 100}
	produce(t, brokers, lines[:1000])
	one := consume(b, brokers, src, nil)
	waitFor(t, "the first member to store the first records", func() bool { return storedOffsets(t, b, "tandem") == 1000 })
	two := consume(b, brokers, src, nil)
	// Produce the rest in steps, each once the last is stored, until the
	// second member has joined and stored some.
	// A step waits a little for the rebalance, which takes its own time
	// on a loaded machine, so that the records do not run out first.
	next := 1000
	for ; next < len(lines) && two.progress().Records == 0; next += 50 {
		produce(t, brokers, lines[next:next+50])
		waitFor(t, "the step to be stored", func() bool { return storedOffsets(t, b, "tandem") == int64(next+50) })
		time.Sleep(100 * time.Millisecond)
	}
	produce(t, brokers, lines[next:])
	waitFor(t, "every record to be stored", func() bool { return storedOffsets(t, b, "tandem") == int64(len(lines)) })
	one.cancel()
	two.cancel()
	p1, p2 := one.wait(t), two.wait(t)
	if p2.Records == 0 || p1.Records+p2.Records != len(lines) {
		t.Fatalf("members stored %d and %d records; produced %d", p1.Records, p2.Records, len(lines))
	}
	assertSameTotals(t, b, events)
}

// restartableBroker is a one-broker cluster that keeps its data and port
// across a stop and a start, as a real broker's restart does.
type restartableBroker struct {
	dir     string
	port    int
	brokers []string
	c       *kfake.Cluster
}

func newRestartableBroker(t *testing.T) *restartableBroker {
	t.Helper()
	r := &restartableBroker{dir: t.TempDir()}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, kafkaTopic), kfake.DataDir(r.dir))
	if err != nil {
		t.Fatal(err)
	}
	r.c, r.brokers = c, c.ListenAddrs()
	_, portText, _ := strings.Cut(r.brokers[0], "127.0.0.1:")
	if r.port, err = strconv.Atoi(portText); err != nil {
		c.Close()
		t.Fatalf("broker address %q: %v", r.brokers[0], err)
	}
	return r
}

// stop takes the broker down, its data kept.
func (r *restartableBroker) stop() { r.c.Close() }

// restart brings it back on its port with its data.
func (r *restartableBroker) restart(t *testing.T) {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(r.port), kfake.DataDir(r.dir))
	if err != nil {
		t.Fatal(err)
	}
	r.c = c
	t.Cleanup(c.Close)
}

// Ensure that a consumer outlives its broker's restart: it reconnects and
// stores what is produced after, every record once.
func TestIngestKafka_BrokerRestart(t *testing.T) {
	broker := newRestartableBroker(t)
	brokers := broker.brokers
	lines, events := kafkaEvents(2000)
	produce(t, brokers, lines[:1000])
	b := kafkaBackend(t)
	one := consume(b, brokers, KafkaSource{Group: "tandem", MaxBatch: 300}, nil)
	waitFor(t, "the first half to be stored", func() bool { return storedOffsets(t, b, "tandem") == 1000 })
	broker.stop()
	broker.restart(t)
	produce(t, brokers, lines[1000:])
	waitFor(t, "the second half to be stored", func() bool { return storedOffsets(t, b, "tandem") == 2000 })
	one.cancel()
	if p := one.wait(t); p.Records != len(lines) {
		t.Fatalf("stored %d records, produced %d", p.Records, len(lines))
	}
	assertSameTotals(t, b, events)
}
