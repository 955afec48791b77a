package backend

import (
	"context"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/demo"
)

// SeedDemo fills an empty workspace with the demo data for who; it reports
// false, changing nothing, when the workspace already has briefs.
func (b *Backend) SeedDemo(ctx context.Context, who core.Identity, now time.Time) (bool, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return false, err
	}
	return demo.Seed(ctx, demoStore{b.store}, now)
}

// Simulate keeps the demo workspace moving (events every interval, a board
// move every few) until ctx ends.
func (b *Backend) Simulate(ctx context.Context, interval time.Duration, seed uint64) error {
	return demo.NewSimulator(demoStore{b.store}, seed).Run(ctx, interval)
}

// demoStore is the store as the demo writes through it: as anyone, at any
// time, which only the demo may.
type demoStore struct{ *store.Store }

// At implements demo.Seeder.
func (s demoStore) At(ctx context.Context, t time.Time) context.Context { return store.At(ctx, t) }

// IngestEvents implements demo.Simulated.
func (s demoStore) IngestEvents(ctx context.Context, actor string, events []core.Event) error {
	_, err := s.Ingest(ctx, actor, events, store.IngestOptions{})
	return err
}
