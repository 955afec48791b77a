package core

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// LearningWindow is how far back traffic is read: the recent weeks that
// say what a channel × audience sends now.
const LearningWindow = 28 * 24 * time.Hour

// LearningCapacityWeeks are the weeks of the capacity plan a brief's
// production time is read from.
const LearningCapacityWeeks = 8

// activeWithin is how recent an experiment's last event is for it to
// count as running now.
const activeWithin = 7 * 24 * time.Hour

// LearningInput is what learning capacity is planned from.
type LearningInput struct {
	Experiments []Experiment
	// Totals are each experiment's per-variant totals, by key.
	Totals map[string]map[string]VariantTotals
	Briefs map[uint64]Brief
	// Guards are the workspace's: its decision rule sizes tests that have
	// no data of their own, and reads those that do.
	Guards Guards
	// ReviewDays is how long review takes, from history (see
	// MedianReviewDays); a brief not yet approved waits it once made.
	ReviewDays float64
	// Daily are experiments' units by day over the learning window (see
	// LearningDays), by key: an experiment with a week or more of them
	// gives its cell a weekday shape. Without, its units spread evenly.
	Daily map[string]DailyUnits
	// Capacity is the capacity plan of the weeks ahead: a brief still
	// being made is done when its owner's free hours (or the AI lane's)
	// cover its estimate. Nil, or a brief without an estimate or owner,
	// falls back to the brief's due date.
	Capacity *Plan
}

// LearningCell is one channel × audience: the experiment traffic it has,
// and the tests it can carry until the period ends.
type LearningCell struct {
	Channel  string `json:"channel"`
	Audience string `json:"audience"`
	// UnitsPerDay are the units its experiments exposed per day over the
	// recent weeks; BaselineRate the controls' conversion rate.
	UnitsPerDay float64 `json:"units_per_day"`
	// WorkdayUnitsPerDay and WeekendUnitsPerDay are the same traffic on
	// Monday to Friday and on Saturday and Sunday, which a test's days
	// are counted in.
	WorkdayUnitsPerDay float64  `json:"workday_units_per_day"`
	WeekendUnitsPerDay float64  `json:"weekend_units_per_day"`
	BaselineRate       *float64 `json:"baseline_rate"`
	// DaysPerTest is what a two-arm test at the MDE needs of its whole
	// traffic; nil without a baseline.
	DaysPerTest *float64 `json:"days_per_test"`
	// TestsPossible is how many more such tests fit, one after another,
	// in the period once its planned tests have decided.
	TestsPossible int      `json:"tests_possible"`
	Planned       []string `json:"planned"`
	// NextStart is when the cell's traffic is free for a new test: once
	// its planned tests are expected to decide.
	NextStart time.Time `json:"next_start"`
	// Overbooked: its planned tests need more traffic than the period has.
	Overbooked bool `json:"overbooked"`
	rates      weekdayRates
}

// PlannedTest is an undecided experiment with its expected decision.
type PlannedTest struct {
	Experiment string `json:"experiment"`
	Channel    string `json:"channel"`
	Audience   string `json:"audience"`
	Arms       int    `json:"arms"`
	// NeededPerArm is the plan's units per arm; UnitsPerArm the smallest
	// arm's so far.
	NeededPerArm *float64 `json:"needed_per_arm"`
	UnitsPerArm  uint64   `json:"units_per_arm"`
	// Start is when it can collect: now, or once its brief is live (its
	// due date, plus review time while it is not approved).
	Start time.Time `json:"start"`
	// TrafficDays is the days of its share of the cell's traffic it still
	// needs; Decision the date that gives. Both nil when unknown (no
	// traffic or baseline); Why says so, or why a dated test needs no
	// more traffic (its rule has decided).
	TrafficDays *float64   `json:"traffic_days"`
	Decision    *time.Time `json:"decision_expected"`
	// AfterPeriod flags a decision expected after the period ends.
	AfterPeriod bool `json:"after_period"`
	// AfterBriefDue flags a decision expected after its brief's due date;
	// AfterCampaignEnd one after its brief's campaign ends, CampaignEnd
	// being the latest due date of the campaign's briefs.
	AfterBriefDue    bool       `json:"after_brief_due"`
	CampaignEnd      *time.Time `json:"campaign_end"`
	AfterCampaignEnd bool       `json:"after_campaign_end"`
	Why              string     `json:"why,omitempty"`
}

// LearningPlan is learning capacity over [From, To).
type LearningPlan struct {
	From  time.Time      `json:"from"`
	To    time.Time      `json:"to"`
	Rule  DecisionRule   `json:"rule"`
	MDE   float64        `json:"mde"`
	Cells []LearningCell `json:"cells"`
	Tests []PlannedTest  `json:"tests"`
}

type cellKey struct{ channel, audience string }

func cellOf(e Experiment) cellKey {
	return cellKey{strings.ToLower(e.Channel), strings.ToLower(e.Audience)}
}

// PlanLearning plans learning capacity over [from, to), as of now:
// traffic and baseline per channel × audience from the weeks before now,
// the days a test needs there under the rule, how many fit in the
// period, and for every undecided experiment when it is expected to
// decide, its cell's traffic shared evenly with the others planned there.
func PlanLearning(in LearningInput, now, from, to time.Time) LearningPlan {
	if in.Guards == (Guards{}) {
		in.Guards = DefaultGuards()
	}
	p := LearningPlan{From: from, To: to, Rule: in.Guards.Policy.Rule, MDE: in.Guards.Policy.MDE, Cells: []LearningCell{}, Tests: []PlannedTest{}}
	cells := map[cellKey]*LearningCell{}
	cell := func(e Experiment) *LearningCell {
		k := cellOf(e)
		if c, ok := cells[k]; ok {
			return c
		}
		c := &LearningCell{Channel: e.Channel, Audience: e.Audience, Planned: []string{}, NextStart: now}
		cells[k] = c
		return c
	}
	// A cell's traffic is the sum of its active experiments' rates over
	// the window (each experiment's units per day of its own time in it,
	// per weekday once it has a week of days), so tests that ran one after
	// another are not added up; a cell with none active has its busiest
	// recent one's.
	type traffic struct {
		active, recent       weekdayRates
		converters, controls uint64
	}
	windowStart := now.Add(-LearningWindow)
	dailyFrom, _ := LearningDays(now)
	seen := map[cellKey]*traffic{}
	for _, e := range in.Experiments {
		c := cell(e)
		t := seen[cellOf(e)]
		if t == nil {
			t = &traffic{}
			seen[cellOf(e)] = t
		}
		var units float64
		var first, last time.Time
		for _, v := range e.Variants {
			vt := in.Totals[e.Key][v.Key]
			if vt.Exposures == 0 || vt.Last.Before(windowStart) {
				continue
			}
			if f := maxTime(vt.First, windowStart); first.IsZero() || f.Before(first) {
				first = f
			}
			last = maxTime(last, vt.Last)
			units += float64(vt.Exposures) * inWindow(vt, windowStart)
			if v.Control {
				t.converters, t.controls = t.converters+vt.Converters, t.controls+vt.Exposures
			}
		}
		if units > 0 {
			rates, ok := dailyRates(in.Daily[e.Key], dailyFrom)
			if !ok {
				rates = flatRates(units / max(last.Sub(first).Hours()/24, 1))
			}
			if !last.Before(now.Add(-activeWithin)) {
				t.active = t.active.add(rates)
			}
			if rates.mean() > t.recent.mean() {
				t.recent = rates
			}
		}
		if e.Winner == "" {
			c.Planned = append(c.Planned, e.Key)
		}
	}
	for k, c := range cells {
		t := seen[k]
		c.rates = t.active
		if c.rates.mean() == 0 {
			c.rates = t.recent
		}
		c.UnitsPerDay, c.WorkdayUnitsPerDay, c.WeekendUnitsPerDay = c.rates.mean(), c.rates.workdays(), c.rates.weekend()
		if t.controls > 0 {
			c.BaselineRate = ptr(float64(t.converters) / float64(t.controls))
		}
		if n, ok := cellNeeded(c, 2, in.Guards.Policy); ok && c.UnitsPerDay > 0 {
			c.DaysPerTest = ptr(2 * n / c.UnitsPerDay)
		}
	}
	campaignEnds := campaignEnds(in.Briefs)
	for _, e := range in.Experiments {
		if e.Winner != "" {
			continue
		}
		c := cells[cellOf(e)]
		t := planTest(e, c, in, now)
		if b, ok := in.Briefs[e.BriefID]; ok && e.BriefID != 0 {
			if end, ok := campaignEnds[strings.ToLower(b.Campaign)]; ok && b.Campaign != "" {
				t.CampaignEnd = &end
			}
			if t.Decision != nil {
				t.AfterBriefDue = !b.Due.IsZero() && t.Decision.After(b.Due)
				t.AfterCampaignEnd = t.CampaignEnd != nil && t.Decision.After(*t.CampaignEnd)
			}
		}
		if t.Decision != nil {
			t.AfterPeriod = t.Decision.After(to)
			if t.Decision.After(c.NextStart) {
				c.NextStart = *t.Decision
			}
		}
		if t.AfterPeriod {
			c.Overbooked = true
			if t.Decision == nil && c.NextStart.Before(to) {
				c.NextStart = to // undated and past the period: taken until then
			}
		}
		p.Tests = append(p.Tests, t)
	}
	for _, c := range cells {
		c.Overbooked = c.Overbooked || c.NextStart.After(to)
		if free := to.Sub(maxTime(c.NextStart, from)).Hours() / 24; c.DaysPerTest != nil && free > 0 {
			c.TestsPossible = int(free / *c.DaysPerTest)
		}
		p.Cells = append(p.Cells, *c)
	}
	slices.SortFunc(p.Cells, func(a, b LearningCell) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Channel), strings.ToLower(b.Channel)), cmp.Compare(strings.ToLower(a.Audience), strings.ToLower(b.Audience)))
	})
	slices.SortFunc(p.Tests, func(a, b PlannedTest) int {
		if a.Decision == nil || b.Decision == nil { // undated last
			return cmp.Or(boolOrder(a.Decision == nil, b.Decision == nil), cmp.Compare(a.Experiment, b.Experiment))
		}
		return cmp.Or(a.Decision.Compare(*b.Decision), cmp.Compare(a.Experiment, b.Experiment))
	})
	return p
}

// campaignEnds are the campaigns' ends, by lower-case name: the latest due
// date of their briefs.
func campaignEnds(briefs map[uint64]Brief) map[string]time.Time {
	ends := map[string]time.Time{}
	for _, b := range briefs {
		k := strings.ToLower(b.Campaign)
		if b.Campaign != "" && b.Due.After(ends[k]) {
			ends[k] = b.Due
		}
	}
	return ends
}

// maxPlanDays is the furthest a decision is dated: past it a test is
// said not to decide in any useful time, rather than dated.
const maxPlanDays = 10 * 365

// planTest sizes one undecided experiment and dates its decision. One
// that its own rule has already decided waits only for a declaration;
// one with data is sized by its own plan (its control, its primary
// metric, its arms), one without by its cell's baseline.
func planTest(e Experiment, c *LearningCell, in LearningInput, now time.Time) PlannedTest {
	t := PlannedTest{Experiment: e.Key, Channel: e.Channel, Audience: e.Audience, Arms: len(e.Variants), Start: now}
	smallest := uint64(math.MaxUint64)
	for _, v := range e.Variants {
		smallest = min(smallest, in.Totals[e.Key][v.Key].Exposures)
	}
	if len(e.Variants) > 0 {
		t.UnitsPerArm = smallest
	}
	if t.Arms < 2 {
		t.Why = "it has no treatment to test"
		return t
	}
	a := Analyze(e, in.Totals[e.Key], now, in.Guards)
	if a.Status == StatusWinner || a.Status == StatusNoDifference {
		t.TrafficDays, t.Decision = ptr(0), &now
		t.Why = "its rule has decided (" + string(a.Status) + "); it waits for someone to declare it"
		return t
	}
	if b, ok := in.Briefs[e.BriefID]; ok && b.Stage < StageLive {
		start := made(b, in.Capacity, now)
		if b.Stage < StageApproved {
			start = start.Add(time.Duration(in.ReviewDays * 24 * float64(time.Hour)))
		}
		t.Start = maxTime(now, start)
	}
	n, ok := 0.0, false
	if a.Plan.NeededPerArm != nil {
		n, ok = *a.Plan.NeededPerArm, true
	} else {
		n, ok = cellNeeded(c, t.Arms, e.GuardsOr(in.Guards).Policy)
	}
	switch {
	case !ok && c.BaselineRate == nil:
		t.Why = "no baseline rate on its channel and audience yet"
		return t
	case !ok:
		t.Why = "no sample detects its MDE at this baseline; raise the MDE"
		return t
	case c.UnitsPerDay == 0:
		t.Why = "no recent traffic on its channel and audience"
		return t
	}
	t.NeededPerArm = &n
	left := max(n-float64(t.UnitsPerArm), 0) * float64(t.Arms)
	days := daysToCollect(t.Start, c.rates.scaled(1/float64(max(len(c.Planned), 1))), left)
	if !finite(days) || days > maxPlanDays {
		t.AfterPeriod = true
		t.Why = fmt.Sprintf("needs more than %d years of its share of the traffic", maxPlanDays/365)
		return t
	}
	t.TrafficDays = ptr(days)
	at := t.Start.Add(time.Duration(days * 24 * float64(time.Hour)))
	t.Decision = &at
	return t
}

// made is when brief b's asset is expected to be made: now once it is in
// review; else when its owner's free hours in the capacity plan (its own
// planned hours included, as they are its) cover its estimate, at the
// plan's average free hours a day; else, without a plan, an estimate, an
// owner or free hours, its due date.
func made(b Brief, plan *Plan, now time.Time) time.Time {
	if b.Stage >= StageReview {
		return now
	}
	fallback := now
	if !b.Due.IsZero() {
		fallback = b.Due
	}
	if plan == nil || !b.HasEstimate() || len(plan.Weeks) == 0 {
		return fallback
	}
	i := slices.IndexFunc(plan.People, func(p Person) bool { return SameName(p.Name, b.Owner) })
	if i < 0 {
		return fallback
	}
	var free float64
	for _, l := range plan.Load[plan.People[i].ID] {
		free += l.Supply - l.Demand
		for _, a := range l.Briefs {
			if a.BriefID == b.ID {
				free += a.Hours
			}
		}
	}
	perDay := free / float64(7*len(plan.Weeks))
	if !(perDay > 0) {
		return fallback
	}
	days := min(b.EstimateHours/perDay, maxPlanDays)
	return now.Add(time.Duration(days * 24 * float64(time.Hour)))
}

// inWindow is the share of a variant's exposures that fell after from,
// taking its exposures as spread evenly between its first and last.
func inWindow(t VariantTotals, from time.Time) float64 {
	if !t.First.Before(from) {
		return 1
	}
	span := t.Last.Sub(t.First)
	if span <= 0 {
		return 1
	}
	return float64(t.Last.Sub(from)) / float64(span)
}

// cellNeeded is the units per arm a test of arms arms needs in c.
func cellNeeded(c *LearningCell, arms int, d DecisionPolicy) (float64, bool) {
	if c.BaselineRate == nil {
		return 0, false
	}
	return neededPerArm(ArmStats{Rate: c.BaselineRate}, MetricConversion, arms-1, d)
}

func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// ReviewHistory is how far back MedianReviewDays reads approvals.
const ReviewHistory = 90 * 24 * time.Hour

// MedianReviewDays is how long review takes: the median days from a
// review's first submission to its approval, over reviews approved in
// the ReviewHistory before now; 0 without any.
func MedianReviewDays(reviews []Review, now time.Time) float64 {
	var days []float64
	for _, r := range reviews {
		if r.Status != ReviewApproved || len(r.Copies) == 0 || r.Updated.Before(now.Add(-ReviewHistory)) || r.Updated.After(now) {
			continue
		}
		if d := r.Updated.Sub(r.Copies[0].Submitted).Hours() / 24; d >= 0 {
			days = append(days, d)
		}
	}
	if len(days) == 0 {
		return 0
	}
	slices.Sort(days)
	if n := len(days); n%2 == 0 {
		return (days[n/2-1] + days[n/2]) / 2
	}
	return days[len(days)/2]
}
