package backend

import (
	"context"
	"errors"
	"fmt"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models"
)

// ComponentsRequest asks the studio for components by slot for a brief:
// Slots says how many of each; the model, seed and time are a
// generation's (its N is worked out from the slots).
type ComponentsRequest struct {
	GenerateRequest
	Slots []core.SlotCount
}

// SlotComponents are the components generated for one slot.
type SlotComponents struct {
	Slot       string           `json:"slot"`
	Components []core.Component `json:"components"`
}

// RejectedComponent is a generated part that is not a valid component
// (empty, too long), with why; the rest of the generation goes on.
type RejectedComponent struct {
	Slot      string `json:"slot"`
	Generated uint64 `json:"generated"`
	Problem   string `json:"problem"`
}

// GeneratedComponents is what generation by slot made: the draft
// components per slot and every combination of them, assembled and linted
// for the brief's channel.
type GeneratedComponents struct {
	BriefID      uint64              `json:"brief_id"`
	Channel      string              `json:"channel"`
	Slots        []SlotComponents    `json:"slots"`
	Rejected     []RejectedComponent `json:"rejected"`
	Combinations []core.Assembly     `json:"combinations"`
}

// ComponentsProgress is told how a generation by slot goes: the model's
// tokens and each stored variant, as Generate reports them, then each
// component as it is stored. A nil func is not called.
type ComponentsProgress struct {
	Token     func(variant int, token string)
	Variant   func(core.GeneratedVariant)
	Component func(core.Component)
}

// GenerateComponents generates components per slot for a brief under the
// brand guidelines: the studio makes as many variants as the largest
// slot asks for (grounded and stored with provenance as Generate does),
// and each variant's part of a slot becomes a draft component of it,
// linted, whose provenance is that variant. Every combination of the
// stored components is then assembled and linted as whole copy for the
// brief's channel; those that break a rule are marked, not dropped.
// progress sees the run as it goes.
func (b *Backend) GenerateComponents(ctx context.Context, who core.Identity, client *models.Client, req ComponentsRequest,
	progress ComponentsProgress) (GeneratedComponents, error) {
	out := GeneratedComponents{BriefID: req.BriefID, Slots: []SlotComponents{}, Rejected: []RejectedComponent{}, Combinations: []core.Assembly{}}
	if err := core.CheckSlotCounts(req.Slots); err != nil {
		return out, err
	}
	if err := core.Authorize(who, core.ActionEditBrief); err != nil {
		return out, err
	}
	br, err := b.store.Brief(ctx, req.BriefID)
	if err != nil {
		return out, err
	}
	out.Channel = br.Channel
	var terms []string // what it was made for; a stored brief's are valid names
	for _, t := range []string{br.Channel, br.Audience} {
		if t != "" {
			terms = append(terms, t)
		}
	}
	gen := req.GenerateRequest
	gen.N = 0
	for _, s := range req.Slots {
		gen.N = max(gen.N, s.N)
	}
	variants, genErr := b.Generate(ctx, who, client, gen, progress.Token, progress.Variant)
	slots := make([][]core.Component, len(req.Slots))
	for j, s := range req.Slots {
		sc := SlotComponents{Slot: s.Slot, Components: []core.Component{}}
		for _, v := range variants[:min(s.N, len(variants))] {
			part, _ := v.Copy.Part(s.Slot)
			c, err := b.AddComponent(ctx, who, core.Component{Slot: s.Slot, Text: core.ComponentText(part), Terms: terms, Generated: v.ID})
			var fe *core.FieldError
			switch {
			case errors.As(err, &fe):
				out.Rejected = append(out.Rejected, RejectedComponent{Slot: s.Slot, Generated: v.ID, Problem: err.Error()})
				continue
			case err != nil:
				return out, fmt.Errorf("store the %s of generated variant %d: %w", s.Slot, v.ID, err)
			}
			sc.Components = append(sc.Components, c)
			if progress.Component != nil {
				progress.Component(c)
			}
		}
		slots[j] = sc.Components
		out.Slots = append(out.Slots, sc)
	}
	g, err := b.Guideline(ctx)
	if err != nil {
		return out, err
	}
	out.Combinations = core.Combine(slots, br.Channel, g)
	return out, genErr
}
