package core

import (
	"slices"
	"testing"
	"time"
)

// Ensure that an open brief with hours but no due date is flagged in the
// plan, never dropped silently, and that done or dated work is not.
func TestPlanCapacity_Undated(t *testing.T) {
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	people := []Person{{Name: "ana", Lane: LaneInHouse, WeeklyHours: 40}}
	briefs := []Brief{
		{ID: 1, Owner: "ana", EstimateHours: 30, Stage: StagePlanned},                            // undated
		{ID: 2, Owner: "ana", EstimateHours: 30, Stage: StagePlanned, Due: now.AddDate(0, 0, 4)}, // dated
		{ID: 3, Owner: "ana", EstimateHours: 30, Stage: StageLive},                               // done
		{ID: 4, Owner: "ana", Stage: StagePlanned},                                               // no hours
	}
	plan := PlanCapacity(people, briefs, Weeks(now, 2), nil)
	if !slices.Equal(plan.Undated, []uint64{1}) {
		t.Fatalf("Undated = %v, want [1]", plan.Undated)
	}
	if !briefs[0].Undated() || briefs[1].Undated() || briefs[2].Undated() || briefs[3].Undated() {
		t.Fatal("Brief.Undated disagrees with the plan")
	}
}
