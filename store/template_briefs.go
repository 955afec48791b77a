package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// AddBriefFromTemplate files a new brief made from the latest version of
// the brief template named name (see core.ApplyBriefTemplate), in one
// transaction with reading the template: the brief records the version it
// was made from.
func (s *Store) AddBriefFromTemplate(ctx context.Context, actor, name string, given core.Brief) (core.Brief, error) {
	var added core.Brief
	err := s.update(ctx, actor, func(w *writeTx) error {
		t, err := latestTemplate(w.tx, core.TemplateBrief, name)
		if err != nil {
			return err
		}
		b, err := core.ApplyBriefTemplate(t, given)
		if err != nil {
			return err
		}
		added, err = w.addBrief(b)
		return err
	})
	if err != nil {
		return core.Brief{}, fmt.Errorf("add brief from template %q: %w", name, err)
	}
	return added, nil
}

// TickBrief ticks (or, with done false, unticks) an item of a brief's
// checklist as actor; see core.Brief.Tick for how items are named. A tick
// that changes nothing writes nothing.
func (s *Store) TickBrief(ctx context.Context, actor string, id uint64, item string, done bool) (core.Brief, error) {
	var saved core.Brief
	err := s.update(ctx, actor, func(w *writeTx) error {
		old, err := getBrief(w.tx, id)
		if err != nil {
			return err
		}
		b, err := old.Tick(item, done, actor, w.now)
		if err != nil {
			return err
		}
		if sameTicks(old.Checklist, b.Checklist) {
			saved = old
			return nil
		}
		b.Updated = w.now
		saved, err = w.putBrief(&old, b, "brief.check", 0)
		return err
	})
	if err != nil {
		return core.Brief{}, fmt.Errorf("check brief %d: %w", id, err)
	}
	return saved, nil
}

// sameTicks reports whether two versions of a checklist have the same
// items ticked: ticking a ticked item keeps who ticked it first.
func sameTicks(a, b []core.ChecklistItem) bool {
	for i := range a {
		if a[i].Done != b[i].Done {
			return false
		}
	}
	return true
}

// SetTemplateRequirement makes every new brief of assetType be made from
// the brief template named name, or, with name "", lifts the requirement.
// The template must exist and be in use.
func (s *Store) SetTemplateRequirement(ctx context.Context, actor, assetType, name string) (core.TemplateRequirements, error) {
	var req core.TemplateRequirements
	err := s.update(ctx, actor, func(w *writeTx) error {
		var err error
		if req, err = readTemplateRequirements(w.tx); err != nil {
			return err
		}
		next := core.TemplateRequirements{}
		for asset, tmpl := range req {
			if !strings.EqualFold(asset, assetType) {
				next[asset] = tmpl
			}
		}
		if name != "" {
			t, err := latestTemplate(w.tx, core.TemplateBrief, name)
			if err != nil {
				return err
			}
			if t.Retired {
				return &core.TemplateError{Ref: t.Ref(), Problem: "is retired; require a template in use"}
			}
			next[strings.TrimSpace(assetType)] = t.Name
		}
		if err := next.Validate(); err != nil {
			return err
		}
		req = next
		return w.putMeta(keyTemplateRequirements, KindSettings, "template.require", assetType, next)
	})
	if err != nil {
		return nil, fmt.Errorf("require a template for %q: %w", assetType, err)
	}
	return req, nil
}

// TemplateRequirements returns the asset types that require a template.
func (s *Store) TemplateRequirements(ctx context.Context) (core.TemplateRequirements, error) {
	var req core.TemplateRequirements
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		req, err = readTemplateRequirements(tx)
		return err
	})
	return req, err
}

// readTemplateRequirements reads the requirements in tx: none until set.
func readTemplateRequirements(tx *bolt.Tx) (core.TemplateRequirements, error) {
	req := core.TemplateRequirements{}
	err := get(tx, bucketMeta, keyTemplateRequirements, &req)
	if errors.Is(err, ErrNotFound) {
		return core.TemplateRequirements{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read template requirements: %w", err)
	}
	return req, nil
}
