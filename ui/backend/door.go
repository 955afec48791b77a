package backend

import (
	"context"
	"fmt"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// checkOwner refuses an owner that is no person or lane, suggesting the
// nearest names, unless it is the owner the brief already had (was): a
// person removed since keeps their briefs until someone reassigns them.
func (b *Backend) checkOwner(ctx context.Context, was, owner string) error {
	if owner == "" || owner == was {
		return nil
	}
	people, err := b.store.People(ctx)
	if err != nil {
		return err
	}
	return core.CheckOwner(owner, people)
}

// AddTerms adds to the taxonomy the terms br uses that it lacks, for who,
// an admin: what `--new-term` does before filing or editing a brief with a
// new channel, audience, asset type or tag. A list the taxonomy leaves
// empty accepts any term, so nothing is added to it.
func (b *Backend) AddTerms(ctx context.Context, who core.Identity, br core.Brief) (core.Taxonomy, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return core.Taxonomy{}, err
	}
	br.Normalize()
	tax, err := b.store.Taxonomy(ctx)
	if err != nil {
		return core.Taxonomy{}, err
	}
	missing := tax.Missing(br)
	if missing.Empty() {
		return missing, nil
	}
	tax.Channels = append(tax.Channels, missing.Channels...)
	tax.Audiences = append(tax.Audiences, missing.Audiences...)
	tax.AssetTypes = append(tax.AssetTypes, missing.AssetTypes...)
	tax.Tags = append(tax.Tags, missing.Tags...)
	if err := b.store.SetTaxonomy(ctx, who.Name, tax); err != nil {
		return core.Taxonomy{}, fmt.Errorf("add new terms: %w", err)
	}
	return missing, nil
}

// FileAction files the retro's action brief for a brief stalled for d,
// for who, unless an open one for it is on the board already: then it
// says which, and files nothing, however often it is asked.
func (b *Backend) FileAction(ctx context.Context, who core.Identity, stalled core.Brief, d time.Duration, now time.Time) (core.Brief, error) {
	if err := core.Authorize(who, core.ActionEditBrief); err != nil {
		return core.Brief{}, err
	}
	action := core.UnblockBrief(stalled, d, now)
	briefs, err := b.store.Briefs(ctx)
	if err != nil {
		return core.Brief{}, err
	}
	if dup, ok := core.OpenDuplicate(action, briefs); ok {
		return core.Brief{}, fmt.Errorf("#%d %q is already on the board in %s; move it on rather than filing another", dup.ID, dup.Title, dup.Stage)
	}
	return b.AddBrief(ctx, who, action)
}
