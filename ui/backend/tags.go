package backend

import (
	"context"
	"fmt"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models"
)

// SuggestTags asks the local model, for who, which taxonomy terms fit a
// brief (see models.SuggestTags). Nothing is stored: a person accepts the
// suggestion (AcceptTags) or edits the brief.
func (b *Backend) SuggestTags(ctx context.Context, who core.Identity, client *models.Client, briefID uint64, model string, seed int) (core.TagSuggestion, error) {
	if err := core.Authorize(who, core.ActionGenerate); err != nil {
		return core.TagSuggestion{}, err
	}
	br, err := b.store.Brief(ctx, briefID)
	if err != nil {
		return core.TagSuggestion{}, err
	}
	tax, err := b.store.Taxonomy(ctx)
	if err != nil {
		return core.TagSuggestion{}, err
	}
	if len(tax.Channels)+len(tax.Audiences)+len(tax.AssetTypes)+len(tax.Tags) == 0 {
		return core.TagSuggestion{}, &core.FieldError{Record: "taxonomy", Field: "terms", Problem: "is empty; add the terms to choose from first (`tandem taxonomy add`)"}
	}
	rate, err := b.aiRate(ctx)
	if err != nil {
		return core.TagSuggestion{}, err
	}
	s, err := client.SuggestTags(ctx, models.TagRequest{Options: models.Options{Model: model, Seed: seed}, Brief: br, Taxonomy: tax, CostPerHour: rate})
	if err != nil {
		return core.TagSuggestion{}, fmt.Errorf("suggest tags for brief %d: %w", briefID, err)
	}
	return s, nil
}

// AcceptTags saves a suggestion's terms on its brief for who, as an edit
// of the version the suggestion was made from (merged like any edit).
func (b *Backend) AcceptTags(ctx context.Context, who core.Identity, s core.TagSuggestion, version uint64) (core.Brief, error) {
	br, err := b.store.Brief(ctx, s.BriefID)
	if err != nil {
		return core.Brief{}, err
	}
	edit := s.Accept(br)
	edit.Version = version
	saved, _, err := b.UpdateBrief(ctx, who, edit)
	return saved, err
}
