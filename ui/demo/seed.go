// Package demo builds the demo workspace: a realistic team, a quarter of
// briefs across the board, running experiments and brand guidelines, and a
// simulator that keeps the cockpit moving so a newcomer sees it alive.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// Actor is the name the demo's writes carry in the audit trail.
const Actor = "demo"

// taxonomy is the demo workspace's shared vocabulary.
func taxonomy() core.Taxonomy {
	return core.Taxonomy{
		Channels:   []string{"email", "paid social", "organic social", "web", "display", "events"},
		Audiences:  []string{"smb owners", "enterprise it", "developers", "lapsed customers", "trial users"},
		AssetTypes: []string{"email", "social post", "landing page", "banner", "video", "blog post"},
		Tags:       []string{"q1", "q2", "q3", "q4"},
	}
}

// team is the demo's people and lanes, with skills and weekly hours.
func team() []core.Person {
	return []core.Person{
		{Name: "Ana Ruiz", Lane: core.LaneInHouse, Skills: []string{"copy", "strategy"}, WeeklyHours: 40, CostPerHour: 70},
		{Name: "Ben Okafor", Lane: core.LaneInHouse, Skills: []string{"design"}, WeeklyHours: 40, CostPerHour: 65},
		{Name: "Chloe Park", Lane: core.LaneInHouse, Skills: []string{"design", "video"}, WeeklyHours: 32, CostPerHour: 65},
		{Name: "Dev Patel", Lane: core.LaneInHouse, Skills: []string{"copy"}, WeeklyHours: 40, CostPerHour: 60},
		{Name: "Eva Lind", Lane: core.LaneInHouse, Skills: []string{"web", "design"}, WeeklyHours: 40, CostPerHour: 75},
		{Name: "Femi Adeyemi", Lane: core.LaneInHouse, Skills: []string{"strategy", "analytics"}, WeeklyHours: 40, CostPerHour: 80},
		{Name: "Gus Moreau", Lane: core.LaneFreelance, Skills: []string{"video"}, WeeklyHours: 20, CostPerHour: 90},
		{Name: "Hana Sato", Lane: core.LaneFreelance, Skills: []string{"copy"}, WeeklyHours: 16, CostPerHour: 85},
		{Name: "Ivo Novak", Lane: core.LaneFreelance, Skills: []string{"design"}, WeeklyHours: 24, CostPerHour: 80},
		{Name: "Northwind Studio", Lane: core.LaneAgency, Skills: []string{"video", "design"}, WeeklyHours: 60, CostPerHour: 140},
		{Name: "Brightline Media", Lane: core.LaneAgency, Skills: []string{"web", "copy"}, WeeklyHours: 40, CostPerHour: 120},
		{Name: "Local model", Lane: core.LaneAI, Skills: []string{"copy"}, WeeklyHours: 40, CostPerHour: 2},
	}
}

// briefs makes n briefs spread over eight weeks around now, most early
// work in the future and most late-stage work in the past.
func briefs(rng *rand.Rand, tax core.Taxonomy, people []core.Person, n int, now time.Time) []core.Brief {
	titles := []string{
		"Welcome series", "Win-back offer", "Feature launch teaser", "Customer story", "Webinar invite",
		"Pricing page refresh", "Holiday promo", "Onboarding tips", "Product tour video", "Partner spotlight",
		"Case study one-pager", "Newsletter", "Retargeting banner", "Event recap", "Trial nudge",
	}
	campaigns := []string{"spring launch", "retention q4", "dev summit", "pricing refresh"}
	out := make([]core.Brief, n)
	day := now.Truncate(24 * time.Hour)
	skills := map[string]string{"email": "copy", "social post": "copy", "landing page": "web", "banner": "design", "video": "video", "blog post": "copy"}
	for i := range out {
		stage := core.Stage(rng.IntN(len(core.AllStages())))
		asset := tax.AssetTypes[rng.IntN(len(tax.AssetTypes))]
		// Later stages started earlier: shift the window back by stage.
		start := day.AddDate(0, 0, rng.IntN(28)-7*int(stage))
		due := start.AddDate(0, 0, 3+rng.IntN(14))
		owner := people[rng.IntN(len(people)-1)].Name // the model owns nothing
		out[i] = core.Brief{
			Title:         titles[rng.IntN(len(titles))],
			Objective:     "Lift qualified sign-ups from this audience",
			Audience:      tax.Audiences[rng.IntN(len(tax.Audiences))],
			Channel:       tax.Channels[rng.IntN(len(tax.Channels))],
			Campaign:      campaigns[rng.IntN(len(campaigns))],
			KPITarget:     fmt.Sprintf("CTR %.1f%%", 1+rng.Float64()*3),
			AssetType:     asset,
			Skill:         skills[asset],
			Tags:          []string{fmt.Sprintf("q%d", (int(due.Month())-1)/3+1)},
			Stage:         stage,
			Owner:         owner,
			Start:         start,
			Due:           due,
			EstimateHours: float64(4 + rng.IntN(30)),
		}
		if rng.IntN(12) == 0 {
			out[i].EstimateHours = 0 // some briefs arrive without an estimate
		}
	}
	return out
}

func experiments(now time.Time) []core.Experiment {
	return []core.Experiment{
		{Key: "spring-email", Name: "Spring launch subject lines", Audience: "smb owners", Channel: "email", Started: now.AddDate(0, 0, -9),
			Variants: []core.Variant{{Key: "a", Name: "Control", Copy: "Spring is here: see what's new", Weight: 1, Control: true}, {Key: "b", Name: "Benefit-led", Copy: "Save 5 hours a week this spring", Weight: 1}}},
		{Key: "trial-nudge", Name: "Trial day-7 nudge", Audience: "trial users", Channel: "email", Started: now.AddDate(0, 0, -5),
			Variants: []core.Variant{{Key: "control", Name: "Plain reminder", Weight: 1, Control: true}, {Key: "social-proof", Name: "Social proof", Weight: 1}, {Key: "urgency", Name: "Urgency", Weight: 1}}},
		{Key: "retarget-banner", Name: "Retargeting banner art", Audience: "lapsed customers", Channel: "display", Started: now.AddDate(0, 0, -14),
			Variants: []core.Variant{{Key: "photo", Name: "Photo", Weight: 1, Control: true}, {Key: "illustration", Name: "Illustration", Weight: 1}}},
		{Key: "devsummit-post", Name: "Dev summit announcement", Audience: "developers", Channel: "organic social", Started: now.AddDate(0, 0, -2),
			Variants: []core.Variant{{Key: "a", Name: "Speaker-led", Weight: 1, Control: true}, {Key: "b", Name: "Agenda-led", Weight: 1}}},
	}
}

func guideline() core.BrandGuideline {
	return core.BrandGuideline{
		Voice:        "Warm, plain and specific. Lead with the customer's benefit; no hype.",
		Banned:       []string{"synergy", "revolutionary", "best-in-class", "world-class"},
		Preferred:    map[string]string{"utilize": "use", "customers": "people", "leverage": "use"},
		Required:     []string{"Terms apply."},
		MaxLength:    map[string]int{"email": 60, "paid social": 125, "display": 40},
		ReadingLevel: 8,
	}
}

func flows() []core.ApprovalFlow {
	return []core.ApprovalFlow{
		{Name: "Standard copy", AssetType: "email", Stages: []core.ApprovalStage{
			{Name: "Brand review", Mode: core.ModeParallel, Reviewers: []string{"Dev Patel"}, Approvers: []string{"Ana Ruiz"}, Rule: core.RuleAll, SLAHours: 8},
			{Name: "Legal", Mode: core.ModeSequential, Approvers: []string{"Femi Adeyemi"}, Rule: core.RuleAny, SLAHours: 16},
		}},
		{Name: "Paid media", AssetType: "banner", Stages: []core.ApprovalStage{
			{Name: "Creative lead", Mode: core.ModeSequential, Approvers: []string{"Ben Okafor", "Chloe Park"}, Rule: core.RuleAny, SLAHours: 8},
		}},
	}
}

// Seed fills an empty workspace with the demo data. A workspace that
// already has briefs is left as it is, so seeding twice is harmless; it
// reports whether it seeded.
func Seed(ctx context.Context, st Seeder, now time.Time) (bool, error) {
	existing, err := st.Briefs(ctx)
	if err != nil {
		return false, err
	}
	if len(existing) > 0 {
		return false, nil
	}
	rng := rand.New(rand.NewPCG(7, 11))
	tax := taxonomy()
	if err := st.SetTaxonomy(ctx, Actor, tax); err != nil {
		return false, fmt.Errorf("seed demo: %w", err)
	}
	people := team()
	for i, p := range people {
		if people[i], err = st.AddPerson(ctx, Actor, p); err != nil {
			return false, fmt.Errorf("seed demo: %w", err)
		}
	}
	if err := seedBriefHistory(ctx, st, rng, briefs(rng, tax, people, 60, now), now); err != nil {
		return false, fmt.Errorf("seed demo: %w", err)
	}
	for _, e := range experiments(now) {
		if _, err := st.AddExperiment(ctx, Actor, e); err != nil {
			return false, fmt.Errorf("seed demo: %w", err)
		}
	}
	if _, _, err := st.SaveGuideline(ctx, Actor, guideline()); err != nil {
		return false, fmt.Errorf("seed demo: %w", err)
	}
	for _, f := range flows() {
		if _, err := st.AddFlow(ctx, Actor, f); err != nil {
			return false, fmt.Errorf("seed demo: %w", err)
		}
	}
	if err := seedReviews(ctx, st, now); err != nil {
		return false, err
	}
	for _, n := range retroNotes(now) {
		if _, err := st.AddRetroNote(st.At(ctx, n.Time), n.Author, n); err != nil {
			return false, fmt.Errorf("seed demo: %w", err)
		}
	}
	if err := seedPastTests(ctx, st, rng, 1, now); err != nil {
		return false, fmt.Errorf("seed demo: %w", err)
	}
	sim := NewSimulator(st, 1)
	sim.unitsPerArm = 150
	for i := range 60 { // fifteen days of history, so experiments open with trends
		if err := sim.Events(ctx, now.Add(time.Duration(i-60)*6*time.Hour)); err != nil {
			return false, fmt.Errorf("seed demo: %w", err)
		}
	}
	return true, nil
}

// retroNotes are last week's and this week's notes from both teams.
func retroNotes(now time.Time) []core.RetroNote {
	last, this := core.WeekOf(now.AddDate(0, 0, -7)).String(), core.WeekOf(now).String()
	note := func(period, team, author, text string, daysAgo int) core.RetroNote {
		return core.RetroNote{Period: period, Team: team, Author: author, Text: text, Time: now.AddDate(0, 0, -daysAgo)}
	}
	return []core.RetroNote{
		note(last, "MOps", "Femi Adeyemi", "Benefit-led subject lines beat the control again; brief the next email with the winner up front.", 6),
		note(last, "CreativeOps", "Ana Ruiz", "Legal review was the bottleneck twice; ask for a standing slot on Tuesdays.", 5),
		note(this, "CreativeOps", "Ben Okafor", "Video briefs arrive without an audience; intake should ask for one.", 1),
		note(this, "MOps", "Femi Adeyemi", "The retargeting test has a sample-ratio mismatch: check the ad server split before reading it.", 0),
	}
}

// seedBriefHistory files each brief before its start and walks it through
// the stages up to where it stands, at past times, so that cycle times,
// on-time delivery and throughput have a history to show.
func seedBriefHistory(ctx context.Context, st Seeder, rng *rand.Rand, briefs []core.Brief, now time.Time) error {
	for _, b := range briefs {
		target := b.Stage
		b.Stage = core.StageIntake
		created := b.Start.AddDate(0, 0, -2-rng.IntN(4))
		added, err := st.AddBrief(st.At(ctx, created), Actor, b)
		if err != nil {
			return err
		}
		// Spread the moves from created to a finish near the due date:
		// most on time, some a few days late.
		finish := b.Due.AddDate(0, 0, rng.IntN(5)-3)
		if finish.After(now) {
			finish = now.Add(-time.Hour)
		}
		steps := int(target)
		for s := 1; s <= steps; s++ {
			at := created.Add(time.Duration(float64(finish.Sub(created)) * float64(s) / float64(max(steps, 1))))
			if at.After(now) {
				at = now.Add(-time.Duration(steps-s+1) * time.Minute)
			}
			if _, err := st.MoveBrief(st.At(ctx, at), Actor, added.ID, core.Stage(s)); err != nil {
				return err
			}
		}
	}
	return nil
}
