package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

func benchBriefs(n int) []core.Brief {
	briefs := make([]core.Brief, n)
	for i := range briefs {
		briefs[i] = core.Brief{Title: fmt.Sprintf("Brief %d", i), Channel: "email", Owner: "ana", Stage: core.Stage(i % 7), EstimateHours: 4, Tags: []string{"q4"}}
	}
	return briefs
}

// BenchmarkStore_AddBrief measures one durable write: a transaction with
// its audit entry and fsync.
func BenchmarkStore_AddBrief(b *testing.B) {
	s := mustOpenStore(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.AddBrief(ctx, "ana", core.Brief{Title: "Spring email", Stage: core.StagePlanned}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStore_AddBriefs10k measures one batched write of 10,000 briefs.
func BenchmarkStore_AddBriefs10k(b *testing.B) {
	briefs := benchBriefs(10_000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := mustOpenStore(b)
		b.StartTimer()
		if _, err := s.AddBriefs(ctx, "ana", briefs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10_000, "ns/brief")
}

// BenchmarkStore_Briefs10k measures listing 10,000 briefs.
func BenchmarkStore_Briefs10k(b *testing.B) {
	s := mustOpenStore(b)
	ctx := context.Background()
	if _, err := s.AddBriefs(ctx, "ana", benchBriefs(10_000)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		briefs, err := s.Briefs(ctx)
		if err != nil || len(briefs) != 10_000 {
			b.Fatal(len(briefs), err)
		}
	}
}

// BenchmarkStore_FanOut100 measures a write published to 100 subscribers,
// each of which receives it.
func BenchmarkStore_FanOut100(b *testing.B) {
	s := mustOpenStore(b)
	ctx := context.Background()
	subs := make([]*Subscription, 100)
	for i := range subs {
		subs[i] = s.Subscribe(DefaultSubscriptionBuffer)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.AddBrief(ctx, "ana", core.Brief{Title: "x"}); err != nil {
			b.Fatal(err)
		}
		for _, sub := range subs {
			<-sub.C()
		}
	}
}

// BenchmarkFeed_Publish100 isolates the feed: one change to 100 subscribers.
func BenchmarkFeed_Publish100(b *testing.B) {
	s := mustOpenStore(b)
	subs := make([]*Subscription, 100)
	for i := range subs {
		subs[i] = s.Subscribe(DefaultSubscriptionBuffer)
	}
	change := []Change{{Kind: KindBrief, Action: "brief.move", ID: "1"}}
	b.ReportAllocs()
	for b.Loop() {
		s.feed.publish(change)
		for _, sub := range subs {
			<-sub.C()
		}
	}
}
