package backend

import (
	"context"
	"fmt"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// AddPerson adds a person or lane for who.
func (b *Backend) AddPerson(ctx context.Context, who core.Identity, p core.Person) (core.Person, error) {
	if err := core.Authorize(who, core.ActionEditPeople); err != nil {
		return p, err
	}
	return b.store.AddPerson(ctx, who.Name, p)
}

// PersonByName finds a person by name, in any case or Unicode form (see
// core.SameName).
func (b *Backend) PersonByName(ctx context.Context, name string) (core.Person, error) {
	people, err := b.store.People(ctx)
	if err != nil {
		return core.Person{}, err
	}
	for _, p := range people {
		if core.SameName(p.Name, name) {
			return p, nil
		}
	}
	return core.Person{}, fmt.Errorf("person %q: %w; see `tandem person list`", name, store.ErrNotFound)
}

// UpdatePerson saves an edit of a person for who, made from version
// p.Version and merged like UpdateBrief's.
func (b *Backend) UpdatePerson(ctx context.Context, who core.Identity, p core.Person) (core.Person, core.Merged, error) {
	if err := core.Authorize(who, core.ActionEditPeople); err != nil {
		return p, core.Merged{}, err
	}
	return b.store.UpdatePerson(ctx, who.Name, p)
}

// Capacity plans n weeks from the week of from.
func (b *Backend) Capacity(ctx context.Context, from time.Time, n int) (*core.Plan, error) {
	people, err := b.store.People(ctx)
	if err != nil {
		return nil, err
	}
	briefs, err := b.store.Briefs(ctx)
	if err != nil {
		return nil, err
	}
	return core.PlanCapacity(people, briefs, core.Weeks(from, n), b.settings.Holidays), nil
}
