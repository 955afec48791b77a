package common

import (
	"fmt"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// LearningInput is what the learning plan reads from a snapshot and the
// experiments' daily units (Backend.DailyUnits), as the backend reads
// them for `tandem plan learning`.
func LearningInput(s core.Snapshot, daily map[string]core.DailyUnits, now time.Time) core.LearningInput {
	return core.LearningInput{Experiments: s.Experiments, Totals: s.Totals, Briefs: s.ByID(), Daily: daily,
		Guards: s.Guards, ReviewDays: core.MedianReviewDays(s.Reviews, now),
		Capacity: core.PlanCapacity(s.People, s.Briefs, core.Weeks(now, core.LearningCapacityWeeks), s.Holidays)}
}

// QuarterEnd is the first day after t's quarter, where the learning plan
// ends unless asked otherwise.
func QuarterEnd(t time.Time) time.Time {
	return time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 3, 0)
}

// OrNone is a channel or audience as the learning plan names it: "(none)"
// when it is empty.
func OrNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(none)"
	}
	return s
}

// PlanDate is a date of the learning plan as people read it: "Dec 14"
// within six months of ref, "May 12 2030" further off, so a decision
// years away never reads as this year's.
func PlanDate(d, ref time.Time) string {
	if planDateNear(d, ref) {
		return d.Format("Jan 2")
	}
	return d.Format("Jan 2 2006")
}

// PlanMonth is PlanDate in at most seven cells, for a narrow column:
// "Dec 14" near ref, "May '30" further off.
func PlanMonth(d, ref time.Time) string {
	if planDateNear(d, ref) {
		return d.Format("Jan 2")
	}
	return d.Format("Jan '06")
}

// planDateNear says whether d is near enough ref to go without its year.
func planDateNear(d, ref time.Time) bool {
	return !d.Before(ref.AddDate(0, -1, 0)) && d.Before(ref.AddDate(0, 6, 0))
}

// DecisionDate is when a planned test should decide, as "~Dec 14, 9 days
// of traffic" (dated as PlanDate does against ref); "" when the plan dates
// no decision to wait for (none, or its rule has decided: t.Why says
// which).
func DecisionDate(t core.PlannedTest, ref time.Time) string {
	if t.Decision == nil || t.Why != "" {
		return ""
	}
	return fmt.Sprintf("~%s, %.0f days of traffic", PlanDate(*t.Decision, ref), *t.TrafficDays)
}

// LateNote says what a planned test's decision comes too late for, worst
// first ("after its campaign ends Jan 9, after the quarter"), with its
// mark: "✗" past its campaign's end or the period (named by period, as
// "the quarter"), "!" only past its brief's due date; "" for both when
// neither.
func LateNote(t core.PlannedTest, period string, ref time.Time) (mark, note string) {
	var parts []string
	if t.AfterCampaignEnd && t.CampaignEnd != nil {
		parts, mark = append(parts, "after its campaign ends "+PlanDate(*t.CampaignEnd, ref)), "✗"
	}
	if t.AfterPeriod {
		parts, mark = append(parts, "after "+period), "✗"
	}
	if t.AfterBriefDue && !t.AfterCampaignEnd {
		parts = append(parts, "after its brief is due")
		if mark == "" {
			mark = "!"
		}
	}
	return mark, strings.Join(parts, ", ")
}
