package backend

import (
	"context"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/demo"
)

// SeedDemo fills an empty workspace with the demo data for who; it reports
// false, changing nothing, when the workspace already has briefs.
func (b *Backend) SeedDemo(ctx context.Context, who core.Identity, now time.Time) (bool, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return false, err
	}
	return demo.Seed(ctx, b.store, now)
}

// Simulate keeps the demo workspace moving (events every interval, a board
// move every few) until ctx ends.
func (b *Backend) Simulate(ctx context.Context, interval time.Duration, seed uint64) error {
	return demo.NewSimulator(b.store, seed).Run(ctx, interval)
}
