package demo

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

var testNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// Ensure that the demo seeds the promised workspace once, and that the
// simulator writes traffic and moves briefs.
func TestSeedAndSimulate(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "demo.db"), store.Options{Now: func() time.Time { return testNow }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if seeded, err := Seed(ctx, storeSeeder{st}, testNow); err != nil || !seeded {
		t.Fatalf("first seed: %v, %v", seeded, err)
	}
	if seeded, err := Seed(ctx, storeSeeder{st}, testNow); err != nil || seeded {
		t.Fatalf("second seed: %v, %v", seeded, err)
	}
	briefs, _ := st.Briefs(ctx)
	people, _ := st.People(ctx)
	exps, _ := st.Experiments(ctx)
	if len(briefs) != 60 || len(people) != 12 || len(exps) != 8 { // four live, four finished tests of generated variants
		t.Fatalf("seeded %d briefs, %d people, %d experiments", len(briefs), len(people), len(exps))
	}
	stages := map[core.Stage]bool{}
	lanes := map[core.LaneKind]bool{}
	for _, b := range briefs {
		stages[b.Stage] = true
	}
	for _, p := range people {
		lanes[p.Lane] = true
	}
	if len(stages) != 7 || len(lanes) != 4 {
		t.Fatalf("briefs cover %d stages, people %d lanes", len(stages), len(lanes))
	}
	if _, err := st.Guideline(ctx); err != nil {
		t.Fatal(err)
	}

	sim := NewSimulator(storeSeeder{st}, 3)
	before, _ := st.Totals(ctx, "spring-email")
	if err := sim.Events(ctx, testNow); err != nil {
		t.Fatal(err)
	}
	after, _ := st.Totals(ctx, "spring-email")
	if after["a"].Exposures <= before["a"].Exposures {
		t.Fatalf("no new exposures: %+v -> %+v", before["a"], after["a"])
	}
	sub := st.Subscribe(8)
	defer sub.Close()
	if err := sim.Move(ctx); err != nil {
		t.Fatal(err)
	}
	if c := <-sub.C(); c.Action != "brief.move" || c.Actor != "simulator" {
		t.Fatalf("simulator wrote %+v", c)
	}
}

// storeSeeder is the store as the backend hands it to the demo.
type storeSeeder struct{ *store.Store }

func (s storeSeeder) At(ctx context.Context, t time.Time) context.Context { return store.At(ctx, t) }

func (s storeSeeder) IngestEvents(ctx context.Context, actor string, events []core.Event) error {
	_, err := s.Ingest(ctx, actor, events, store.IngestOptions{})
	return err
}
