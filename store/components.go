package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// AddComponent stores a copy component as a draft and returns it with its
// ID and creation time.
func (s *Store) AddComponent(ctx context.Context, actor string, c core.Component) (core.Component, error) {
	c.Author, c.State, c.Approver = actor, core.ComponentDraft, ""
	if err := c.Validate(); err != nil {
		return c, err
	}
	err := s.update(ctx, actor, func(w *writeTx) error {
		if c.Generated != 0 && w.tx.Bucket(bucketGenerated).Get(itob(c.Generated)) == nil {
			return fmt.Errorf("generated variant %d: %w", c.Generated, ErrNotFound)
		}
		c.Created = w.now
		return w.putNext(bucketComponents, KindComponent, "component.add", func(id uint64) { c.ID = id }, &c)
	})
	if err != nil {
		return c, fmt.Errorf("add component: %w", err)
	}
	return c, nil
}

// Component returns one component, or ErrNotFound.
func (s *Store) Component(ctx context.Context, id uint64) (core.Component, error) {
	var c core.Component
	if err := s.view(ctx, func(tx *bolt.Tx) error { return get(tx, bucketComponents, itob(id), &c) }); err != nil {
		return c, fmt.Errorf("component %d: %w", id, err)
	}
	return c, nil
}

// Components returns every component, oldest first.
func (s *Store) Components(ctx context.Context) ([]core.Component, error) {
	return listAll[core.Component](ctx, s, bucketComponents, "components")
}

// SetComponentState approves or retires component id for who, audited.
// A retired component stays retired.
func (s *Store) SetComponentState(ctx context.Context, who string, id uint64, state core.ComponentState) (core.Component, error) {
	var c core.Component
	err := s.update(ctx, who, func(w *writeTx) error {
		b := w.tx.Bucket(bucketComponents)
		before := b.Get(itob(id))
		if before == nil {
			return fmt.Errorf("component %d: %w; see `tandem component list`", id, ErrNotFound)
		}
		if err := json.Unmarshal(before, &c); err != nil {
			return err
		}
		if c.State == core.ComponentRetired {
			return fmt.Errorf("component %d is retired; add a new one instead", id)
		}
		c.State = state
		if state == core.ComponentApproved {
			c.Approver = who
		}
		v, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if err := b.Put(itob(id), v); err != nil {
			return err
		}
		return w.record(KindComponent, "component."+string(state), strconv.FormatUint(id, 10), before, v)
	})
	if err != nil {
		return c, fmt.Errorf("%s component %d: %w", state, id, err)
	}
	return c, nil
}
