package core

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// Ensure that learning capacity reads a cell's traffic and baseline from
// its recent experiments, sizes tests with the rule's plan, shares traffic
// among the tests planned there, waits for an unfinished brief, and flags
// what cannot decide within the period.
func TestPlanLearning(t *testing.T) {
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	to := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	arms := []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}
	// Ten days of 1,000 units a day at a 10 % rate on email/smb, decided.
	done := Experiment{Key: "done", Channel: "email", Audience: "smb", Winner: "b", Variants: arms}
	day := func(d int) time.Time { return now.AddDate(0, 0, d) }
	in := LearningInput{
		Experiments: []Experiment{
			done,
			{Key: "next", Channel: "Email", Audience: "SMB", Variants: arms},
			{Key: "later", Channel: "email", Audience: "smb", Variants: arms, BriefID: 7},
			{Key: "dark", Channel: "web", Audience: "smb", Variants: arms},
		},
		Totals: map[string]map[string]VariantTotals{"done": {
			"a": {Exposures: 5000, Converters: 500, First: day(-10), Last: day(0)},
			"b": {Exposures: 5000, Converters: 560, First: day(-10), Last: day(0)},
		}},
		Briefs:     map[uint64]Brief{7: {ID: 7, Stage: StageInProduction, Due: day(10)}},
		Guards:     DefaultGuards(),
		ReviewDays: 2,
	}
	p := PlanLearning(in, now, now, to)
	if len(p.Cells) != 2 || len(p.Tests) != 3 {
		t.Fatalf("cells %+v, tests %+v", p.Cells, p.Tests)
	}
	email := p.Cells[0]
	n, _ := neededPerArm(ArmStats{Rate: ptr(0.1)}, MetricConversion, 1, in.Guards.Policy)
	if email.UnitsPerDay != 1000 || *email.BaselineRate != 0.1 || math.Abs(*email.DaysPerTest-2*n/1000) > 1e-9 {
		t.Fatalf("email cell = %+v (n %v)", email, n)
	}
	// Its two planned tests, sharing 1,000 units a day, run past the
	// period: no more fit, and the cell is overbooked.
	if email.TestsPossible != 0 || !email.Overbooked || len(email.Planned) != 2 {
		t.Fatalf("tests possible %d, overbooked %v; planned %v", email.TestsPossible, email.Overbooked, email.Planned)
	}
	byKey := map[string]PlannedTest{}
	for _, pt := range p.Tests {
		byKey[pt.Experiment] = pt
	}
	// Two tests share 1,000 units a day: each gets 500 for its 2n units.
	next := byKey["next"]
	if next.Decision == nil || math.Abs(*next.TrafficDays-2*n/500) > 1e-9 || !next.Start.Equal(now) {
		t.Fatalf("next = %+v", next)
	}
	// "later" waits for its brief: due in 10 days, plus 2 days of review.
	if later := byKey["later"]; !later.Start.Equal(day(12)) || !later.Decision.Equal(day(12).Add(time.Duration(*later.TrafficDays*24*float64(time.Hour)))) {
		t.Fatalf("later = %+v", later)
	}
	if dark := byKey["dark"]; dark.Decision != nil || dark.Why == "" || p.Cells[1].DaysPerTest != nil {
		t.Fatalf("a cell without traffic: %+v, %+v", dark, p.Cells[1])
	}
	if !byKey["later"].AfterPeriod {
		t.Fatalf("later decides within the period: %+v", byKey["later"])
	}
	// With a 50 % MDE the tests need far fewer units: both decide in the
	// period, and more tests fit after them.
	in.Guards.Policy.MDE = 0.5
	p = PlanLearning(in, now, now, to)
	if c := p.Cells[0]; c.Overbooked || c.TestsPossible < 1 || !c.NextStart.Before(to) {
		t.Fatalf("email at a 50 %% MDE = %+v", c)
	}
}

// BenchmarkPlanLearning plans 200 channel × audience cells with 500
// planned tests beside 200 decided ones, each cell's traffic by weekday
// (target ≤ 10 ms).
func BenchmarkPlanLearning(b *testing.B) {
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	arms := []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}
	in := LearningInput{Totals: map[string]map[string]VariantTotals{}, Briefs: map[uint64]Brief{}, Guards: DefaultGuards(), Daily: map[string]DailyUnits{}}
	days := make(DailyUnits, LearningWindowDays)
	for i := 18; i < LearningWindowDays; i++ {
		days[i] = uint64(500 + 100*(i%7))
	}
	for i := range 700 {
		e := Experiment{Key: fmt.Sprintf("e%d", i), Channel: fmt.Sprintf("c%d", i%20), Audience: fmt.Sprintf("a%d", i/20%10), Variants: arms}
		if i < 200 {
			e.Winner = "b"
			in.Totals[e.Key] = map[string]VariantTotals{
				"a": {Exposures: 5000, Converters: 500, First: now.AddDate(0, 0, -10), Last: now},
				"b": {Exposures: 5000, Converters: 520, First: now.AddDate(0, 0, -10), Last: now},
			}
			in.Daily[e.Key] = days // a weekday shape for every cell
		}
		in.Experiments = append(in.Experiments, e)
	}
	b.ResetTimer()
	for b.Loop() {
		if p := PlanLearning(in, now, now, now.AddDate(0, 3, 0)); len(p.Cells) != 200 || len(p.Tests) != 500 {
			b.Fatalf("%d cells, %d tests", len(p.Cells), len(p.Tests))
		}
	}
}

func TestMedianReviewDays(t *testing.T) {
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	review := func(status ReviewStatus, submittedDaysAgo, approvedDaysAgo int) Review {
		return Review{Status: status, Updated: now.AddDate(0, 0, -approvedDaysAgo), Copies: []RoundCopy{{Round: 1, Submitted: now.AddDate(0, 0, -submittedDaysAgo)}}}
	}
	reviews := []Review{
		review(ReviewApproved, 10, 8),   // 2 days
		review(ReviewApproved, 6, 2),    // 4 days
		review(ReviewApproved, 5, 4),    // 1 day
		review(ReviewPending, 9, 0),     // not approved
		review(ReviewApproved, 200, 95), // approved too long ago
	}
	if got := MedianReviewDays(reviews, now); got != 2 {
		t.Fatalf("median = %v, want 2", got)
	}
	if got := MedianReviewDays(nil, now); got != 0 {
		t.Fatalf("no reviews: %v", got)
	}
}

// Ensure that traffic is read from the recent weeks only, that a test its
// rule has already decided waits only for a declaration, and that a test
// that would take years is flagged past the period instead of dated.
func TestPlanLearning_Edges(t *testing.T) {
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	to := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	arms := []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}
	year := now.AddDate(-1, 0, 0)
	in := LearningInput{
		Experiments: []Experiment{
			{Key: "long", Channel: "web", Audience: "all", Winner: "b", Variants: arms},
			{Key: "clear", Channel: "web", Audience: "all", Variants: arms},
		},
		Totals: map[string]map[string]VariantTotals{
			// A year at 1,000 units a day an arm: 2,000 a day in all.
			"long": {"a": {Exposures: 365000, Converters: 36500, First: year, Last: now}, "b": {Exposures: 365000, Converters: 40000, First: year, Last: now}},
			// 10 % against 14 %, 20,000 units an arm over two weeks: decided.
			"clear": {"a": {Exposures: 20000, Converters: 2000, First: now.AddDate(0, 0, -14), Last: now}, "b": {Exposures: 20000, Converters: 2800, First: now.AddDate(0, 0, -14), Last: now}},
		},
		Guards: DefaultGuards(),
	}
	p := PlanLearning(in, now, now, to)
	if u := p.Cells[0].UnitsPerDay; math.Abs(u-(2000+40000.0/14)) > 1 {
		t.Errorf("units per day = %v, want the window's 2,000 + 2,857", u)
	}
	if clear := p.Tests[0]; clear.Experiment != "clear" || clear.Decision == nil || !clear.Decision.Equal(now) || clear.Why == "" {
		t.Errorf("a decided test = %+v", clear)
	}
	in.Experiments = append(in.Experiments, Experiment{Key: "tiny", Channel: "web", Audience: "all", Variants: arms,
		Guards: &Guards{MinUnitsPerArm: 1000, MinRuntime: 0, Policy: DecisionPolicy{Rule: RuleSequential, Alpha: 0.05, MDE: 1e-4, Power: 0.8, Tuning: 5000, RiskThreshold: 0.0025}}})
	p = PlanLearning(in, now, now, to)
	for _, pt := range p.Tests {
		if pt.Experiment == "tiny" && (pt.Decision != nil || !pt.AfterPeriod || pt.Why == "") {
			t.Errorf("a test of a 0.01 %% lift = %+v", pt)
		}
	}
	if !p.Cells[0].Overbooked {
		t.Error("a cell with a test past the period is not overbooked")
	}
}

// Ensure that a brief still being made starts its test once its owner's
// free hours in the capacity plan cover its estimate, then review: Ana has
// 4 × 40 h, 80 h of it planned (this brief's 20 h, which count as hers to
// use, and 60 h of another), so 100 h free over 28 days, and the 20 h take
// 5.6 days; review takes 2 more.
func TestPlanLearning_ProductionFromCapacity(t *testing.T) {
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) // a Monday
	arms := []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}
	briefs := []Brief{
		{ID: 7, Title: "Spring email", Owner: "Ana", EstimateHours: 20, Due: now.AddDate(0, 0, 10), Stage: StageInProduction},
		{ID: 8, Title: "Other", Owner: "ana", EstimateHours: 60, Start: now, Due: now.AddDate(0, 0, 20), Stage: StagePlanned},
	}
	people := []Person{{ID: 1, Name: "Ana", Lane: LaneInHouse, WeeklyHours: 40}}
	in := LearningInput{
		Experiments: []Experiment{{Key: "next", Channel: "email", Audience: "smb", Variants: arms, BriefID: 7}},
		Totals:      map[string]map[string]VariantTotals{},
		Briefs:      map[uint64]Brief{7: briefs[0], 8: briefs[1]},
		Guards:      DefaultGuards(),
		ReviewDays:  2,
		Capacity:    PlanCapacity(people, briefs, Weeks(now, 4), nil),
	}
	got := PlanLearning(in, now, now, now.AddDate(0, 3, 0)).Tests[0].Start
	want := now.Add(time.Duration((20/(100.0/28) + 2) * 24 * float64(time.Hour)))
	if d := got.Sub(want); d < -time.Minute || d > time.Minute {
		t.Fatalf("start %v, want %v", got, want)
	}
}
