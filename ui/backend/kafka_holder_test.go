package backend

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"
)

// statusSources are the sources b's status shows.
func statusSources(t *testing.T, b *Backend) []SourceStatus {
	t.Helper()
	st, err := b.Status(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return st.Sources
}

// heldSource is the status of the one source b holds.
func heldSource(t *testing.T, b *Backend) SourceStatus {
	t.Helper()
	s := statusSources(t, b)
	if len(s) != 1 {
		t.Fatalf("status has %d sources, want 1", len(s))
	}
	return s[0]
}

// Ensure that the holder's consumer stores what is produced, shows its
// lag in Status, shows the error it backs off from while its broker is
// away and reads again once the broker is back, and stops when the
// holder shuts down.
func TestHoldKafka(t *testing.T) {
	broker := newRestartableBroker(t)
	brokers := broker.brokers
	lines, events := kafkaEvents(2000)
	b := kafkaBackend(t)
	ctx, cancel := context.WithCancel(context.Background())
	held := make(chan struct{})
	go func() {
		defer close(held)
		b.HoldKafka(ctx, admin, KafkaSource{Brokers: brokers, Topic: kafkaTopic, Group: "tandem", MaxBatch: 300}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	defer func() { cancel(); <-held }()

	produce(t, brokers, lines[:1000])
	waitFor(t, "the first half to be stored", func() bool { return storedOffsets(t, b, "tandem") == 1000 })
	waitFor(t, "the status to show it", func() bool { s := heldSource(t, b); return s.Records == 1000 && s.Lag == 0 })
	if s := heldSource(t, b); s.State != SourceReading || s.LastBatch == nil || s.LastError != "" || s.Topic != kafkaTopic || s.Group != "tandem" {
		t.Fatalf("status while reading = %+v", s)
	}

	broker.stop()
	waitFor(t, "the broker's absence to show", func() bool {
		s := heldSource(t, b)
		return s.State == SourceRetrying && strings.Contains(s.LastError, "dial")
	})
	broker.restart(t)
	produce(t, brokers, lines[1000:])
	waitFor(t, "the second half to be stored", func() bool { return storedOffsets(t, b, "tandem") == 2000 })
	waitFor(t, "the status to show it", func() bool { s := heldSource(t, b); return s.Records == 2000 && s.State == SourceReading })
	if s := heldSource(t, b); s.LastError == "" || s.LastErrorAt == nil {
		t.Fatalf("the last error was forgotten once reading again: %+v", s)
	}
	assertSameTotals(t, b, events)

	cancel()
	select {
	case <-held:
	case <-time.After(30 * time.Second):
		t.Fatal("the holder's consumer did not stop")
	}
	if s := heldSource(t, b); s.State != SourceStopped {
		t.Fatalf("after shutdown: %+v", s)
	}
}

// Ensure that a holder whose brokers do not answer says so in Status at
// once, rather than waiting on the group's own retries, and keeps trying.
func TestHoldKafka_NoBroker(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	b := kafkaBackend(t)
	ctx, cancel := context.WithCancel(context.Background())
	held := make(chan struct{})
	go func() {
		defer close(held)
		b.HoldKafka(ctx, admin, KafkaSource{Brokers: []string{addr}, Topic: kafkaTopic, Group: "tandem"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	defer func() { cancel(); <-held }()
	start := time.Now()
	waitFor(t, "the missing broker to show", func() bool {
		s := statusSources(t, b)
		return len(s) == 1 && s[0].State == SourceRetrying && strings.Contains(s[0].LastError, "no broker answers")
	})
	if waited := time.Since(start); waited > 15*time.Second {
		t.Fatalf("the missing broker showed after %v", waited)
	}
}
