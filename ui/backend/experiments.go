package backend

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// AddExperiment creates an experiment for who.
func (b *Backend) AddExperiment(ctx context.Context, who core.Identity, e core.Experiment) (core.Experiment, error) {
	if err := core.Authorize(who, core.ActionEditExperiment); err != nil {
		return e, err
	}
	return b.store.AddExperiment(ctx, who.Name, e)
}

// Experiment returns one experiment.
func (b *Backend) Experiment(ctx context.Context, key string) (core.Experiment, error) {
	return b.store.Experiment(ctx, key)
}

// Ingest stores a batch of events for who.
func (b *Backend) Ingest(ctx context.Context, who core.Identity, events []core.Event, opts store.IngestOptions) (store.IngestResult, error) {
	if err := core.Authorize(who, core.ActionIngest); err != nil {
		return store.IngestResult{}, err
	}
	return b.store.Ingest(ctx, who.Name, events, opts)
}

// ErrUndecided is returned by DeclareWinner while an experiment's guards
// have not passed: it is still collecting, needs more units, or has a data
// error or a sample-ratio mismatch. No arm, the control included, can be
// declared until then.
var ErrUndecided = errors.New("experiment cannot be decided yet")

// Analyze returns an experiment's statistics as of now, under its own
// guards or the workspace's.
func (b *Backend) Analyze(ctx context.Context, key string, now time.Time) (core.Analysis, error) {
	e, err := b.store.Experiment(ctx, key)
	if err != nil {
		return core.Analysis{}, err
	}
	totals, err := b.store.Totals(ctx, key)
	if err != nil {
		return core.Analysis{}, err
	}
	return core.Analyze(e, totals, now, b.settings.Guards), nil
}

// AnalyzeCapped analyzes key with each unit's revenue capped at the pct
// percentile (0 < pct < 100) of paying units' revenue (winsorised), and
// returns the cap; counts, times and everything else are as stored.
func (b *Backend) AnalyzeCapped(ctx context.Context, key string, now time.Time, pct float64) (core.Analysis, float64, error) {
	if !(pct > 0 && pct < 100) {
		return core.Analysis{}, 0, &core.FieldError{Record: "revenue cap", Field: "cap-revenue", Problem: fmt.Sprintf("is %g; use a percentile above 0 and below 100, such as 99", pct)}
	}
	e, err := b.store.Experiment(ctx, key)
	if err != nil {
		return core.Analysis{}, 0, err
	}
	stored, err := b.store.Totals(ctx, key)
	if err != nil {
		return core.Analysis{}, 0, err
	}
	capped, limit, err := b.store.CappedTotals(ctx, key, pct)
	if err != nil {
		return core.Analysis{}, 0, err
	}
	for v, t := range stored {
		c := capped[v]
		t.Revenue, t.RevenueSq, t.ConverterRevenue, t.Cross = c.Revenue, c.RevenueSq, c.ConverterRevenue, c.Cross
		stored[v] = t
	}
	a := core.Analyze(e, stored, now, b.settings.Guards)
	a.RevenueCap = &core.RevenueCap{Percentile: pct, Value: limit}
	return a, limit, nil
}

// Series returns a variant's hourly points.
func (b *Backend) Series(ctx context.Context, key, variant string) ([]store.SeriesPoint, error) {
	return b.store.Series(ctx, key, variant)
}

// DeclareWinner records the winning variant for who, once the experiment
// can be decided as of now (see ErrUndecided); people may still declare an
// arm the rule has not named. The winner then shows as the performance
// context of every brief on the experiment's channel and audience, and of
// its linked brief.
func (b *Backend) DeclareWinner(ctx context.Context, who core.Identity, key, variant string, now time.Time) (core.Experiment, error) {
	return b.DeclareWinnerOverride(ctx, who, key, variant, "", now)
}

// maxOverrideReason bounds the reason an override is audited with.
const maxOverrideReason = 1000

// DeclareWinnerOverride declares variant the winner of key. Without a
// reason the analysis must support it: past its guards, and variant one
// the rule names a winner (or the control, when every treatment loses or
// none differs). With a reason anything goes, and the reason is kept in
// the audited record.
func (b *Backend) DeclareWinnerOverride(ctx context.Context, who core.Identity, key, variant, reason string, now time.Time) (core.Experiment, error) {
	if err := core.Authorize(who, core.ActionDeclareWinner); err != nil {
		return core.Experiment{}, err
	}
	if strings.ContainsFunc(reason, core.UnsafeRune) || len(reason) > maxOverrideReason {
		return core.Experiment{}, &core.FieldError{Record: "declaration", Field: "override",
			Problem: fmt.Sprintf("is longer than %d bytes or holds control, bidi or invisible characters; write the reason as plain text", maxOverrideReason)}
	}
	if reason == "" {
		a, err := b.Analyze(ctx, key, now)
		if err != nil {
			return core.Experiment{}, err
		}
		if err := Decidable(a); err != nil {
			return core.Experiment{}, err
		}
		if a.Status != core.StatusDeclared && !supports(a, variant) {
			return core.Experiment{}, fmt.Errorf("%w: the analysis of %s (%s) does not name %q the winner; declare what it names, or give --override with your reason (it is audited)",
				ErrUndecided, key, a.Status, variant)
		}
	}
	return b.store.DeclareWinner(ctx, who.Name, key, variant, reason)
}

// supports reports whether a names variant the winner: a winning
// treatment, or the control when no treatment wins and the status is
// settled.
func supports(a core.Analysis, variant string) bool {
	if slices.Contains(a.Winners, variant) {
		return true
	}
	control := len(a.Arms) > 0 && a.Arms[0].Variant.Key == variant
	settled := a.Status == core.StatusNoDifference || a.Status == core.StatusWinner && a.Leader == variant
	return control && len(a.Winners) == 0 && settled
}

// Decidable returns ErrUndecided, with what to do, when a's guards have
// not passed.
func Decidable(a core.Analysis) error {
	switch a.Status {
	case core.StatusCollecting, core.StatusNeedsData:
		return fmt.Errorf("%w: %s is %s; wait until every arm, the control included, has the minimum runtime and units", ErrUndecided, a.Experiment.Key, a.Status)
	case core.StatusDataError, core.StatusSRM:
		return fmt.Errorf("%w: %s has a %s; fix the assignment or logging first", ErrUndecided, a.Experiment.Key, a.Status)
	case core.StatusVoid:
		return fmt.Errorf("%w: %s's declared winner %s is void since %s; a declaration is final, so fix the assignment or logging to restore it",
			ErrUndecided, a.Experiment.Key, a.Experiment.Winner, a.VoidedBy())
	}
	return nil
}

// ErrBadAttr is returned by Breakdown for an attribute that is not a key.
var ErrBadAttr = errors.New("not an attribute key; use a key such as audience")

// Breakdown returns an experiment's results by the attribute attr of its
// units as of now, under its own guards or the workspace's.
func (b *Backend) Breakdown(ctx context.Context, key, attr string, now time.Time) (core.Breakdown, error) {
	if !core.ValidKey(attr) {
		return core.Breakdown{}, fmt.Errorf("--by: %w", ErrBadAttr)
	}
	e, err := b.store.Experiment(ctx, key)
	if err != nil {
		return core.Breakdown{}, err
	}
	levels, err := b.store.Segments(ctx, key, attr)
	if err != nil {
		return core.Breakdown{}, err
	}
	return core.BreakDown(e, attr, levels, now, b.settings.Guards), nil
}

// AttrKeys returns the attribute keys an experiment's units gave.
func (b *Backend) AttrKeys(ctx context.Context, key string) ([]string, error) {
	return b.store.AttrKeys(ctx, key)
}
