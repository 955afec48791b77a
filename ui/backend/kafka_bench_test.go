package backend

import (
	"context"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

const benchKafkaEvents = 200_000

// BenchmarkIngestKafka measures ingest of 200k JSONL events from an
// in-process Kafka (kfake, 3 partitions) into a new workspace, until all
// are stored; BenchmarkIngestKafka_FileBaseline does the same events as
// a file ingest would, decoded and stored in batches of 50k, for the
// ratio.
func BenchmarkIngestKafka(b *testing.B) {
	brokers := startKafka(b, 3)
	lines, _ := kafkaEvents(benchKafkaEvents)
	produce(b, brokers, lines)
	group, batches := 0, 0
	for b.Loop() {
		b.StopTimer()
		be := kafkaBackend(b)
		group++
		ctx, cancel := context.WithCancel(context.Background())
		src := KafkaSource{Brokers: brokers, Topic: kafkaTopic, Group: string(rune('a' + group))}
		b.StartTimer()
		err := be.IngestKafka(ctx, admin, src, func(p KafkaProgress) {
			if p.Records == benchKafkaEvents {
				batches += p.Batches
				cancel()
			}
		}, nil)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchKafkaEvents*b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(benchKafkaEvents*b.N)/float64(batches), "events/batch")
}

// BenchmarkIngestKafka_FileBaseline is BenchmarkIngestKafka's events
// decoded from JSONL and stored in batches of 50k, as from a file.
func BenchmarkIngestKafka_FileBaseline(b *testing.B) {
	lines, _ := kafkaEvents(benchKafkaEvents)
	const batch = 50_000
	for b.Loop() {
		b.StopTimer()
		be := kafkaBackend(b)
		b.StartTimer()
		events := make([]core.Event, 0, batch)
		var dec core.EventDecoder
		for i, l := range lines {
			ev, err := dec.Decode(string(l))
			if err != nil {
				b.Fatal(err)
			}
			if events = append(events, ev); len(events) == batch || i == len(lines)-1 {
				if _, err := be.Ingest(context.Background(), admin, events, IngestOptions{}); err != nil {
					b.Fatal(err)
				}
				events = events[:0]
			}
		}
	}
	b.ReportMetric(float64(benchKafkaEvents*b.N)/b.Elapsed().Seconds(), "events/s")
}
