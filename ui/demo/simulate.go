package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// Simulator writes live-looking traffic and board moves into a workspace.
type Simulator struct {
	st  Simulated
	rng *rand.Rand
	// arms holds each variant's true conversion rate and traffic share, by
	// "experiment/variant", so that winners (and one broken split) emerge.
	arms map[string]arm
	unit int
	// unitsPerArm is the mean number of units a batch exposes per variant.
	unitsPerArm int
}

// arm is a variant's true behaviour in the simulation.
type arm struct {
	rate  float64
	share float64 // relative traffic; unequal to the weights means SRM
}

// traffic is how the demo's experiments behave: a clear winner, a close
// three-way race, a split that breaks its weights, and a fresh launch.
func traffic() map[string]arm {
	return map[string]arm{
		"spring-email/a": {0.030, 1}, "spring-email/b": {0.042, 1},
		"trial-nudge/control": {0.050, 1}, "trial-nudge/social-proof": {0.058, 1}, "trial-nudge/urgency": {0.061, 1},
		"retarget-banner/photo": {0.035, 1.2}, "retarget-banner/illustration": {0.036, 1},
		"devsummit-post/a": {0.040, 1}, "devsummit-post/b": {0.050, 1},
	}
}

// NewSimulator returns a simulator over st; the same seed makes the same
// traffic.
func NewSimulator(st Simulated, seed uint64) *Simulator {
	return &Simulator{st: st, rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), arms: traffic(), unitsPerArm: 30}
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
		if e.Winner != "" || now.Before(e.Started) {
			continue
		}
		arms := make([]arm, len(e.Variants))
		var total float64
		for i, v := range e.Variants {
			a, ok := s.arms[e.Key+"/"+v.Key]
			if !ok { // an experiment people added: a gentle gradient
				a = arm{rate: 0.03 + 0.005*float64(i), share: 1}
			}
			arms[i] = a
			total += a.share
		}
		// Each unit is assigned by its arm's share, as a real splitter does.
		units := int(float64(s.unitsPerArm*len(arms)) * (0.5 + s.rng.Float64()))
		for range units {
			pick, x := 0, s.rng.Float64()*total
			for x > arms[pick].share && pick < len(arms)-1 {
				x -= arms[pick].share
				pick++
			}
			v := e.Variants[pick]
			s.unit++
			unit := fmt.Sprintf("u-%d-%d", now.Unix(), s.unit)
			batch = append(batch, core.Event{TS: now, Experiment: e.Key, Variant: v.Key, Unit: unit, Type: core.EventExposure})
			if s.rng.Float64() < arms[pick].rate {
				batch = append(batch, core.Event{TS: now, Experiment: e.Key, Variant: v.Key, Unit: unit, Type: core.EventConversion})
			}
		}
	}
	if len(batch) == 0 {
		return nil
	}
	return s.st.IngestEvents(ctx, "simulator", batch)
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
