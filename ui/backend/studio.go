package backend

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models"
)

// GenerateRequest asks the studio for variants of a brief.
type GenerateRequest struct {
	BriefID uint64
	N       int
	Model   string
	Seed    int
}

// Retrieve returns the context a brief's generation is grounded in: the
// brand guidelines and past winners on its channel or audience, with their
// lift, most relevant first.
func (b *Backend) Retrieve(ctx context.Context, br core.Brief, g core.BrandGuideline) ([]models.Source, error) {
	var out []models.Source
	if g.Voice != "" {
		out = append(out, models.Source{ID: fmt.Sprintf("guideline/%d", g.Version), Text: g.Voice})
	}
	exps, err := b.store.Experiments(ctx)
	if err != nil {
		return nil, err
	}
	var results []core.Result
	for _, e := range exps {
		totals, err := b.store.Totals(ctx, e.Key)
		if err != nil {
			return nil, err
		}
		if r, ok := core.ExperimentResult(e, totals); ok && r.Copy != "" {
			results = append(results, r)
		}
	}
	for _, r := range core.PerformanceContext(br, results) {
		if len(out) >= 4 {
			break
		}
		out = append(out, models.Source{ID: "experiment/" + r.Experiment + "/" + r.Variant,
			Text: fmt.Sprintf("%q won %+.0f%% on %s", r.Copy, 100*r.Lift, strings.TrimSpace(r.Channel+" "+r.Audience))})
	}
	return out, nil
}

// Generate makes variants for a brief with the local model, grounded in the
// guidelines and past winners, and stores them with provenance for who.
// onToken streams the model's text; onVariant sees each stored variant.
func (b *Backend) Generate(ctx context.Context, who core.Identity, client *models.Client, req GenerateRequest,
	onToken func(int, string), onVariant func(core.GeneratedVariant)) ([]core.GeneratedVariant, error) {
	if err := core.Authorize(who, core.ActionGenerate); err != nil {
		return nil, err
	}
	br, err := b.store.Brief(ctx, req.BriefID)
	if err != nil {
		return nil, err
	}
	g, err := b.Guideline(ctx)
	if err != nil {
		return nil, err
	}
	sources, err := b.Retrieve(ctx, br, g)
	if err != nil {
		return nil, err
	}
	var lane *core.Person
	people, err := b.store.People(ctx)
	if err != nil {
		return nil, err
	}
	for i := range people {
		if people[i].Lane == core.LaneAI {
			lane = &people[i]
		}
	}
	rate := 0.0
	if lane != nil {
		rate = lane.CostPerHour
	}
	vr := models.VariantRequest{Options: models.Options{Model: req.Model, Seed: req.Seed, Temperature: 0.8},
		Brief: br, Guideline: g, Context: sources, N: req.N, Retries: 3, CostPerHour: rate}
	var stored []core.GeneratedVariant
	_, err = client.Variants(ctx, vr, onToken, func(v core.GeneratedVariant) {
		saved, serr := b.store.AddGenerated(ctx, who.Name, []core.GeneratedVariant{v})
		if serr == nil {
			stored = append(stored, saved[0])
			if onVariant != nil {
				onVariant(saved[0])
			}
		}
	})
	if lane != nil && len(stored) > 0 {
		// Measured throughput becomes the AI lane's capacity in planning.
		var total time.Duration
		for _, v := range stored {
			total += v.Provenance.Duration
		}
		lane.Speedup = core.MeasuredSpeedup(total / time.Duration(len(stored)))
		if _, uerr := b.store.UpdatePerson(ctx, "studio", *lane); uerr != nil && err == nil {
			err = uerr
		}
	}
	if err != nil {
		return stored, err
	}
	if len(stored) < req.N {
		return stored, fmt.Errorf("stored %d of %d variants", len(stored), req.N)
	}
	return stored, nil
}

// Generated returns one stored variant.
func (b *Backend) Generated(ctx context.Context, id uint64) (core.GeneratedVariant, error) {
	return b.store.Generated(ctx, id)
}

// ModelClient returns a client for $OLLAMA_HOST.
func ModelClient() (*models.Client, error) { return models.FromEnvironment(2 * time.Minute) }
