package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// copies are first drafts for the demo's reviews; some break brand rules
// on purpose, so the lint has something to say.
func copies() []string {
	return []string{
		"Spring is here: see what's new in your workspace. Terms apply.",
		"Our world-class platform delivers synergy for every team.",
		"Save five hours a week with one shared plan. Terms apply.",
		"Utilize the new dashboard to see every campaign at a glance.",
		"Your trial ends soon. Keep your plans, your people and your numbers. Terms apply.",
	}
}

// seedReviews puts the briefs in review through their flows at past times:
// some waiting long enough to breach their SLA, some past a round of
// requested changes, one at its second stage.
func seedReviews(ctx context.Context, st Seeder, now time.Time) error {
	briefs, err := st.BriefsInStage(ctx, core.StageReview)
	if err != nil {
		return err
	}
	texts := copies()
	// Ana decides as an admin so that every demo flow's stages are hers to
	// seed, whoever their approvers are.
	lead := core.Identity{Name: "Ana Ruiz", Role: core.RoleAdmin}
	for i, b := range briefs {
		started := now.Add(-time.Duration(3+9*i) * time.Hour)
		at := st.At(ctx, started)
		if _, err := st.Submit(at, b.Owner, b.ID, 0, texts[i%len(texts)]); err != nil {
			return fmt.Errorf("seed review of brief %d: %w", b.ID, err)
		}
		switch i % 4 {
		case 1: // changes requested, then a second round
			d := core.Decision{BriefID: b.ID, Kind: core.DecisionRequestChanges, Comment: "Lead with the benefit and drop the jargon."}
			if _, err := st.Decide(st.At(ctx, started.Add(time.Hour)), lead, d); err != nil {
				return fmt.Errorf("seed review of brief %d: %w", b.ID, err)
			}
			if _, err := st.Submit(st.At(ctx, started.Add(2*time.Hour)), b.Owner, b.ID, 0, "Busy teams save five hours every week with one shared plan. Terms apply."); err != nil {
				return fmt.Errorf("seed review of brief %d: %w", b.ID, err)
			}
		case 2: // the first stage passed; waiting on the second
			if _, err := st.Decide(st.At(ctx, started.Add(time.Hour)), lead, core.Decision{BriefID: b.ID, Kind: core.DecisionApprove}); err != nil {
				return fmt.Errorf("seed review of brief %d: %w", b.ID, err)
			}
		}
	}
	return nil
}
