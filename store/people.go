package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// AddPerson stores a new person or lane and returns it with its ID. A
// name another person has but for case, spacing or Unicode form is refused with a
// *core.FieldError (see core.DuplicateName). The name is stored in NFC.
func (s *Store) AddPerson(ctx context.Context, actor string, p core.Person) (core.Person, error) {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("add person: %w", err)
	}
	p.Version = 1
	err := s.update(ctx, actor, func(w *writeTx) error {
		if err := checkPersonName(w.tx, p); err != nil {
			return err
		}
		if err := w.putNext(bucketPeople, KindPerson, "person.add", func(id uint64) { p.ID = id }, &p); err != nil {
			return err
		}
		v, err := json.Marshal(p)
		if err != nil {
			return err
		}
		return w.putRevision(KindPerson, p.ID, p.Version, v)
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

// UpdatePerson saves p, an edit of the stored person with p's ID made
// from version p.Version, merged with writes since as UpdateBrief does. A
// rename to another person's name is refused as AddPerson refuses it.
func (s *Store) UpdatePerson(ctx context.Context, actor string, p core.Person) (core.Person, core.Merged, error) {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return p, core.Merged{}, fmt.Errorf("update person: %w", err)
	}
	var merged core.Merged
	err := s.update(ctx, actor, func(w *writeTx) error {
		var old core.Person
		if err := get(w.tx, bucketPeople, itob(p.ID), &old); err != nil {
			return err
		}
		mine, m, err := mergeEdit(w.tx, KindPerson, core.PersonFields(), p.ID, p.Version, old.Version, old, p)
		if err != nil {
			return err
		}
		if err := mine.Validate(); err != nil {
			return err
		}
		if err := checkPersonName(w.tx, mine); err != nil {
			return err
		}
		before, err := json.Marshal(old)
		if err != nil {
			return err
		}
		from := p.Version
		if from == old.Version {
			from = 0
		}
		mine.Version = old.Version + 1
		v, err := json.Marshal(mine)
		if err != nil {
			return err
		}
		if err := w.tx.Bucket(bucketPeople).Put(itob(p.ID), v); err != nil {
			return err
		}
		if err := w.putRevision(KindPerson, p.ID, mine.Version, v); err != nil {
			return err
		}
		p, merged = mine, m
		merged.Version = mine.Version
		return w.recordVersion(KindPerson, "person.edit", strconv.FormatUint(p.ID, 10), mine.Version, from, before, v)
	})
	if err != nil {
		return p, core.Merged{}, fmt.Errorf("update person %q: %w", p.Name, err)
	}
	return p, merged, nil
}

// checkPersonName refuses, in tx, p's name when another stored person has
// it but for case or spacing.
func checkPersonName(tx *bolt.Tx, p core.Person) error {
	people, err := list[core.Person](tx, bucketPeople)
	if err != nil {
		return err
	}
	return core.DuplicateName(p, people)
}
