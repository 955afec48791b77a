package backend

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/tandem-ops/tandem/core"
)

// AddComponent stores a copy component as a draft for who, linted against
// the brand guidelines.
func (b *Backend) AddComponent(ctx context.Context, who core.Identity, c core.Component) (core.Component, error) {
	if err := core.Authorize(who, core.ActionEditBrief); err != nil {
		return c, err
	}
	g, err := b.Guideline(ctx)
	if err != nil {
		return c, err
	}
	c.Lint = core.Lint(c.Text, "", g)
	return b.store.AddComponent(ctx, who.Name, c)
}

// Components returns every component, oldest first.
func (b *Backend) Components(ctx context.Context) ([]core.Component, error) {
	return b.store.Components(ctx)
}

// Component returns one component.
func (b *Backend) Component(ctx context.Context, id uint64) (core.Component, error) {
	return b.store.Component(ctx, id)
}

// ApproveComponent approves a component once, for reuse in any test; an
// approver's or an admin's call.
func (b *Backend) ApproveComponent(ctx context.Context, who core.Identity, id uint64) (core.Component, error) {
	if err := core.Authorize(who, core.ActionDecide); err != nil {
		return core.Component{}, err
	}
	return b.store.SetComponentState(ctx, who.Name, id, core.ComponentApproved)
}

// RetireComponent keeps a component out of new tests.
func (b *Backend) RetireComponent(ctx context.Context, who core.Identity, id uint64) (core.Component, error) {
	if err := core.Authorize(who, core.ActionEditBrief); err != nil {
		return core.Component{}, err
	}
	return b.store.SetComponentState(ctx, who.Name, id, core.ComponentRetired)
}

// Factorial is a factorial test ready to add: its experiment, with one arm
// per run of the design, and each arm's assembled copy's lint problems
// (marked, never dropped).
type Factorial struct {
	Experiment core.Experiment
	Design     core.Design
	// Breaks names each arm whose assembled copy breaks a lint rule, with
	// the rule.
	Breaks map[string][]string
}

// BuildFactorial designs a factorial test over slots (each a slot and its
// approved components' IDs, in order) within maxArms arms: e is the
// experiment's other fields; its variants are made here, keyed "f01",
// "f02"…, the first the control, traffic even.
func (b *Backend) BuildFactorial(ctx context.Context, e core.Experiment, slots []core.Factor, maxArms int) (Factorial, error) {
	byID := map[string]core.Component{}
	for _, s := range slots {
		for _, id := range s.Levels {
			n, err := strconv.ParseUint(id, 10, 64)
			if err != nil || n == 0 {
				return Factorial{}, &core.FieldError{Record: "design", Field: "factorial " + s.Slot, Problem: fmt.Sprintf("%q is not a component ID; see `tandem component list`", id)}
			}
			c, err := b.store.Component(ctx, n)
			if err != nil {
				return Factorial{}, err
			}
			switch {
			case c.State != core.ComponentApproved:
				return Factorial{}, &core.FieldError{Record: "design", Field: "factorial " + s.Slot,
					Problem: fmt.Sprintf("component %d is %s; only approved components are tested (`tandem component approve %d`)", n, c.State, n)}
			case !strings.EqualFold(c.Slot, s.Slot):
				return Factorial{}, &core.FieldError{Record: "design", Field: "factorial " + s.Slot, Problem: fmt.Sprintf("component %d is a %s, not a %s", n, c.Slot, s.Slot)}
			}
			byID[id] = c
		}
	}
	d, err := core.BuildDesign(slots, maxArms)
	if err != nil {
		return Factorial{}, err
	}
	g, err := b.Guideline(ctx)
	if err != nil {
		return Factorial{}, err
	}
	f := Factorial{Design: d, Breaks: map[string][]string{}}
	e.Factors, e.Variants = slots, nil
	for i, run := range d.Runs {
		v := core.Variant{Key: fmt.Sprintf("f%02d", i+1), Weight: 1, Control: i == 0, Components: map[string]string{}}
		parts := make([]core.Component, len(slots))
		for j, s := range slots {
			id := s.Levels[run[j]]
			v.Components[s.Slot], parts[j] = id, byID[id]
		}
		v.Copy, v.Name = core.Assemble(parts), v.Key
		for _, finding := range core.Lint(v.Copy, e.Channel, g).Findings {
			if finding.Severity == core.LintError {
				f.Breaks[v.Key] = append(f.Breaks[v.Key], finding.Message)
			}
		}
		e.Variants = append(e.Variants, v)
	}
	f.Experiment = e
	return f, nil
}

// Effects reads a factorial experiment's per-component effects from its
// stored totals, at the α of its rule; ok is false for an experiment that
// is not factorial.
func (b *Backend) Effects(ctx context.Context, key string) (core.Effects, bool, error) {
	e, err := b.store.Experiment(ctx, key)
	if err != nil {
		return core.Effects{}, false, err
	}
	totals, err := b.store.Totals(ctx, key)
	if err != nil {
		return core.Effects{}, false, err
	}
	return core.FactorialEffects(e, totals, e.GuardsOr(b.settings.Guards).Policy.Alpha)
}

// EffectsBy reads a factorial experiment's per-component effects on each
// value of the attribute attr of its units; ok is false for an experiment
// that is not factorial.
func (b *Backend) EffectsBy(ctx context.Context, key, attr string) (core.EffectsBreakdown, bool, error) {
	if !core.ValidKey(attr) {
		return core.EffectsBreakdown{}, false, fmt.Errorf("--by: %w", ErrBadAttr)
	}
	e, err := b.store.Experiment(ctx, key)
	if err != nil {
		return core.EffectsBreakdown{}, false, err
	}
	levels, err := b.store.Segments(ctx, key, attr)
	if err != nil {
		return core.EffectsBreakdown{}, false, err
	}
	return core.FactorialEffectsBy(e, attr, levels, e.GuardsOr(b.settings.Guards).Policy.Alpha)
}
