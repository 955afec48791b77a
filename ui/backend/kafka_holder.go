package backend

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/tandem-ops/tandem/core"
)

// SourceStatus is a stream the process holding the workspace reads, as
// `tandem status` shows it.
type SourceStatus struct {
	Kind  string `json:"kind"` // kafka
	Topic string `json:"topic"`
	Group string `json:"group"`
	// State is connecting (no batch stored yet), reading, retrying (backing
	// off from LastError) or stopped.
	State      string `json:"state"`
	Records    int    `json:"records"`
	Accepted   int    `json:"accepted"`
	Duplicates int    `json:"duplicates"`
	Rejected   int    `json:"rejected"`
	Lag        int64  `json:"lag_records"`
	// LastBatch is when a batch was last stored; LastError, the last error
	// the consumer backed off from, and when, is kept once it reads again.
	LastBatch   *time.Time `json:"last_batch_at,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	LastErrorAt *time.Time `json:"last_error_at,omitempty"`
}

// The states of a held source.
const (
	SourceConnecting = "connecting"
	SourceReading    = "reading"
	SourceRetrying   = "retrying"
	SourceStopped    = "stopped"
)

// heldSources are the streams this process reads, for Status.
type heldSources struct {
	mu      sync.Mutex
	streams []*SourceStatus
}

func (h *heldSources) add(s *SourceStatus) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.streams = append(h.streams, s)
}

// update changes s under the lock readers take.
func (h *heldSources) update(s *SourceStatus, change func(*SourceStatus)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	change(s)
}

// list copies every stream's status.
func (h *heldSources) list() []SourceStatus {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]SourceStatus, len(h.streams))
	for i, s := range h.streams {
		out[i] = *s
	}
	return out
}

// maxGroup bounds a consumer group's name.
const maxGroup = 255

// validTopic reports whether t is a name Kafka accepts for a topic.
func validTopic(t string) bool {
	return t != "" && len(t) <= 249 && !strings.ContainsFunc(t, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	})
}

// CheckKafkaSource checks what can be checked of src before any broker is
// dialled: its topic, group and record format.
func CheckKafkaSource(src KafkaSource) error {
	switch {
	case len(src.Brokers) == 0:
		return &core.FieldError{Record: "kafka source", Field: "brokers", Problem: "is empty; name them as host:port,..."}
	case !validTopic(src.Topic):
		return &core.FieldError{Record: "kafka source", Field: "topic", Problem: "is not a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'"}
	case src.Group == "" || len(src.Group) > maxGroup || strings.ContainsFunc(src.Group, func(r rune) bool { return !unicode.IsPrint(r) }):
		return &core.FieldError{Record: "kafka source", Field: "group", Problem: fmt.Sprintf("is not a group name: 1 to %d printable characters", maxGroup)}
	}
	_, err := newRecordDecoder(src.Format, src.Columns)
	return err
}

// HoldKafka reads src for who in the process holding the workspace (the
// cockpit or `serve`) until ctx ends, as IngestKafka does, and keeps its
// progress, lag and last error for Status. A consumer that stops on an
// error is started again after a backoff (100 ms doubling to 5 s), since a
// holder has nobody watching its stderr; refused lines and errors go to
// log.
func (b *Backend) HoldKafka(ctx context.Context, who core.Identity, src KafkaSource, log *slog.Logger) {
	st := &SourceStatus{Kind: "kafka", Topic: src.Topic, Group: src.Group, State: SourceConnecting}
	b.sources.add(st)
	defer b.sources.update(st, func(s *SourceStatus) { s.State = SourceStopped })
	failed := func(err error) {
		now := time.Now().UTC()
		b.sources.update(st, func(s *SourceStatus) { s.State, s.LastError, s.LastErrorAt = SourceRetrying, err.Error(), &now })
		log.Warn("kafka: retrying", "topic", src.Topic, "err", err)
	}
	var base, run KafkaProgress // what earlier runs stored; this run's progress
	progress := func(p KafkaProgress) {
		run = p
		if p.Retry != nil {
			failed(p.Retry)
			return
		}
		now := time.Now().UTC()
		b.sources.update(st, func(s *SourceStatus) {
			s.State, s.LastBatch, s.Lag = SourceReading, &now, p.Lag
			s.Records, s.Accepted = base.Records+p.Records, base.Accepted+p.Accepted
			s.Duplicates, s.Rejected = base.Duplicates+p.Duplicates, base.Rejected+p.Rejected
		})
	}
	reject := func(r KafkaReject) {
		log.Warn("kafka: line refused", "topic", src.Topic, "partition", r.Partition, "offset", r.Offset, "reason", r.Reason)
	}
	for retries := 1; ; retries++ {
		run = KafkaProgress{}
		err := b.IngestKafka(ctx, who, src, progress, reject)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			failed(err)
		}
		if run.Batches > 0 {
			retries = 1 // it read for a while: a new failure, not the same one again
		}
		base.Records, base.Accepted, base.Duplicates, base.Rejected = base.Records+run.Records, base.Accepted+run.Accepted, base.Duplicates+run.Duplicates, base.Rejected+run.Rejected
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff(retries)):
		}
	}
}
