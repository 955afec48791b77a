package store

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// unitStream makes a day-by-day stream of events over units: every unit is
// exposed on most days, 30% convert (twice), 20% pay once and 1% are
// exposed to the other variant too, ten events a unit in all.
type unitStream struct {
	units []string
}

func newUnitStream(units int) *unitStream {
	s := &unitStream{units: make([]string, units)}
	for u := range s.units {
		s.units[u] = "user-" + strconv.Itoa(u)
	}
	return s
}

// event is the stream's i-th event.
func (s *unitStream) event(i int) core.Event {
	n := len(s.units)
	day, u := i/n, i%n
	ev := core.Event{TS: fixedNow.Add(time.Duration(day)*24*time.Hour + time.Duration(u)*time.Millisecond),
		Experiment: "spring-email", Variant: []string{"a", "b"}[u%2], Unit: s.units[u], Type: core.EventExposure}
	switch {
	case (day == 7 || day == 8) && u%10 < 3:
		ev.Type = core.EventConversion
	case day == 9 && u%10 < 2:
		ev.Type, ev.Value = core.EventRevenue, float64(1+u%50)
	case day == 5 && u%100 == 0:
		ev.Variant = []string{"b", "a"}[u%2]
	}
	return ev
}

// BenchmarkStore_Ingest10MOver1M measures ingest of ten million events over
// a million units, in batches of 50k, and the memory the event index holds
// for them: as it counts (index-B, per unit and per event) and as the Go
// heap has it after a collection (heap-B, which includes the store's
// other state).
func BenchmarkStore_Ingest10MOver1M(b *testing.B) {
	if testing.Short() {
		b.Skip("ten million events")
	}
	const units, n, batch = 1_000_000, 10_000_000, 50_000
	stream := newUnitStream(units)
	evs := make([]core.Event, batch)
	var index, heap int
	for b.Loop() {
		b.StopTimer()
		s, err := Open(filepath.Join(b.TempDir(), "ingest.db"), Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		mustAddSpringEmail(b, s)
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		for i := 0; i < n; i += batch {
			b.StopTimer()
			for k := range evs {
				evs[k] = stream.event(i + k)
			}
			b.StartTimer()
			if _, err := s.Ingest(context.Background(), "bench", evs, IngestOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		index, heap = s.events.bytes(), int(after.HeapAlloc)-int(before.HeapAlloc)
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(index), "index-B")
	b.ReportMetric(float64(heap), "heap-B")
	b.ReportMetric(float64(index)/units, "B/unit")
	b.ReportMetric(float64(index)/n, "B/event")
}

// BenchmarkEventIndex_HeavyUnit measures the index on one unit sending
// 20,000 conversions and revenue events (a bot, or a load test left on):
// each must cost about what an event of an ordinary unit costs, not time
// growing with the unit's events.
func BenchmarkEventIndex_HeavyUnit(b *testing.B) {
	const n = 20_000
	evs := make([]core.Event, n+1)
	evs[0] = event("a", "bot", core.EventExposure, 0)
	for i := 1; i <= n; i++ {
		evs[i] = core.Event{TS: fixedNow.Add(time.Duration(i) * time.Millisecond), Experiment: "spring-email", Variant: "a", Unit: "bot", Type: core.EventConversion}
		if i%2 == 0 {
			evs[i].Type, evs[i].Value = core.EventRevenue, float64(i%7+1)
		}
	}
	for b.Loop() {
		x := newEventIndex()
		h, arm := x.hasher(), x.armID("spring-email", "a")
		for _, ev := range evs {
			if fresh, _ := x.admit(h, ev, arm, 0); !fresh {
				b.Fatal("a distinct event was taken for a duplicate")
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(evs)), "ns/event")
}

// BenchmarkStore_IngestSpill measures ingest with the event index's memory
// bounded, against the same stream held in memory in the same run: ten
// million events over a million units (a tenth of that with -short), the
// budget three fifths of what the in-memory index holds, so that about
// half the units' states are on disk at a time. It prints both rates and
// their ratio, both indexes' peak bytes and the spilled file's size.
func BenchmarkStore_IngestSpill(b *testing.B) {
	units, n := 1_000_000, 10_000_000
	if testing.Short() {
		units, n = 100_000, 1_000_000
	}
	for b.Loop() {
		mem := ingestStream(b, units, n, 0)
		spilled := ingestStream(b, units, n, mem.index*3/5)
		b.ReportMetric(mem.rate, "mem-events/s")
		b.ReportMetric(spilled.rate, "spill-events/s")
		b.ReportMetric(spilled.rate/mem.rate, "spill/mem")
		b.ReportMetric(float64(mem.index), "mem-index-B")
		b.ReportMetric(float64(spilled.peak), "spill-index-B")
		b.ReportMetric(float64(spilled.file), "spill-file-B")
		b.ReportMetric(float64(spilled.peak)/float64(units), "spill-B/unit")
	}
}

// streamRun is what one ingestStream measured.
type streamRun struct {
	rate              float64 // events a second
	index, peak, file int     // index bytes at the end and at the peak; spill file bytes
}

// ingestStream ingests unitStream's n events over units in batches of 50k
// into a fresh store whose index is bounded by maxIndex (0: none).
func ingestStream(b *testing.B, units, n, maxIndex int) streamRun {
	b.Helper()
	const batch = 50_000
	stream := newUnitStream(units)
	evs := make([]core.Event, batch)
	s, err := Open(filepath.Join(b.TempDir(), "ingest.db"), Options{NoSync: true, MaxIndexBytes: maxIndex})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	mustAddSpringEmail(b, s)
	var run streamRun
	var spent time.Duration
	for i := 0; i < n; i += batch {
		for k := range evs {
			evs[k] = stream.event(i + k)
		}
		start := time.Now()
		if _, err := s.Ingest(context.Background(), "bench", evs, IngestOptions{}); err != nil {
			b.Fatal(err)
		}
		spent += time.Since(start)
		run.peak = max(run.peak, s.events.liveBytes())
	}
	run.rate, run.index = float64(n)/spent.Seconds(), s.events.bytes()
	if sp := s.events.spill; sp != nil && sp.db != nil {
		if fi, err := os.Stat(sp.db.Path()); err == nil {
			run.file = int(fi.Size())
		}
	}
	return run
}
