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
		if mark, note := LateNote(tt.test, "the quarter"); mark != tt.mark || note != tt.note {
			t.Errorf("%s: %q %q, want %q %q", tt.name, mark, note, tt.mark, tt.note)
		}
	}
}
