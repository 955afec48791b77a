package backend

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// ComponentPerformance returns each component's measured effects, by
// component ID, from every factorial test whose analysis holds as of now.
func (b *Backend) ComponentPerformance(ctx context.Context, now time.Time) (map[uint64][]core.ComponentPerformance, error) {
	exps, err := b.store.Experiments(ctx)
	if err != nil {
		return nil, err
	}
	out := map[uint64][]core.ComponentPerformance{}
	for _, e := range exps {
		if len(e.Factors) == 0 {
			continue
		}
		totals, err := b.store.Totals(ctx, e.Key)
		if err != nil {
			return nil, err
		}
		for _, p := range b.performances(e, totals, now) {
			if id, err := strconv.ParseUint(p.Effect.Component, 10, 64); err == nil {
				out[id] = append(out[id], p)
			}
		}
	}
	return out, nil
}

// performances are a factorial test's components' measured effects, none
// when its analysis does not hold or its effects cannot be read.
func (b *Backend) performances(e core.Experiment, totals map[string]core.VariantTotals, now time.Time) []core.ComponentPerformance {
	eff, ok, err := core.FactorialEffects(e, totals, e.GuardsOr(b.settings.Guards).Policy.Alpha)
	if !ok || err != nil {
		return nil
	}
	return core.ComponentPerformances(core.Analyze(e, totals, now, b.settings.Guards), eff)
}

// componentDocuments are the components that won a factorial test, as the
// model reads them, marked so retrieval prefers them for briefs on the
// same channel and audience.
func (b *Backend) componentDocuments(ctx context.Context, e core.Experiment, totals map[string]core.VariantTotals, now time.Time) ([]core.Document, error) {
	var docs []core.Document
	for _, p := range b.performances(e, totals, now) {
		if !p.Won() {
			continue
		}
		id, err := strconv.ParseUint(p.Effect.Component, 10, 64)
		if err != nil {
			continue
		}
		c, err := b.store.Component(ctx, id)
		if err != nil {
			return nil, err
		}
		docs = append(docs, core.Document{ID: fmt.Sprintf("component/%d", id), Won: true, Channel: p.Channel, Audience: p.Audience, Effect: p.Effect.Effect,
			Text: fmt.Sprintf("%q (%s that won test %s): %+.1f points of conversion over the test's first %s on %s for %s (fixed horizon)",
				c.Text, c.Slot, p.Experiment, 100*p.Effect.Effect, c.Slot, p.Channel, p.Audience)})
	}
	return docs, nil
}
