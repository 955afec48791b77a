package core

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
)

// LearningWindow is how far back traffic is read: the recent weeks that
// say what a channel × audience sends now.
const LearningWindow = 28 * 24 * time.Hour

// LearningInput is what learning capacity is planned from.
type LearningInput struct {
	Experiments []Experiment
	// Totals are each experiment's per-variant totals, by key.
	Totals map[string]map[string]VariantTotals
	Briefs map[uint64]Brief
	// Policy is the decision rule planned tests are sized for.
	Policy DecisionPolicy
	// ReviewDays is how long review takes, from history (see
	// MedianReviewDays); a brief not yet approved waits it after its due
	// date.
	ReviewDays float64
}

// LearningCell is one channel × audience: the experiment traffic it has,
// and the tests it can carry until the period ends.
type LearningCell struct {
	Channel  string `json:"channel"`
	Audience string `json:"audience"`
	// UnitsPerDay are the units its experiments exposed per day over the
	// recent weeks; BaselineRate the controls' conversion rate.
	UnitsPerDay  float64  `json:"units_per_day"`
	BaselineRate *float64 `json:"baseline_rate"`
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
	// traffic or baseline), with Why saying so.
	TrafficDays *float64   `json:"traffic_days"`
	Decision    *time.Time `json:"decision_expected"`
	// AfterPeriod flags a decision expected after the period ends.
	AfterPeriod bool   `json:"after_period"`
	Why         string `json:"why,omitempty"`
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
	p := LearningPlan{From: from, To: to, Rule: in.Policy.Rule, MDE: in.Policy.MDE, Cells: []LearningCell{}, Tests: []PlannedTest{}}
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
	type traffic struct {
		first, last          time.Time
		units                uint64
		converters, controls uint64
	}
	seen := map[cellKey]*traffic{}
	for _, e := range in.Experiments {
		c := cell(e)
		t := seen[cellOf(e)]
		if t == nil {
			t = &traffic{}
			seen[cellOf(e)] = t
		}
		for _, v := range e.Variants {
			vt := in.Totals[e.Key][v.Key]
			if vt.Exposures == 0 || vt.Last.Before(now.Add(-LearningWindow)) {
				continue
			}
			first := maxTime(vt.First, now.Add(-LearningWindow))
			if t.first.IsZero() || first.Before(t.first) {
				t.first = first
			}
			t.last = maxTime(t.last, vt.Last)
			t.units += vt.Exposures
			if v.Control {
				t.converters, t.controls = t.converters+vt.Converters, t.controls+vt.Exposures
			}
		}
		if e.Winner == "" {
			c.Planned = append(c.Planned, e.Key)
		}
	}
	for k, c := range cells {
		t := seen[k]
		if t.units > 0 {
			c.UnitsPerDay = float64(t.units) / max(t.last.Sub(t.first).Hours()/24, 1)
		}
		if t.controls > 0 {
			c.BaselineRate = ptr(float64(t.converters) / float64(t.controls))
		}
		if n, ok := cellNeeded(c, 2, in.Policy); ok && c.UnitsPerDay > 0 {
			c.DaysPerTest = ptr(2 * n / c.UnitsPerDay)
		}
	}
	for _, e := range in.Experiments {
		if e.Winner != "" {
			continue
		}
		c := cells[cellOf(e)]
		t := planTest(e, c, in, now)
		if t.Decision != nil {
			t.AfterPeriod = t.Decision.After(to)
			if t.Decision.After(c.NextStart) {
				c.NextStart = *t.Decision
			}
		}
		p.Tests = append(p.Tests, t)
	}
	for _, c := range cells {
		c.Overbooked = c.NextStart.After(to)
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

// planTest sizes one undecided experiment and dates its decision.
func planTest(e Experiment, c *LearningCell, in LearningInput, now time.Time) PlannedTest {
	t := PlannedTest{Experiment: e.Key, Channel: e.Channel, Audience: e.Audience, Arms: len(e.Variants), Start: now}
	smallest := uint64(math.MaxUint64)
	for _, v := range e.Variants {
		smallest = min(smallest, in.Totals[e.Key][v.Key].Exposures)
	}
	if len(e.Variants) > 0 {
		t.UnitsPerArm = smallest
	}
	if b, ok := in.Briefs[e.BriefID]; ok && b.Stage < StageLive && !b.Due.IsZero() {
		start := b.Due
		if b.Stage < StageApproved {
			start = start.Add(time.Duration(in.ReviewDays * 24 * float64(time.Hour)))
		}
		t.Start = maxTime(now, start)
	}
	n, ok := cellNeeded(c, max(t.Arms, 2), in.Policy)
	switch {
	case t.Arms < 2:
		t.Why = "it has no treatment to test"
		return t
	case !ok:
		t.Why = "no baseline rate on its channel and audience yet"
		return t
	case c.UnitsPerDay == 0:
		t.Why = "no recent traffic on its channel and audience"
		return t
	}
	t.NeededPerArm = &n
	left := max(n-float64(t.UnitsPerArm), 0) * float64(t.Arms)
	days := left / (c.UnitsPerDay / float64(max(len(c.Planned), 1)))
	t.TrafficDays = ptr(days)
	at := t.Start.Add(time.Duration(days * 24 * float64(time.Hour)))
	t.Decision = &at
	return t
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
