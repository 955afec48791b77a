package backend

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/store"
)

// kafkaKillChildEnv carries the database path and broker address to a
// re-executed test binary that consumes until it is killed.
const kafkaKillChildEnv = "TANDEM_KAFKA_KILL_CHILD"

// TestKafkaKillChild is the child side of TestIngestKafka_KilledMidBatch;
// it does nothing in a normal run. It prints a line for each stored batch.
func TestKafkaKillChild(t *testing.T) {
	db, broker, ok := strings.Cut(os.Getenv(kafkaKillChildEnv), "|")
	if !ok {
		t.Skip("runs only as TestIngestKafka_KilledMidBatch's child")
	}
	st, err := store.Open(db, store.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	b := New(st)
	src := KafkaSource{Brokers: []string{broker}, Topic: kafkaTopic, Group: "tandem", MaxBatch: 200}
	err = b.IngestKafka(context.Background(), admin, src, func(p KafkaProgress) {
		fmt.Printf("batch %d\n", p.Batches)
	}, nil)
	t.Fatalf("the consumer stopped: %v", err)
}

// Ensure that a consumer killed with SIGKILL while it works through the
// stream (its next batch fetched, decoding or committing) loses nothing
// and counts nothing twice: the next consumer resumes at exactly the
// stored offsets, and the totals are those of a file ingest.
func TestIngestKafka_KilledMidBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the killed member's group session")
	}
	brokers := startKafka(t, 2)
	lines, events := kafkaEvents(20_000)
	produce(t, brokers, lines)
	db := filepath.Join(t.TempDir(), "k.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	addSpringEmail(t, New(st))
	st.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestKafkaKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), kafkaKillChildEnv+"="+db+"|"+brokers[0])
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "batch 5" {
	}
	_ = cmd.Process.Signal(syscall.SIGKILL) // at once: the sixth batch is under way
	_ = cmd.Wait()

	st, err = store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Check(context.Background()); err != nil {
		t.Fatalf("after the kill: %v", err)
	}
	b := New(st)
	t.Cleanup(func() { st.Close() })
	before := storedOffsets(t, b, "tandem")
	if before == 0 || before >= int64(len(lines)) {
		t.Fatalf("the killed consumer stored %d of %d records", before, len(lines))
	}
	next := consume(b, brokers, KafkaSource{Group: "tandem", MaxBatch: 2000}, nil)
	// It gets the partitions once the killed member's session ends.
	waitFor(t, "every record to be stored", func() bool { return storedOffsets(t, b, "tandem") == int64(len(lines)) })
	next.cancel()
	rest := next.wait(t)
	if int64(rest.Records) != int64(len(lines))-before || storedOffsets(t, b, "tandem") != int64(len(lines)) {
		t.Fatalf("the killed consumer stored %d records, the next %d; produced %d", before, rest.Records, len(lines))
	}
	assertSameTotals(t, b, events)
}
