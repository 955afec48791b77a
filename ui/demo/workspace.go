package demo

import (
	"context"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// Seeder is what Seed writes through. The backend hands in its store, as
// no user could: the demo writes as the people of its story, at the times
// of its past, and the backend authorizes the one who asked for the demo.
// Seed fills in fifteen days of traffic with a Simulator over it too.
type Seeder interface {
	Simulated
	// At stamps the writes made with the returned context at t.
	At(ctx context.Context, t time.Time) context.Context
	BriefsInStage(ctx context.Context, stage core.Stage) ([]core.Brief, error)
	SetTaxonomy(ctx context.Context, actor string, t core.Taxonomy) error
	AddPerson(ctx context.Context, actor string, p core.Person) (core.Person, error)
	AddExperiment(ctx context.Context, actor string, e core.Experiment) (core.Experiment, error)
	SaveGuideline(ctx context.Context, actor string, g core.BrandGuideline) (core.BrandGuideline, core.Merged, error)
	AddFlow(ctx context.Context, actor string, fl core.ApprovalFlow) (core.ApprovalFlow, error)
	AddRetroNote(ctx context.Context, actor string, n core.RetroNote) (core.RetroNote, error)
	AddBrief(ctx context.Context, actor string, b core.Brief) (core.Brief, error)
	Submit(ctx context.Context, actor string, briefID, flowID uint64, copyText string) (core.Review, error)
	Decide(ctx context.Context, who core.Identity, d core.Decision) (core.Review, error)
	AddGenerated(ctx context.Context, actor string, vs []core.GeneratedVariant) ([]core.GeneratedVariant, error)
	DeclareWinner(ctx context.Context, actor, key, variant, override string) (core.Experiment, error)
}

// Simulated is what a Simulator writes through.
type Simulated interface {
	Experiments(ctx context.Context) ([]core.Experiment, error)
	Briefs(ctx context.Context) ([]core.Brief, error)
	MoveBrief(ctx context.Context, actor string, id uint64, to core.Stage) (core.Brief, error)
	// IngestEvents stores a batch of events as actor.
	IngestEvents(ctx context.Context, actor string, events []core.Event) error
}
