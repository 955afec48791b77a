package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/tandem-ops/tandem/core"
)

// AddPerson stores a new person or lane and returns it with its ID.
func (s *Store) AddPerson(ctx context.Context, actor string, p core.Person) (core.Person, error) {
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("add person: %w", err)
	}
	err := s.update(ctx, actor, func(w *writeTx) error {
		return w.putNext(bucketPeople, KindPerson, "person.add", func(id uint64) { p.ID = id }, &p)
	})
	if err != nil {
		return p, fmt.Errorf("add person %q: %w", p.Name, err)
	}
	return p, nil
}

// People returns every person and lane in ID order.
func (s *Store) People(ctx context.Context) ([]core.Person, error) {
	return listAll[core.Person](ctx, s, bucketPeople, "people")
}

// UpdatePerson replaces the stored person with p's ID.
func (s *Store) UpdatePerson(ctx context.Context, actor string, p core.Person) (core.Person, error) {
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("update person: %w", err)
	}
	err := s.update(ctx, actor, func(w *writeTx) error {
		bucket := w.tx.Bucket(bucketPeople)
		before := bucket.Get(itob(p.ID))
		if before == nil {
			return ErrNotFound
		}
		before = append([]byte(nil), before...)
		v, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if err := bucket.Put(itob(p.ID), v); err != nil {
			return err
		}
		return w.record(KindPerson, "person.edit", strconv.FormatUint(p.ID, 10), before, v)
	})
	if err != nil {
		return p, fmt.Errorf("update person %q: %w", p.Name, err)
	}
	return p, nil
}
