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
	// First is the index of the first variant to make (see
	// models.VariantRequest.First).
	First int
	// Now is when the request is made: past experiments are read as of it.
	Now time.Time
}

// retrievalK is how many sources go into a prompt.
const retrievalK = 4

// Retrieve returns the context a brief's generation is grounded in, most
// relevant first: chunks of the brand guidelines and past winners with their
// lift, ranked by cosine similarity of embeddings from embedModel (cached in
// the store), or by BM25 when no embedding model answers; components that
// won a factorial test on the brief's channel and audience come first (see
// core.PreferWinners). Past results are read as of now, and say how far
// they hold (see core.Result.Standing).
func (b *Backend) Retrieve(ctx context.Context, client *models.Client, embedModel string, br core.Brief, g core.BrandGuideline, now time.Time) ([]models.Source, string, error) {
	docs, err := b.documents(ctx, g, now)
	if err != nil || len(docs) == 0 {
		return nil, "", err
	}
	query := strings.Join([]string{br.Title, br.Objective, br.Audience, br.Channel, br.KPITarget}, " ")
	ranked, method := b.rankByEmbedding(ctx, client, embedModel, query, docs)
	if ranked == nil {
		ranked, method = core.BM25(query, docs, retrievalK), "bm25"
	}
	ranked = core.PreferWinners(ranked, docs, br.Channel, br.Audience, retrievalK)
	out := make([]models.Source, len(ranked))
	for i, r := range ranked {
		out[i] = models.Source{ID: docs[r].ID, Text: docs[r].Text}
	}
	return out, method, nil
}

// documents are the retrievable chunks: the guideline's parts, every
// experiment's best result with its copy, when it leads the control and
// the experiment holds (no SRM, no data error), and every component that
// won a factorial test that holds.
func (b *Backend) documents(ctx context.Context, g core.BrandGuideline, now time.Time) ([]core.Document, error) {
	var docs []core.Document
	add := func(id, text string) {
		if strings.TrimSpace(text) != "" {
			docs = append(docs, core.Document{ID: id, Text: text})
		}
	}
	v := fmt.Sprintf("guideline/%d", g.Version)
	add(v+"/voice", g.Voice)
	if len(g.Banned) > 0 {
		add(v+"/banned", "Never say: "+strings.Join(g.Banned, ", "))
	}
	if len(g.Required) > 0 {
		add(v+"/required", "Always include: "+strings.Join(g.Required, " "))
	}
	exps, err := b.store.Experiments(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range exps {
		totals, err := b.store.Totals(ctx, e.Key)
		if err != nil {
			return nil, err
		}
		if r, ok := core.ExperimentResult(core.Analyze(e, totals, now, b.settings.Guards)); ok && r.Copy != "" && r.Lift > 0 {
			add("experiment/"+r.Experiment+"/"+r.Variant, pastResult(r))
		}
		wins, err := b.componentDocuments(ctx, e, totals, now)
		if err != nil {
			return nil, err
		}
		docs = append(docs, wins...)
	}
	return docs, nil
}

// pastResult is a past experiment's result as the model reads it. It says
// "declared winner" or "leading, not yet significant" as the evidence
// stands, so that a lead that may vanish is never passed off as a win.
func pastResult(r core.Result) string {
	lift := fmt.Sprintf("%+.0f%%", 100*r.Lift)
	if !r.Evidence.Holds() {
		lift = "~" + lift
	}
	return fmt.Sprintf("%q (%s): %s vs control on %s for %s", r.Copy, r.Standing(), lift, r.Channel, r.Audience)
}

// rankByEmbedding ranks docs by embedding similarity, or returns nil when
// the embedding model cannot be used.
func (b *Backend) rankByEmbedding(ctx context.Context, client *models.Client, model, query string, docs []core.Document) ([]int, string) {
	if client == nil || model == "" {
		return nil, ""
	}
	texts := make([]string, len(docs))
	for i, d := range docs {
		texts[i] = d.Text
	}
	vecs, err := b.store.Embeddings(ctx, model, texts)
	if err != nil {
		return nil, ""
	}
	var missing []string
	var at []int
	for i, v := range vecs {
		if v == nil {
			missing, at = append(missing, texts[i]), append(at, i)
		}
	}
	if len(missing) > 0 {
		fresh, err := client.Embed(ctx, model, missing)
		if err != nil {
			return nil, ""
		}
		for j, i := range at {
			vecs[i] = fresh[j]
		}
		_ = b.store.CacheEmbeddings(ctx, model, missing, fresh) // a miss next time costs one call
	}
	q, err := client.Embed(ctx, model, []string{query})
	if err != nil {
		return nil, ""
	}
	return core.TopByCosine(q[0], vecs, retrievalK), "embeddings"
}

// Generate makes variants for a brief with the local model, grounded in the
// guidelines and past winners, and stores them with provenance for who.
// onToken streams the model's text; onVariant sees each stored variant.
func (b *Backend) Generate(ctx context.Context, who core.Identity, client *models.Client, req GenerateRequest,
	onToken func(int, string), onVariant func(core.GeneratedVariant)) ([]core.GeneratedVariant, error) {
	save := func(v core.GeneratedVariant) (core.GeneratedVariant, error) {
		saved, err := b.store.AddGenerated(ctx, who.Name, []core.GeneratedVariant{v})
		if err != nil {
			return v, err
		}
		return saved[0], nil
	}
	return b.generate(ctx, who, client, req, onToken, onVariant, save)
}

// generate is Generate storing each variant with save; a variant save
// refuses stops the generation with its error.
func (b *Backend) generate(ctx context.Context, who core.Identity, client *models.Client, req GenerateRequest,
	onToken func(int, string), onVariant func(core.GeneratedVariant), save func(core.GeneratedVariant) (core.GeneratedVariant, error)) ([]core.GeneratedVariant, error) {
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
	embedModel := b.settings.Models.EmbedModel
	if embedModel == "" {
		embedModel = req.Model
	}
	sources, _, err := b.Retrieve(ctx, client, embedModel, br, g, req.Now)
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
		Brief: br, Guideline: g, Context: sources, N: req.N, First: req.First, Retries: 3, CostPerHour: rate}
	var stored []core.GeneratedVariant
	genCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var saveErr error
	_, err = client.Variants(genCtx, vr, onToken, func(v core.GeneratedVariant) {
		saved, serr := save(v)
		if serr != nil {
			saveErr = serr
			cancel() // nothing more is made that cannot be stored
			return
		}
		stored = append(stored, saved)
		if onVariant != nil {
			onVariant(saved)
		}
	})
	if saveErr != nil {
		err = saveErr
	}
	if lane != nil && len(stored) > 0 {
		// Measured throughput becomes the AI lane's capacity in planning.
		var total time.Duration
		for _, v := range stored {
			total += v.Provenance.Duration
		}
		lane.Speedup = core.MeasuredSpeedup(total / time.Duration(len(stored)))
		if _, _, uerr := b.store.UpdatePerson(ctx, "studio", *lane); uerr != nil && err == nil {
			err = uerr
		}
	}
	if err != nil {
		return stored, err
	}
	if len(stored) < req.N-req.First {
		return stored, fmt.Errorf("stored %d of %d variants", len(stored), req.N-req.First)
	}
	return stored, nil
}

// Generated returns one stored variant.
func (b *Backend) Generated(ctx context.Context, id uint64) (core.GeneratedVariant, error) {
	return b.store.Generated(ctx, id)
}

// GeneratedFor returns the variants generated for a brief, oldest first.
func (b *Backend) GeneratedFor(ctx context.Context, briefID uint64) ([]core.GeneratedVariant, error) {
	return b.store.GeneratedFor(ctx, briefID)
}

// SaveGuideline stores brand guidelines as the next version for who;
// g.Version is the version the edit was made from (0: replace), merged
// with saves since like a brief's edit (see store.SaveGuideline).
func (b *Backend) SaveGuideline(ctx context.Context, who core.Identity, g core.BrandGuideline) (core.BrandGuideline, core.Merged, error) {
	if err := core.Authorize(who, core.ActionEditBrief); err != nil {
		return g, core.Merged{}, err
	}
	return b.store.SaveGuideline(ctx, who.Name, g)
}
