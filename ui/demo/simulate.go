package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// Simulator writes live-looking traffic and board moves into a workspace.
type Simulator struct {
	st  *store.Store
	rng *rand.Rand
	// rates is each variant's true conversion rate, so winners emerge.
	rates map[string]float64
	unit  int
}

// NewSimulator returns a simulator over st; the same seed makes the same
// traffic.
func NewSimulator(st *store.Store, seed uint64) *Simulator {
	return &Simulator{st: st, rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), rates: map[string]float64{}}
}

// Run writes a batch of events every interval and moves a brief along the
// board every few batches, until ctx ends.
func (s *Simulator) Run(ctx context.Context, interval time.Duration) error {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return nil
		case now := <-tick.C:
			if err := s.Events(ctx, now); err != nil {
				return err
			}
			if n%3 == 0 {
				if err := s.Move(ctx); err != nil {
					return err
				}
			}
		}
	}
}

// Events writes one batch of exposures and conversions for every
// experiment without a declared winner.
func (s *Simulator) Events(ctx context.Context, now time.Time) error {
	exps, err := s.st.Experiments(ctx)
	if err != nil {
		return err
	}
	var batch []core.Event
	for _, e := range exps {
		if e.Winner != "" {
			continue
		}
		for i, v := range e.Variants {
			key := e.Key + "/" + v.Key
			rate, ok := s.rates[key]
			if !ok {
				rate = 0.03 + 0.012*float64(i) + s.rng.Float64()*0.01
				s.rates[key] = rate
			}
			for range 20 + s.rng.IntN(20) {
				s.unit++
				unit := fmt.Sprintf("u-%d", s.unit)
				batch = append(batch, core.Event{TS: now, Experiment: e.Key, Variant: v.Key, Unit: unit, Type: core.EventExposure})
				if s.rng.Float64() < rate {
					batch = append(batch, core.Event{TS: now, Experiment: e.Key, Variant: v.Key, Unit: unit, Type: core.EventConversion})
				}
			}
		}
	}
	if len(batch) == 0 {
		return nil
	}
	_, err = s.st.Ingest(ctx, "simulator", batch, store.IngestOptions{})
	return err
}

// Move advances one random brief that is not yet live by one stage.
func (s *Simulator) Move(ctx context.Context) error {
	briefs, err := s.st.Briefs(ctx)
	if err != nil {
		return err
	}
	var open []core.Brief
	for _, b := range briefs {
		if b.Stage < core.StageLive {
			open = append(open, b)
		}
	}
	if len(open) == 0 {
		return nil
	}
	b := open[s.rng.IntN(len(open))]
	_, err = s.st.MoveBrief(ctx, "simulator", b.ID, b.Stage.Next())
	return err
}
