package main

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// lockedBuffer is a process's output, read while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Ensure, from the built binary, that `serve --kafka` reads a topic as
// it serves: what is produced is counted, `tandem status` (forwarded to
// the server) shows the consumer's progress and lag, and SIGTERM stops
// the consumer and the server cleanly.
func TestBinary_ServeKafka(t *testing.T) {
	dir, bin := buildBinary(t)
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "events"))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	brokers := cluster.ListenAddrs()[0]
	ws := newBinaryWorkspace(dir, bin)
	tandem := func(args ...string) string { t.Helper(); return ws.run(t, args...) }
	tandem("experiment", "add", "spring-email", "--variants", "a,b")

	serve := ws.command("serve", "--listen", "127.0.0.1:0", "--kafka", brokers, "--topic", "events", "--group", "cockpit")
	var out, errOut lockedBuffer
	serve.Stdout, serve.Stderr = &out, &errOut
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- serve.Wait() }()
	defer func() {
		if serve.ProcessState == nil {
			_ = serve.Process.Kill()
			<-exited
		}
	}()
	waitUntil(t, "serve to start reading", func() bool { return strings.Contains(out.String(), "reading kafka topic events") })

	producer, err := kgo.NewClient(kgo.SeedBrokers(brokers), kgo.DefaultProduceTopic("events"))
	if err != nil {
		t.Fatal(err)
	}
	defer producer.Close()
	var records []*kgo.Record
	for _, l := range []string{
		`{"ts":"2026-11-01T10:00:00Z","experiment":"spring-email","variant":"a","unit":"u-1","type":"exposure"}`,
		`{"ts":"2026-11-01T10:00:01Z","experiment":"spring-email","variant":"b","unit":"u-2","type":"exposure"}`,
		`{"ts":"2026-11-01T10:05:00Z","experiment":"spring-email","variant":"b","unit":"u-2","type":"conversion"}`,
		"not an event\x1b[2J",
	} {
		records = append(records, &kgo.Record{Value: []byte(l)})
	}
	if err := producer.ProduceSync(context.Background(), records...).FirstErr(); err != nil {
		t.Fatal(err)
	}

	var status struct {
		Sources []struct {
			Topic, Group, State string
			Records, Accepted   int
			Rejected            int
			Lag                 int64 `json:"lag_records"`
		}
	}
	waitUntil(t, "status to show the records stored", func() bool {
		if err := json.Unmarshal([]byte(tandem("status", "--json")), &status); err != nil {
			t.Fatal(err)
		}
		return len(status.Sources) == 1 && status.Sources[0].Records == 4
	})
	if s := status.Sources[0]; s.Topic != "events" || s.Group != "cockpit" || s.State != "reading" || s.Accepted != 3 || s.Rejected != 1 || s.Lag != 0 {
		t.Fatalf("status = %+v", s)
	}
	if text := tandem("status"); !strings.Contains(text, "kafka events (group cockpit)") || !strings.Contains(text, "reading, lag 0 records, 4 stored (3 accepted") {
		t.Fatalf("status:\n%s", text)
	}
	var show struct {
		Arms []struct {
			Totals struct{ Exposures, Converters int }
		}
	}
	if err := json.Unmarshal([]byte(tandem("experiment", "show", "spring-email", "--json")), &show); err != nil {
		t.Fatal(err)
	}
	if len(show.Arms) != 2 || show.Arms[0].Totals.Exposures != 1 || show.Arms[1].Totals.Exposures != 1 || show.Arms[1].Totals.Converters != 1 {
		t.Fatalf("arms = %+v, want a unit in each, b's converting", show.Arms)
	}
	if strings.Contains(errOut.String(), "\x1b") || !strings.Contains(errOut.String(), "line refused") {
		t.Fatalf("serve's log:\n%q", errOut.String())
	}

	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v\n%s", err, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
}

// waitUntil polls cond until it holds or a deadline passes.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
