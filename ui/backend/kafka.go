package backend

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// KafkaSource is a topic IngestKafka reads events from.
type KafkaSource struct {
	Brokers []string
	Topic   string
	// Group is the consumer group: consumers of one group share the
	// topic's partitions, and the offsets stored for it.
	Group string
	// Format is jsonl (the default) or csv; CSV records are read by
	// Columns (DefaultKafkaColumns when empty), having no header row.
	Format  string
	Columns []string
	// Create adds experiments and variants the events name.
	Create bool
	// MaxBatch is the most records one transaction stores (default 50,000).
	MaxBatch int
	// IdleStop, when positive, stops IngestKafka once a poll has waited
	// this long for records while nothing is left to read.
	IdleStop time.Duration
}

// KafkaProgress is what IngestKafka has stored so far, reported after
// every batch it stores.
type KafkaProgress struct {
	// Records counts the records of stored batches, each once.
	Records    int
	Accepted   int
	Duplicates int
	Rejected   int
	Batches    int
	// Lag is how many records the assigned partitions held past the last
	// stored batch when it was fetched.
	Lag int64
	// Retry, when set, is the error the consumer is backing off from.
	Retry error
}

// KafkaReject is one refused line: where it came from and why.
type KafkaReject struct {
	Partition int32
	Offset    int64
	Reason    string
}

// SourceBatch and OffsetRange say which stretch of a stream a batch of
// events covers.
type (
	SourceBatch = store.SourceBatch
	OffsetRange = store.OffsetRange
)

// The wait before the consumer retries after an error doubles from
// kafkaBackoffFirst up to kafkaBackoffMax.
const (
	kafkaBackoffFirst = 100 * time.Millisecond
	kafkaBackoffMax   = 5 * time.Second

	kafkaSessionTimeout = 10 * time.Second
	// kafkaPingTimeout bounds the first contact with the brokers.
	kafkaPingTimeout = 5 * time.Second
)

// KafkaStreamName is the name a topic's offsets are stored under for a
// consumer group.
func KafkaStreamName(group, topic string) string { return "kafka/" + group + "/" + topic }

// IngestKafka reads events from a Kafka topic as a member of a consumer
// group and stores them as they come, until ctx ends (or, with IdleStop,
// until nothing is left to read). Each batch of records and the partition
// offsets after it are stored in one transaction, and on joining the
// group, or taking over partitions from another member, the consumer
// starts from the stored offsets: a crash or a rebalance never counts a
// record twice nor skips one. A batch another member stored first is
// refused by the store and read again from the stored offsets.
func (b *Backend) IngestKafka(ctx context.Context, who core.Identity, src KafkaSource, progress func(KafkaProgress), reject func(KafkaReject)) error {
	if err := core.Authorize(who, core.ActionIngest); err != nil {
		return err
	}
	if err := CheckKafkaSource(src); err != nil {
		return err
	}
	dec, err := newRecordDecoder(src.Format, src.Columns)
	if err != nil {
		return err
	}
	c := &kafkaConsumer{b: b, who: who, src: src, dec: dec, name: KafkaStreamName(src.Group, src.Topic), next: map[int32]int64{}, progress: progress, reject: reject}
	if c.src.MaxBatch <= 0 {
		c.src.MaxBatch = 50_000
	}
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(src.Brokers...),
		kgo.ConsumerGroup(src.Group),
		kgo.ConsumeTopics(src.Topic),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		// A transactional producer's aborted records are never counted;
		// its commit and abort markers each take an offset, which a batch
		// must cover for the lag to reach 0 (store).
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(),
		kgo.AdjustFetchOffsetsFn(c.seekStored),
		kgo.OnPartitionsRevoked(c.forget),
		kgo.OnPartitionsLost(c.forget),
		kgo.RetryBackoffFn(backoff),
		kgo.FetchMaxWait(250*time.Millisecond),
		// A member that dies holds its partitions until its session ends;
		// Kafka's old default of 10 s, not 45 s, lets a restarted consumer
		// resume soon.
		kgo.SessionTimeout(kafkaSessionTimeout),
		kgo.FetchMaxPartitionBytes(8<<20),
	)
	if err != nil {
		return fmt.Errorf("kafka %v: %w", src.Brokers, err)
	}
	defer cl.Close()
	return c.run(ctx, cl)
}

// backoff is the wait before retry n (from 1).
func backoff(n int) time.Duration {
	return min(kafkaBackoffFirst<<min(max(n-1, 0), 16), kafkaBackoffMax)
}

// kafkaConsumer is one IngestKafka run.
type kafkaConsumer struct {
	b    *Backend
	who  core.Identity
	src  KafkaSource
	dec  *recordDecoder
	name string
	// next is each assigned partition's next offset to store from, as
	// stored, or as first fetched where nothing is stored yet; guarded by
	// mu, since the group's callbacks run on the client's goroutines.
	mu       sync.Mutex
	next     map[int32]int64
	total    KafkaProgress
	progress func(KafkaProgress)
	reject   func(KafkaReject)
}

// seekStored starts each assigned partition at its stored offset.
func (c *kafkaConsumer) seekStored(ctx context.Context, offsets map[string]map[int32]kgo.Offset) (map[string]map[int32]kgo.Offset, error) {
	stored, err := c.b.store.SourceOffsets(ctx, c.name)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for p := range offsets[c.src.Topic] {
		if o, ok := stored[p]; ok {
			offsets[c.src.Topic][p] = kgo.NewOffset().At(o).WithEpoch(-1)
			c.next[p] = o
		} else {
			delete(c.next, p)
		}
	}
	return offsets, nil
}

// forget drops partitions this member no longer owns.
func (c *kafkaConsumer) forget(_ context.Context, _ *kgo.Client, lost map[string][]int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range lost[c.src.Topic] {
		delete(c.next, p)
	}
}

// run polls, stores and reports until ctx ends.
func (c *kafkaConsumer) run(ctx context.Context, cl *kgo.Client) error {
	if reached, err := c.reachBrokers(ctx, cl); !reached {
		return err
	}
	retries := 0
	for {
		pollCtx, cancel := ctx, context.CancelFunc(func() {})
		if c.src.IdleStop > 0 {
			pollCtx, cancel = context.WithTimeout(ctx, c.src.IdleStop)
		}
		fetches := cl.PollRecords(pollCtx, c.src.MaxBatch)
		idle := pollCtx.Err() != nil && ctx.Err() == nil
		cancel()
		if ctx.Err() != nil {
			// Records fetched but not stored are dropped, as by a crash:
			// the next run reads them again from the stored offsets.
			cl.AllowRebalance()
			return nil
		}
		err := fetchError(fetches)
		if err == nil && !fetches.Empty() {
			err = c.store(ctx, cl, fetches)
		}
		cl.AllowRebalance()
		switch {
		case err == nil && idle && fetches.Empty() && c.total.Lag == 0:
			return nil
		case err == nil:
			retries = 0
			continue
		case ctx.Err() != nil:
			return nil
		case !retryable(err):
			return err
		}
		retries++
		c.report(func(p *KafkaProgress) { p.Retry = err })
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff(retries)):
		}
	}
}

// reachBrokers pings the brokers until one answers, reporting each
// failure as the error it backs off from; false when ctx ends first or,
// with IdleStop, once they have not answered for that long (with the
// error). Until a broker answers, a poll waits without a word: the group
// retries its coordinator for a minute or more before it reports.
func (c *kafkaConsumer) reachBrokers(ctx context.Context, cl *kgo.Client) (bool, error) {
	since := time.Now()
	for retries := 1; ; retries++ {
		pingCtx, cancel := context.WithTimeout(ctx, kafkaPingTimeout)
		err := cl.Ping(pingCtx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return false, nil
		case err == nil:
			return true, nil
		}
		err = fmt.Errorf("kafka %v: no broker answers: %w", c.src.Brokers, err)
		if c.src.IdleStop > 0 && time.Since(since) >= c.src.IdleStop {
			return false, err
		}
		c.report(func(p *KafkaProgress) { p.Retry = err })
		select {
		case <-ctx.Done():
			return false, nil
		case <-time.After(backoff(retries)):
		}
	}
}

// fetchError is the first error of a poll that is not a deadline of the
// poll itself.
func fetchError(fetches kgo.Fetches) error {
	for _, fe := range fetches.Errors() {
		if errors.Is(fe.Err, context.DeadlineExceeded) || errors.Is(fe.Err, context.Canceled) {
			continue
		}
		if fe.Topic == "" { // the group's, not a partition's
			return fmt.Errorf("kafka: %w", fe.Err)
		}
		return fmt.Errorf("kafka topic %s partition %d: %w", fe.Topic, fe.Partition, fe.Err)
	}
	return nil
}

// retryable reports whether the consumer should back off and poll again:
// anything but a refusal to read the topic, a bad configuration, or a
// store that cannot take the batch for good.
func retryable(err error) bool {
	return !errors.Is(err, kgo.ErrClientClosed) && !errors.Is(err, store.ErrDamaged) && !errors.Is(err, store.ErrDiskFull) &&
		!errors.As(err, new(*core.PermissionError))
}

// store stores one poll's records in one transaction with the offsets
// after them. If another member stored part of that stretch first, the
// batch is dropped and its partitions read again from the stored offsets.
func (c *kafkaConsumer) store(ctx context.Context, cl *kgo.Client, fetches kgo.Fetches) error {
	src := &SourceBatch{Name: c.name, Partitions: map[int32]OffsetRange{}}
	var events []core.Event
	var origins []KafkaReject // where each event came from, for its rejection
	var rejects []KafkaReject
	var records int
	var lag int64
	c.mu.Lock()
	fetches.EachPartition(func(p kgo.FetchTopicPartition) {
		if len(p.Records) == 0 {
			return
		}
		from, ok := c.next[p.Partition]
		if !ok {
			from = p.Records[0].Offset
		}
		to := p.Records[len(p.Records)-1].Offset + 1
		src.Partitions[p.Partition] = OffsetRange{From: from, To: to}
		lag += max(0, readableEnd(p.FetchPartition)-to)
		for _, r := range p.Records {
			if r.Attrs.IsControl() {
				continue // a transaction marker: an offset, no event
			}
			records++
			c.dec.decode(r.Value, func(ev core.Event, err error) {
				if err != nil {
					rejects = append(rejects, KafkaReject{p.Partition, r.Offset, err.Error()})
					return
				}
				events = append(events, ev)
				origins = append(origins, KafkaReject{Partition: p.Partition, Offset: r.Offset})
			})
		}
	})
	c.mu.Unlock()
	res, err := c.b.Ingest(ctx, c.who, events, IngestOptions{Create: c.src.Create, Source: src})
	if errors.Is(err, store.ErrSourceMoved) {
		return c.reseek(ctx, cl, src)
	}
	if err != nil {
		return err
	}
	c.mu.Lock()
	for p, r := range src.Partitions {
		c.next[p] = r.To
	}
	c.mu.Unlock()
	for _, r := range res.Rejected {
		o := origins[r.Index]
		rejects = append(rejects, KafkaReject{o.Partition, o.Offset, r.Reason})
	}
	if c.reject != nil {
		for _, r := range rejects {
			c.reject(r)
		}
	}
	c.report(func(p *KafkaProgress) {
		p.Records += records
		p.Accepted += res.Accepted
		p.Duplicates += res.Duplicates
		p.Rejected += len(rejects)
		p.Batches++
		p.Lag, p.Retry = lag, nil
	})
	return nil
}

// readableEnd is the offset after the last record a read-committed
// consumer may read now: the last stable offset, past which are only
// records of transactions still open, or the high watermark from a broker
// too old to say.
func readableEnd(p kgo.FetchPartition) int64 {
	if p.LastStableOffset < 0 {
		return p.HighWatermark
	}
	return p.LastStableOffset
}

// reseek moves the batch's partitions back to their stored offsets.
func (c *kafkaConsumer) reseek(ctx context.Context, cl *kgo.Client, src *SourceBatch) error {
	stored, err := c.b.store.SourceOffsets(ctx, c.name)
	if err != nil {
		return err
	}
	seek := map[int32]kgo.EpochOffset{}
	c.mu.Lock()
	for p, r := range src.Partitions {
		o, ok := stored[p]
		if !ok {
			o = r.From
		}
		c.next[p] = o
		seek[p] = kgo.EpochOffset{Epoch: -1, Offset: o}
	}
	c.mu.Unlock()
	cl.SetOffsets(map[string]map[int32]kgo.EpochOffset{c.src.Topic: seek})
	return nil
}

func (c *kafkaConsumer) report(change func(*KafkaProgress)) {
	change(&c.total)
	if c.progress != nil {
		c.progress(c.total)
	}
}
