package core

import (
	"math"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core/stats"
)

// Ensure that a test's days are counted on the traffic of the weekdays it
// runs through: whole weeks first, then day by day from its start's time
// of day.
func TestDaysToCollect(t *testing.T) {
	friday := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	var workdaysOnly weekdayRates
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday} {
		workdaysOnly[d] = 1000
	}
	tests := []struct {
		name  string
		start time.Time
		rates weekdayRates
		need  float64
		want  float64
	}{
		{"flat", friday, flatRates(100), 250, 2.5},
		{"nothing needed", friday, flatRates(100), 0, 0},
		{"a Friday and half a Monday", friday, workdaysOnly, 1500, 3.5},
		{"from Friday noon", friday.Add(12 * time.Hour), workdaysOnly, 1500, 0.5 + 2 + 1},
		{"two weeks and a quarter day", friday.AddDate(0, 0, 3), workdaysOnly, 10250, 14.25},
		{"no traffic", friday, weekdayRates{}, 10, math.Inf(1)},
	}
	for _, tt := range tests {
		if got := daysToCollect(tt.start, tt.rates, tt.need); math.Abs(got-tt.want) > 1e-9 && got != tt.want {
			t.Errorf("%s: %v days, want %v", tt.name, got, tt.want)
		}
	}
}

// Ensure that an experiment's weekday rates are each weekday's mean over
// the days it ran, and that fewer than a week of days gives no shape.
func TestDailyRates(t *testing.T) {
	from, _ := LearningDays(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	days := make(DailyUnits, LearningWindowDays)
	for i := 7; i < 21; i++ { // two weeks: 1,000 a workday, 400 a weekend day
		days[i] = 1000
		if wd := from.AddDate(0, 0, i).Weekday(); wd == time.Saturday || wd == time.Sunday {
			days[i] = 400
		}
	}
	r, ok := dailyRates(days, from)
	if !ok || r.workdays() != 1000 || r.weekend() != 400 || math.Abs(r.mean()-(5000+800)/7.0) > 1e-9 {
		t.Fatalf("rates %v (ok %v)", r, ok)
	}
	if _, ok := dailyRates(days[:10], from); ok {
		t.Fatal("three days gave a weekday shape")
	}
}

// Ensure that the plan counts a cell's traffic by weekday once its
// experiments have a week of days: the cell says its workday and weekend
// rates, and a test starting on a Friday waits out a quiet weekend.
func TestPlanLearning_WeekdayTraffic(t *testing.T) {
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC) // a Friday
	from, _ := LearningDays(now)
	arms := []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}
	days := make(DailyUnits, LearningWindowDays)
	var total uint64
	for i := range days {
		days[i] = 200
		if wd := from.AddDate(0, 0, i).Weekday(); wd == time.Saturday || wd == time.Sunday {
			days[i] = 20
		}
		total += days[i]
	}
	in := LearningInput{
		Experiments: []Experiment{{Key: "running", Channel: "email", Audience: "smb", Variants: arms}},
		Totals: map[string]map[string]VariantTotals{"running": {
			"a": {Exposures: total / 2, Converters: total / 20, First: from, Last: now},
			"b": {Exposures: total / 2, Converters: total / 20, First: from, Last: now},
		}},
		Daily:  map[string]DailyUnits{"running": days},
		Guards: DefaultGuards(),
	}
	flat := in
	flat.Daily = nil
	shaped, even := PlanLearning(in, now, now, now.AddDate(0, 3, 0)), PlanLearning(flat, now, now, now.AddDate(0, 3, 0))
	c := shaped.Cells[0]
	if c.WorkdayUnitsPerDay != 200 || c.WeekendUnitsPerDay != 20 || math.Abs(c.UnitsPerDay-1040/7.0) > 1e-9 {
		t.Fatalf("cell = %+v", c)
	}
	if e := even.Cells[0]; e.WorkdayUnitsPerDay != e.WeekendUnitsPerDay {
		t.Fatalf("without days the rate is not even: %+v", e)
	}
	// The same units over the same weeks, so whole weeks cost the same;
	// what is left takes the Friday, two quiet days, and the Monday on.
	got, flatDays := *shaped.Tests[0].TrafficDays, *even.Tests[0].TrafficDays
	need := *shaped.Tests[0].NeededPerArm*2 - float64(total)
	if want := daysToCollect(now, c.rates, need); math.Abs(got-want) > 1e-9 {
		t.Fatalf("traffic days %v, want %v", got, want)
	}
	if got == flatDays {
		t.Fatalf("weekday traffic gave the flat %v days", flatDays)
	}
}

// Ensure that the plan's days to a decision follow the references the
// rules are sized by: for the fixed rule R's power.prop.test (p1 = .2,
// p2 = .25, power = .8 gives n = 1093.7 per group, so 1,094 units an arm),
// and for the sequential rule the least n at which GrowthBook's sequential
// power (docs.growthbook.io/statistics/power-technical: power =
// Φ(Δ/σ − halfwidth/σ) with gbstats' confidence-sequence half-width)
// reaches the power asked for, computed here independently of core/stats.
func TestPlanLearning_DaysAgainstReferences(t *testing.T) {
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	arms := []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}
	in := LearningInput{
		Experiments: []Experiment{{Key: "done", Channel: "web", Audience: "all", Winner: "b", Variants: arms}},
		Totals: map[string]map[string]VariantTotals{"done": {
			"a": {Exposures: 10000, Converters: 2000, First: now.AddDate(0, 0, -10), Last: now},
			"b": {Exposures: 10000, Converters: 2100, First: now.AddDate(0, 0, -10), Last: now},
		}},
		Guards: DefaultGuards(),
	}
	in.Guards.Policy.MDE = 0.25
	in.Guards.Policy.Rule = RuleFixed
	c := PlanLearning(in, now, now, now.AddDate(0, 3, 0)).Cells[0]
	if c.UnitsPerDay != 2000 || math.Abs(*c.DaysPerTest-2*1094/2000.0) > 1e-9 {
		t.Fatalf("fixed: %v units a day, %v days a test; want 1.094", c.UnitsPerDay, *c.DaysPerTest)
	}

	in.Guards.Policy.Rule = RuleSequential
	in.Guards.Policy.MDE = 0.10
	c = PlanLearning(in, now, now, now.AddDate(0, 3, 0)).Cells[0]
	n := *c.DaysPerTest * c.UnitsPerDay / 2
	pol := in.Guards.Policy
	if p := gbstatsSequentialPower(0.2, pol.MDE, n, pol.Alpha, pol.Tuning); p < pol.Power {
		t.Fatalf("sequential: %v units an arm have power %v, under %v", n, p, pol.Power)
	}
	if p := gbstatsSequentialPower(0.2, pol.MDE, n-1, pol.Alpha, pol.Tuning); p >= pol.Power {
		t.Fatalf("sequential: %v units an arm already have power %v; the plan is not the least", n-1, p)
	}
}

// gbstatsSequentialPower is GrowthBook's sequential power for a relative
// lift mde over a control rate p0 with n units in each of two arms: the
// delta-method variance of the relative lift, and the half-width of the
// normal-mixture confidence sequence tuned to n* (gbstats'
// sequential_interval_halfwidth, with N = 2n).
func gbstatsSequentialPower(p0, mde, n, alpha, tuning float64) float64 {
	p1 := p0 * (1 + mde)
	sigma := math.Sqrt((p1*(1-p1)/(p0*p0) + p1*p1*p0*(1-p0)/(p0*p0*p0*p0)) / n)
	la := math.Log(alpha)
	rho2 := (-2*la + math.Log(-2*la+1)) / tuning
	total := 2 * n
	s2 := sigma * sigma * total
	half := math.Sqrt(s2) * math.Sqrt(2*(total*rho2+1)/(total*total*rho2)*math.Log(math.Sqrt(total*rho2+1)/alpha))
	return stats.NormalCDF(mde/sigma - half/sigma)
}

// Ensure that a planned test whose decision comes after its brief is due,
// or after its campaign's last brief is due, is flagged for each.
func TestPlanLearning_LateForBriefAndCampaign(t *testing.T) {
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return now.AddDate(0, 0, d) }
	arms := []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}
	plan := func(campaignEnd time.Time) PlannedTest {
		in := LearningInput{
			Experiments: []Experiment{
				{Key: "done", Channel: "web", Audience: "all", Winner: "b", Variants: arms},
				{Key: "quick", Channel: "web", Audience: "all", Variants: arms, BriefID: 11},
			},
			// 100,000 units a day at 20 %: a test takes hours, not weeks.
			Totals: map[string]map[string]VariantTotals{"done": {
				"a": {Exposures: 500000, Converters: 100000, First: day(-10), Last: now},
				"b": {Exposures: 500000, Converters: 100500, First: day(-10), Last: now},
			}},
			Briefs: map[uint64]Brief{
				11: {ID: 11, Stage: StagePlanned, Campaign: "Winter", Due: day(1)},
				12: {ID: 12, Stage: StagePlanned, Campaign: "winter", Due: campaignEnd},
			},
			Guards:     DefaultGuards(),
			ReviewDays: 2,
		}
		return PlanLearning(in, now, now, now.AddDate(0, 3, 0)).Tests[0]
	}
	got := plan(day(30))
	if got.Decision == nil || !got.AfterBriefDue || got.AfterCampaignEnd || got.CampaignEnd == nil || !got.CampaignEnd.Equal(day(30)) {
		t.Fatalf("a test deciding after its brief's due date, before its campaign ends = %+v", got)
	}
	if got := plan(day(2)); !got.AfterCampaignEnd {
		t.Fatalf("a test deciding after its campaign ends = %+v", got)
	}
}
