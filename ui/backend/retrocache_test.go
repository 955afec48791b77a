package backend

import (
	"context"
	"sync"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that a Retro is computed once per write for every session that
// asks, is recomputed after a write it reads, and not after an event batch.
func TestRetro_SharedPerWrite(t *testing.T) {
	be, _ := openBackend(t)
	ctx := context.Background()
	if _, err := be.SeedDemo(ctx, admin, snapNow); err != nil {
		t.Fatal(err)
	}
	q := RetroQuery{From: snapNow.AddDate(0, 0, -28), To: snapNow, Day: snapNow}
	first, err := be.Retro(ctx, q)
	if err != nil || len(first.Trends) == 0 {
		t.Fatalf("retro: %v, %d trends", err, len(first.Trends))
	}
	again, _ := be.Retro(ctx, q)
	if &again.Trends[0] != &first.Trends[0] {
		t.Fatal("a second session recomputed the same Retro")
	}
	ev := core.Event{TS: snapNow, Experiment: "spring-email", Variant: "a", Unit: "u-new", Type: core.EventExposure}
	if _, err := be.Ingest(ctx, admin, []core.Event{ev}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	if after, _ := be.Retro(ctx, q); &after.Trends[0] != &first.Trends[0] {
		t.Fatal("an event batch, which no KPI reads, recomputed the Retro")
	}
	to := core.StagePlanned
	if b, _ := be.Brief(ctx, 1); b.Stage == to {
		to = core.StageIntake // a move to the stage it is in writes nothing
	}
	if _, err := be.MoveBrief(ctx, admin, 1, to, true); err != nil {
		t.Fatal(err)
	}
	if after, _ := be.Retro(ctx, q); &after.Trends[0] == &first.Trends[0] {
		t.Fatal("a brief move left the Retro as it was")
	}
}

// BenchmarkRetro_100Sessions measures what a write costs the Retro tabs of
// 100 sessions: one computation shared, against each computing its own.
func BenchmarkRetro_100Sessions(b *testing.B) {
	be, _ := openBackend(b)
	ctx := context.Background()
	if _, err := be.SeedDemo(ctx, admin, snapNow); err != nil {
		b.Fatal(err)
	}
	q := RetroQuery{From: snapNow.AddDate(0, 0, -28), To: snapNow, Day: snapNow}
	stage := core.StagePlanned
	write := func() {
		stage = map[core.Stage]core.Stage{core.StagePlanned: core.StageIntake, core.StageIntake: core.StagePlanned}[stage]
		if _, err := be.MoveBrief(ctx, admin, 1, stage, true); err != nil {
			b.Fatal(err)
		}
	}
	sessions := func(get func() error) {
		var wg sync.WaitGroup
		for range 100 {
			wg.Go(func() {
				if err := get(); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
	}
	b.Run("shared", func(b *testing.B) {
		for b.Loop() {
			write()
			sessions(func() error { _, err := be.Retro(ctx, q); return err })
		}
	})
	b.Run("each-session", func(b *testing.B) {
		for b.Loop() {
			write()
			sessions(func() error { _, err := be.computeRetro(ctx, q); return err })
		}
	})
}
