package backend

import (
	"context"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// AggregateResult counts what one IngestAggregates call stored.
type AggregateResult = store.AggregateResult

// IngestAggregates stores a warehouse query's daily per-variant rows for
// who, each replacing the same day's row of its variant and segment; the
// variants' totals, and so their analysis, include them.
func (b *Backend) IngestAggregates(ctx context.Context, who core.Identity, rows []core.AggregateRow) (AggregateResult, error) {
	if err := core.Authorize(who, core.ActionIngest); err != nil {
		return AggregateResult{}, err
	}
	return b.store.PutAggregates(ctx, who.Name, rows)
}
