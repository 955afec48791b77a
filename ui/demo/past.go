package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// pastTest is a finished test of a generated variant against a control,
// from before the demo's live experiments: the history the recipe ledger
// and the studio's "what works" learn from.
type pastTest struct {
	key, name, channel, audience string
	copy                         core.Copy
	grounded                     bool
	lint                         int
	// rates are the control's and the generated variant's true rates.
	rates [2]float64
	// winner is "variant" or "control", as the team declared it.
	winner string
}

func pastTests() []pastTest {
	return []pastTest{
		{"oct-newsletter", "October newsletter opener", "email", "smb owners",
			core.Copy{Headline: "Your week, planned in ten minutes", Body: "One board for briefs, reviews and results. Terms apply.", CTA: "Plan this week"},
			true, 88, [2]float64{0.030, 0.043}, "variant"},
		{"autumn-trial", "Autumn trial welcome", "email", "trial users",
			core.Copy{Headline: "Ship your first campaign today", Body: "Start from a template your team already trusts. Terms apply.", CTA: "Start now"},
			true, 84, [2]float64{0.050, 0.068}, "variant"},
		{"devs-oct-post", "October developer post", "organic social", "developers",
			core.Copy{Headline: "Fewer meetings, more launches", Body: "See every brief, review and result in one place. Terms apply.", CTA: "See how"},
			true, 81, [2]float64{0.040, 0.055}, "variant"},
		{"lapsed-sept-banner", "September win-back banner", "display", "lapsed customers",
			core.Copy{Headline: "Come back to calmer launches", Body: "Plans that keep up. Terms apply.", CTA: "Return"},
			false, 66, [2]float64{0.035, 0.035}, "control"},
	}
}

// pastUnitsPerArm is each arm's units over a past test's two weeks.
const pastUnitsPerArm = 5000

// seedPastTests adds the past tests: a generated variant each (grounded
// in past winners or not), two weeks of traffic ending a month ago, and
// the team's declaration.
func seedPastTests(ctx context.Context, st Seeder, rng *rand.Rand, briefID uint64, now time.Time) error {
	start := now.AddDate(0, 0, -45)
	for _, t := range pastTests() {
		p := core.Provenance{Model: "llama3.2", Digest: "sha256:a80c4f17acd5", Seed: 7, Temperature: 0.7, NumCtx: 4096, GuidelineVersion: 1, Attempts: 1}
		if t.grounded {
			p.Sources = []string{"past winners on " + t.channel + " / " + t.audience}
		}
		made, err := st.AddGenerated(st.At(ctx, start.AddDate(0, 0, -3)), Actor, []core.GeneratedVariant{{BriefID: briefID, Copy: t.copy, Lint: core.LintResult{Score: t.lint}, Provenance: p}})
		if err != nil {
			return err
		}
		g := made[0]
		treatment := fmt.Sprintf("g%d", g.ID)
		e := core.Experiment{Key: t.key, Name: t.name, Channel: t.channel, Audience: t.audience, BriefID: briefID, Started: start,
			Variants: []core.Variant{{Key: "a", Name: "Control", Copy: "The plan your team needs", Weight: 1, Control: true},
				{Key: treatment, Name: "Generated", Copy: g.Copy.Text(), Weight: 1}}}
		if _, err := st.AddExperiment(st.At(ctx, start), Actor, e); err != nil {
			return err
		}
		var events []core.Event
		for arm, v := range []string{"a", treatment} {
			for u := range pastUnitsPerArm {
				ts := start.Add(time.Duration(rng.Int64N(int64(14 * 24 * time.Hour))))
				unit := fmt.Sprintf("%s-%s-%d", t.key, v, u)
				events = append(events, core.Event{TS: ts, Experiment: t.key, Variant: v, Unit: unit, Type: core.EventExposure})
				if rng.Float64() < t.rates[arm] {
					events = append(events, core.Event{TS: ts.Add(time.Hour), Experiment: t.key, Variant: v, Unit: unit, Type: core.EventConversion})
				}
			}
		}
		if err := st.IngestEvents(st.At(ctx, start.AddDate(0, 0, 14)), Actor, events); err != nil {
			return err
		}
		winner, override := treatment, ""
		if t.winner == "control" {
			winner, override = "a", "no difference after two weeks: kept the control"
		}
		if _, err := st.DeclareWinner(st.At(ctx, start.AddDate(0, 0, 15)), Actor, t.key, winner, override); err != nil {
			return fmt.Errorf("declare %s: %w", t.key, err)
		}
	}
	return nil
}
