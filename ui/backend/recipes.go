package backend

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/core/kpi"
	"github.com/tandem-ops/tandem/store"
)

// RecipeLedger relates how generated variants were made to how they did:
// every generated treatment (variant key g<ID>) of an experiment whose
// data holds and that is finished — a winner declared, or its planned
// sample reached, so that losers count as well as winners — is one
// observation, pooled per recipe attribute by core.RecipeLedger. It
// returns the rows and the number of observations.
func (b *Backend) RecipeLedger(ctx context.Context, now time.Time) ([]core.RecipeRow, int, error) {
	experiments, err := b.store.Experiments(ctx)
	if err != nil {
		return nil, 0, err
	}
	reviews, err := b.store.Reviews(ctx)
	if err != nil {
		return nil, 0, err
	}
	byBrief := make(map[uint64]*core.Review, len(reviews))
	for i := range reviews {
		byBrief[reviews[i].BriefID] = &reviews[i]
	}
	var obs []core.RecipeObservation
	for _, e := range experiments {
		totals, err := b.store.Totals(ctx, e.Key)
		if err != nil {
			return nil, 0, err
		}
		a := core.Analyze(e, totals, now, b.settings.Guards)
		if !a.Holds() || (e.Winner == "" && !a.Plan.Reached) {
			continue
		}
		for i, arm := range a.Arms {
			id, ok := generatedID(arm.Variant.Key)
			if !ok || arm.Variant.Control {
				continue
			}
			effect, variance, ok := core.ArmEffect(a, i)
			if !ok {
				continue
			}
			g, err := b.store.Generated(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				continue // a variant keyed like a generated one that is not
			}
			if err != nil {
				return nil, 0, err
			}
			obs = append(obs, core.RecipeObservation{Experiment: e.Key, Variant: arm.Variant.Key, Effect: effect, Variance: variance,
				Attrs: core.RecipeAttrs(g, byBrief[g.BriefID])})
		}
	}
	return core.RecipeLedger(obs), len(obs), nil
}

// generatedID reads a generated variant's ID from its key, g<ID>.
func generatedID(key string) (uint64, bool) {
	rest, ok := strings.CutPrefix(key, "g")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseUint(rest, 10, 64)
	return id, err == nil && id > 0
}

// WhatWorked is the retro's "what worked" over [from, to): declared
// winners and the fastest briefs (kpi.Wins), then what the recipe ledger
// claims about how generated copy was made.
func (b *Backend) WhatWorked(ctx context.Context, in kpi.Input, from, to, now time.Time) ([]string, error) {
	rows, _, err := b.RecipeLedger(ctx, now)
	if err != nil {
		return nil, err
	}
	return append(kpi.Wins(in, from, to, 3), core.RecipeCitations(rows)...), nil
}
