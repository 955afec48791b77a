package common

import (
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that a late decision is marked by what it misses, worst first.
func TestLateNote(t *testing.T) {
	end := time.Date(2027, 1, 9, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		test       core.PlannedTest
		mark, note string
	}{
		{"on time", core.PlannedTest{}, "", ""},
		{"after its brief's due date", core.PlannedTest{AfterBriefDue: true}, "!", "after its brief is due"},
		{"after its campaign", core.PlannedTest{AfterBriefDue: true, AfterCampaignEnd: true, CampaignEnd: &end}, "✗", "after its campaign ends Jan 9"},
		{"after the quarter too", core.PlannedTest{AfterBriefDue: true, AfterPeriod: true}, "✗", "after the quarter, after its brief is due"},
	}
	for _, tt := range tests {
		if mark, note := LateNote(tt.test, "the quarter", end); mark != tt.mark || note != tt.note {
			t.Errorf("%s: %q %q, want %q %q", tt.name, mark, note, tt.mark, tt.note)
		}
	}
}

// Ensure that a plan date more than six months off says its year, so a
// decision years away never reads as this year's.
func TestPlanDate(t *testing.T) {
	ref := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	decided := time.Date(2030, 5, 12, 0, 0, 0, 0, time.UTC)
	if got := PlanDate(time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC), ref); got != "Dec 14" {
		t.Errorf("this month's date = %q", got)
	}
	if got := PlanDate(time.Date(2027, 4, 4, 0, 0, 0, 0, time.UTC), ref); got != "Apr 4" {
		t.Errorf("a date four months on = %q", got)
	}
	if got := PlanMonth(decided, ref); got != "May '30" {
		t.Errorf("a narrow date in 2030 = %q", got)
	}
	if got := PlanDate(decided, ref); got != "May 12 2030" {
		t.Errorf("a date in 2030 = %q", got)
	}
	days := 1258.0
	if got := DecisionDate(core.PlannedTest{Decision: &decided, TrafficDays: &days}, ref); got != "~May 12 2030, 1258 days of traffic" {
		t.Errorf("decision = %q", got)
	}
}
