package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	bolt "go.etcd.io/bbolt"
)

func event(variant, unit string, typ core.EventType, minute int) core.Event {
	return core.Event{TS: fixedNow.Add(time.Duration(minute) * time.Minute), Experiment: "spring-email", Variant: variant, Unit: unit, Type: typ}
}

func mustAddSpringEmail(t testing.TB, s *Store) {
	t.Helper()
	_, err := s.AddExperiment(context.Background(), "ana", core.Experiment{Key: "spring-email", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure that ingest counts each unit once per variant, rejects bad events
// one by one while storing the rest, and skips what it has seen before.
func TestStore_Ingest(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddSpringEmail(t, s)
	batch := []core.Event{
		event("a", "u1", core.EventExposure, 0),
		event("a", "u1", core.EventExposure, 1), // the same unit again
		event("a", "u2", core.EventExposure, 2),
		event("a", "u1", core.EventConversion, 3),
		event("a", "u1", core.EventConversion, 4),                                                      // converts again
		{TS: fixedNow, Experiment: "spring-email", Variant: "z", Unit: "u3", Type: core.EventExposure}, // unknown variant
		{TS: fixedNow, Experiment: "spring-email", Variant: "b", Type: core.EventExposure},             // no unit
		{TS: fixedNow, Experiment: "autumn", Variant: "a", Unit: "u", Type: core.EventExposure},        // unknown experiment
		event("a", "u1", core.EventExposure, 0),                                                        // duplicate within the batch
	}
	res, err := s.Ingest(ctx, "ingest", batch, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Accepted != 5 || res.Duplicates != 1 || len(res.Rejected) != 3 {
		t.Fatalf("result = %+v", res)
	}
	for i, want := range map[int]string{0: `no variant "z"`, 1: "event unit: is required", 2: `unknown experiment "autumn"`} {
		if r := res.Rejected[i]; !strings.Contains(r.Reason, want) {
			t.Errorf("rejection %d = %+v, want %q", i, r, want)
		}
	}
	totals, _ := s.Totals(ctx, "spring-email")
	want := core.VariantTotals{Exposures: 2, Converters: 1, Conversions: 2, First: fixedNow, Last: fixedNow.Add(4 * time.Minute)}
	if totals["a"] != want {
		t.Fatalf("totals = %+v, want %+v", totals["a"], want)
	}
	// The same batch again is all duplicates and changes nothing.
	again, err := s.Ingest(ctx, "ingest", batch, IngestOptions{})
	if err != nil || again.Accepted != 0 || again.Duplicates != 6 {
		t.Fatalf("re-ingest = %+v, %v", again, err)
	}
	if t2, _ := s.Totals(ctx, "spring-email"); t2["a"] != totals["a"] {
		t.Fatalf("re-ingest changed totals: %+v", t2["a"])
	}
	// A unit already counted in an earlier batch is not counted again.
	if _, err := s.Ingest(ctx, "ingest", []core.Event{event("a", "u2", core.EventExposure, 30)}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	if t3, _ := s.Totals(ctx, "spring-email"); t3["a"].Exposures != 2 {
		t.Fatalf("unit counted twice across batches: %+v", t3["a"])
	}
	series, err := s.Series(ctx, "spring-email", "a")
	if err != nil || len(series) != 1 || series[0].Exposures != 2 || series[0].Converters != 1 {
		t.Fatalf("series = %+v, %v", series, err)
	}
}

// Ensure that --create adds unknown experiments and variants, the first
// variant seen becoming the control.
func TestStore_Ingest_Create(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	evs := []core.Event{
		{TS: fixedNow, Experiment: "autumn", Variant: "x", Unit: "u1", Type: core.EventExposure},
		{TS: fixedNow, Experiment: "autumn", Variant: "y", Unit: "u2", Type: core.EventExposure},
	}
	res, err := s.Ingest(ctx, "ingest", evs, IngestOptions{Create: true})
	if err != nil || res.Accepted != 2 || len(res.Created) != 3 {
		t.Fatalf("result = %+v, %v", res, err)
	}
	e, err := s.Experiment(ctx, "autumn")
	if err != nil || len(e.Variants) != 2 || !e.Variants[0].Control || e.Variants[1].Control {
		t.Fatalf("created = %+v, %v", e, err)
	}
}

// Ensure that variants first named late in a batch, while the batch's
// earlier events are being counted, are counted too: the two stages of
// the fold must not share the index's growing slices (go test -race
// caught count reading them while sift appended).
func TestStore_Ingest_CreateWhileCounting(t *testing.T) {
	s := mustOpenStore(t)
	var evs []core.Event
	for i := range 3000 {
		exp, v := "late", "a"
		if i >= 2000 {
			// Arms named late in the batch, in several experiments: each
			// may have at most core.MaxVariants.
			exp, v = fmt.Sprint("late", i%5), fmt.Sprint("v", i%40)
		}
		evs = append(evs, core.Event{TS: fixedNow, Experiment: exp, Variant: v, Unit: fmt.Sprint("u", i), Type: core.EventExposure})
	}
	res, err := s.Ingest(context.Background(), "ingest", evs, IngestOptions{Create: true})
	if err != nil || res.Accepted != 3000 {
		t.Fatalf("accepted %d, rejected %d, %v", res.Accepted, len(res.Rejected), err)
	}
	totals, err := s.Totals(context.Background(), "late2")
	if err != nil || len(totals) != 8 || totals["v7"].Exposures != 25 {
		t.Fatalf("totals: %d variants, v7 %+v, %v", len(totals), totals["v7"], err)
	}
}

// Ensure that ingest --create makes a bounded number of experiments and
// variants: the rest are that line's error, and the workspace stays usable.
func TestStore_Ingest_CreateBounded(t *testing.T) {
	s := mustOpenStore(t)
	var evs []core.Event
	for i := range core.MaxVariants + 10 {
		evs = append(evs, core.Event{TS: fixedNow, Experiment: "wide", Variant: fmt.Sprint("v", i), Unit: "u", Type: core.EventExposure})
	}
	for i := range MaxCreatedPerBatch + 20 {
		evs = append(evs, core.Event{TS: fixedNow, Experiment: fmt.Sprint("x", i), Variant: "a", Unit: "u", Type: core.EventExposure})
	}
	res, err := s.Ingest(context.Background(), "ingest", evs, IngestOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	exps, _ := s.Experiments(context.Background())
	if len(exps) != MaxCreatedPerBatch || len(res.Rejected) != 10+21 {
		t.Fatalf("%d experiments made, %d lines refused", len(exps), len(res.Rejected))
	}
	if first, last := res.Rejected[0].Reason, res.Rejected[len(res.Rejected)-1].Reason; !strings.Contains(first, "50 variants") || !strings.Contains(last, "at most 100 experiments") {
		t.Fatalf("refusals: %q, %q", first, last)
	}
}

// Ensure that events with an explicit id dedup on the id alone, and events
// without one on their whole content, in this process and the next.
func TestStore_Ingest_Idempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ingest.db")
	s, err := Open(path, Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	mustAddSpringEmail(t, s)
	withID := event("a", "u1", core.EventExposure, 0)
	withID.ID = "evt-1"
	sameID := event("b", "u9", core.EventExposure, 5)
	sameID.ID = "evt-1"
	later := event("a", "u1", core.EventExposure, 1) // same unit, other minute: a new event
	revenue := event("b", "u2", core.EventRevenue, 2)
	revenue.Value = 12.5
	res, err := s.Ingest(ctx, "ingest", []core.Event{withID, sameID, later, revenue}, IngestOptions{})
	if err != nil || res.Accepted != 3 || res.Duplicates != 1 {
		t.Fatalf("result = %+v, %v", res, err)
	}
	s.Close()

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	again, err := s.Ingest(ctx, "ingest", []core.Event{withID, later, revenue, sameID}, IngestOptions{})
	if err != nil || again.Accepted != 0 || again.Duplicates != 4 {
		t.Fatalf("re-ingest after reopening = %+v, %v", again, err)
	}
	totals, _ := s.Totals(ctx, "spring-email")
	if totals["a"].Exposures != 1 || totals["b"].Revenue != 0 || totals["b"].UnattributedRevenue != 12.5 {
		t.Fatalf("totals = %+v", totals)
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
}

func benchEvents(n int) []core.Event {
	evs := make([]core.Event, n)
	for i := range evs {
		typ := core.EventExposure
		if i%20 == 0 {
			typ = core.EventConversion
		}
		evs[i] = core.Event{TS: fixedNow.Add(time.Duration(i) * time.Second), Experiment: "spring-email", Variant: []string{"a", "b"}[i%2], Unit: fmt.Sprintf("u-%d", i/2), Type: typ}
	}
	return evs
}

// BenchmarkStore_Ingest measures durable ingest of a million decoded
// events into a new store, in batches of 50k (one fsync each).
func BenchmarkStore_Ingest(b *testing.B) {
	const n, batch = 1_000_000, 50_000
	evs := benchEvents(n)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := mustOpenStore(b)
		mustAddSpringEmail(b, s)
		b.StartTimer()
		for i := 0; i < n; i += batch {
			if _, err := s.Ingest(context.Background(), "bench", evs[i:i+batch], IngestOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkStore_IndexLoad measures the first ingest after opening a store
// that holds a million events: the event index is rebuilt from the log.
func BenchmarkStore_IndexLoad(b *testing.B) {
	const n, batch = 1_000_000, 50_000
	path := filepath.Join(b.TempDir(), "load.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	mustAddSpringEmail(b, s)
	evs := benchEvents(n)
	for i := 0; i < n; i += batch {
		if _, err := s.Ingest(context.Background(), "bench", evs[i:i+batch], IngestOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	s.Close()
	one := []core.Event{event("a", "after-reopen", core.EventExposure, 0)}
	for b.Loop() {
		b.StopTimer()
		s, err := Open(path, Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := s.Ingest(context.Background(), "bench", one, IngestOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
}

// Ensure that an exposure that would change no number (its unit is
// exposed no later, the variant has seen its time, its attributes are
// known) is reported as a duplicate and costs neither the log nor the
// index anything, while one that moves an exposure earlier, widens the
// variant's span or brings an attribute is stored.
func TestStore_Ingest_RepeatExposures(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddSpringEmail(t, s)
	var batch []core.Event
	for u := range 100 {
		unit := fmt.Sprintf("u%d", u)
		batch = append(batch, event("a", unit, core.EventExposure, 10), event("a", unit, core.EventExposure, 20))
	}
	if res, err := s.Ingest(ctx, "ingest", batch, IngestOptions{}); err != nil || res.Accepted != 101 || res.Duplicates != 99 {
		t.Fatalf("first batch = %+v, %v", res, err) // u0 at minute 20 widens the span; the rest change nothing
	}
	logged, index := loggedEvents(t, s), s.events.bytes()
	var repeats []core.Event
	for u := range 100 {
		repeats = append(repeats, event("a", fmt.Sprintf("u%d", u), core.EventExposure, 15))
	}
	if res, err := s.Ingest(ctx, "ingest", repeats, IngestOptions{}); err != nil || res.Accepted != 0 || res.Duplicates != 100 {
		t.Fatalf("repeats = %+v, %v", res, err)
	}
	if got := loggedEvents(t, s); got != logged || s.events.bytes() != index {
		t.Fatalf("repeats grew the log %d → %d events, the index %d → %d bytes", logged, got, index, s.events.bytes())
	}
	earlier := event("a", "u1", core.EventExposure, 5)
	widens := event("a", "u2", core.EventExposure, 30)
	attributed := event("a", "u3", core.EventExposure, 15)
	attributed.Attrs = map[string]string{"country": "PT"}
	if res, err := s.Ingest(ctx, "ingest", []core.Event{earlier, widens, attributed}, IngestOptions{}); err != nil || res.Accepted != 3 {
		t.Fatalf("changing exposures = %+v, %v", res, err)
	}
	totals, _ := s.Totals(ctx, "spring-email")
	if a := totals["a"]; a.Exposures != 100 || !a.First.Equal(fixedNow.Add(5*time.Minute)) || !a.Last.Equal(fixedNow.Add(30*time.Minute)) {
		t.Fatalf("totals = %+v", a)
	}
	// Conversions count each time: the same content is a duplicate, any
	// other content a new conversion.
	conv := event("a", "u1", core.EventConversion, 40)
	other := conv
	other.Value = 2
	if res, err := s.Ingest(ctx, "ingest", []core.Event{conv, conv, other}, IngestOptions{}); err != nil || res.Accepted != 2 || res.Duplicates != 1 {
		t.Fatalf("conversions = %+v, %v", res, err)
	}
	if totals, _ := s.Totals(ctx, "spring-email"); totals["a"].Conversions != 2 || totals["a"].Converters != 1 {
		t.Fatalf("totals = %+v", totals["a"])
	}
}

// loggedEvents counts the events in s's log.
func loggedEvents(t *testing.T, s *Store) int {
	t.Helper()
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error { return eachLogEvent(tx, func(core.Event) { n++ }) })
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Ensure that an event id is an event's identity within its experiment:
// one order id sent to two experiments counts in both, and only once in
// each.
func TestStore_Ingest_IDPerExperiment(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddSpringEmail(t, s)
	mustAddAutumnEmail(t, s)
	orders := orderInTwoExperiments()
	res, err := s.Ingest(ctx, "ingest", append(orders, orders...), IngestOptions{})
	if err != nil || res.Accepted != 4 || res.Duplicates != 4 {
		t.Fatalf("result = %+v, %v; want 4 accepted, the second copies duplicates", res, err)
	}
	for _, exp := range []string{"spring-email", "autumn-email"} {
		if totals, _ := s.Totals(ctx, exp); totals["a"].Revenue != 30 {
			t.Errorf("%s totals = %+v, want revenue 30", exp, totals["a"])
		}
	}
}

func mustAddAutumnEmail(t testing.TB, s *Store) {
	t.Helper()
	_, err := s.AddExperiment(context.Background(), "ana", core.Experiment{Key: "autumn-email", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}})
	if err != nil {
		t.Fatal(err)
	}
}

// orderInTwoExperiments is a unit's exposure and its order of 30, with the
// order's id, in spring-email and in autumn-email.
func orderInTwoExperiments() []core.Event {
	var out []core.Event
	for _, exp := range []string{"spring-email", "autumn-email"} {
		exposure := event("a", "u1", core.EventExposure, 0)
		order := event("a", "u1", core.EventRevenue, 1)
		order.ID, order.Value = "order-1", 30
		exposure.Experiment, order.Experiment = exp, exp
		out = append(out, exposure, order)
	}
	return out
}
