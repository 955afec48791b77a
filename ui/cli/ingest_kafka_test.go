package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Ensure that ingest --kafka stores a topic's events, names each refused
// record by partition and offset, exits 2 when any was refused, resumes
// after what it stored on a second run, and is refused over SSH.
func TestIngest_Kafka(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "events"))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	brokers := cluster.ListenAddrs()[0]
	producer, err := kgo.NewClient(kgo.SeedBrokers(brokers), kgo.DefaultProduceTopic("events"))
	if err != nil {
		t.Fatal(err)
	}
	defer producer.Close()
	var records []*kgo.Record
	for _, l := range append(strings.Split(strings.TrimSpace(goodLines), "\n"), "not json at all\x1b[31m") {
		records = append(records, &kgo.Record{Value: []byte(l)})
	}
	if err := producer.ProduceSync(context.Background(), records...).FirstErr(); err != nil {
		t.Fatal(err)
	}

	be := mustOpenBackend(t)
	if code, _, errOut := run(t, be, admin, "experiment", "add", "spring-email", "--variants", "a,b"); code != 0 {
		t.Fatalf("experiment add: %s", errOut)
	}
	args := []string{"ingest", "--kafka", brokers, "--topic", "events", "--until-idle", "500ms", "--json"}
	code, out, errOut := run(t, be, admin, args...)
	if code != ExitRejected || !strings.Contains(errOut, "partition 0 offset 4: not a JSON event") || strings.Contains(errOut, "\x1b") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var s KafkaIngestSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if s.Records != 5 || s.Accepted != 3 || s.Rejected != 1 || s.Lag != 0 {
		t.Fatalf("summary = %+v", s)
	}
	code, out, errOut = run(t, be, admin, args...)
	if code != 0 || !strings.Contains(out, `"records": 0`) {
		t.Fatalf("second run: exit %d, %q, %q", code, out, errOut)
	}
	totals, _ := be.Totals(context.Background(), "spring-email")
	if totals["b"].Exposures != 1 || totals["b"].Converters != 1 || totals["a"].Exposures != 1 {
		t.Fatalf("totals = %+v", totals)
	}

	var remoteOut, remoteErr bytes.Buffer
	call := Call{Identity: admin, Args: args, Remote: true}
	if code := Run(context.Background(), be, call, nil, &remoteOut, &remoteErr); code != ExitPermission {
		t.Fatalf("over SSH: exit %d, %q", code, remoteErr.String())
	}
}

// Ensure that a bad --format, --columns, --topic or --group with --kafka is
// a usage error said before any broker is dialled.
func TestIngest_KafkaBadFormat(t *testing.T) {
	be := mustOpenBackend(t)
	for _, args := range [][]string{{"--format", "xml"}, {"--format", "csv", "--columns", "ts,nope"}, {"--topic", "ev\x1b[31mil"}, {"--group", "a\nb"}} {
		all := append([]string{"ingest", "--kafka", "127.0.0.1:1", "--topic", "events"}, args...)
		if code, _, errOut := run(t, be, admin, all...); code != ExitUsage || strings.Count(errOut, "\n") != 1 || strings.Contains(errOut, "records of stored batches") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

// Ensure that ingest --kafka --until-idle against brokers that do not
// answer gives up once idle that long, exit 1 naming the problem, rather
// than waiting for ever.
func TestIngest_KafkaNoBroker(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	be := mustOpenBackend(t)
	code, _, errOut := run(t, be, admin, "ingest", "--kafka", addr, "--topic", "events", "--until-idle", "300ms")
	if code != ExitFailure || !strings.Contains(errOut, "no broker answers") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
}
