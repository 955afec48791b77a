package kpi

import (
	"math"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// Mon 2026-11-02.
func at(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }

func moves(id uint64, steps ...any) []core.StageChange {
	var out []core.StageChange
	prev := core.StageIntake
	for i := 0; i < len(steps); i += 2 {
		to, t := steps[i].(core.Stage), steps[i+1].(time.Time)
		out = append(out, core.StageChange{BriefID: id, From: prev, To: to, Time: t})
		prev = to
	}
	return out
}

// history: brief 1 goes intake (2nd) → planned (3rd) → live (6th), due the
// 6th: on time, 4 days. Brief 2: intake (2nd) → live (10th), due the 8th:
// late, 8 days. Brief 3 is still in review (open).
func input() Input {
	var h []core.StageChange
	h = append(h, moves(1, core.StageIntake, at(2, 9), core.StagePlanned, at(3, 9), core.StageLive, at(6, 9))...)
	h = append(h, moves(2, core.StageIntake, at(2, 9), core.StageLive, at(10, 9))...)
	h = append(h, moves(3, core.StageIntake, at(3, 9), core.StageReview, at(4, 9))...)
	flow := core.ApprovalFlow{ID: 1, Name: "f", Stages: []core.ApprovalStage{{Name: "s", SLAHours: 8}}}
	return Input{
		Briefs: []core.Brief{
			{ID: 1, Owner: "Ana", EstimateHours: 10, Due: at(6, 0), Channel: "email"},
			{ID: 2, Owner: "Model", EstimateHours: 16, Due: at(8, 0), Channel: "web"},
			{ID: 3, Owner: "Ana", EstimateHours: 4, Due: at(20, 0), Channel: "email", Stage: core.StageReview},
		},
		History: h,
		People: []core.Person{
			{ID: 1, Name: "Ana", Lane: core.LaneInHouse, WeeklyHours: 40, CostPerHour: 50},
			{ID: 2, Name: "Model", Lane: core.LaneAI, WeeklyHours: 10, CostPerHour: 4, Speedup: 8},
		},
		Flows: []core.ApprovalFlow{flow},
		Reviews: []core.Review{
			{BriefID: 1, FlowID: 1, Round: 2, Status: core.ReviewApproved, Copies: []core.RoundCopy{{Round: 1, Submitted: at(3, 10)}, {Round: 2, Submitted: at(4, 10)}}},
			{BriefID: 3, FlowID: 1, Round: 1, Status: core.ReviewPending, Copies: []core.RoundCopy{{Round: 1, Submitted: at(4, 9)}}},
		},
		Decisions: []core.Decision{
			{BriefID: 1, Round: 1, Kind: core.DecisionRequestChanges, Time: at(3, 12)}, // 2 working hours after
			{BriefID: 1, Round: 2, Kind: core.DecisionApprove, Time: at(5, 15)},        // 13 working hours after: breached
		},
		Experiments: []core.Experiment{
			{Key: "x", Started: at(2, 0), Decided: at(5, 0), Winner: "b", Channel: "web", Variants: []core.Variant{{Key: "a", Control: true, Copy: "Save time"}, {Key: "b", Copy: "Save hours"}}},
			{Key: "y", Started: at(1, 0), Decided: at(4, 0), Winner: "a", Variants: []core.Variant{{Key: "a", Control: true, Copy: "save time"}, {Key: "b"}}},
			// z's winner was declared, but its data no longer holds.
			{Key: "z", Started: at(1, 0), Decided: at(4, 0), Winner: "b", Variants: []core.Variant{{Key: "a", Control: true}, {Key: "b"}}},
		},
		Evidence: map[string]core.Result{"x": {Evidence: core.EvidenceDeclared}, "y": {Evidence: core.EvidenceDeclared}},
	}
}

func check(t *testing.T, r Report, key string, want float64, n int) {
	t.Helper()
	k, ok := r.Get(key)
	if !ok {
		t.Fatalf("no KPI %s", key)
	}
	if math.Abs(k.Value-want) > 0.05 || k.N != n {
		t.Errorf("%s = %v (n %d), want %v (n %d)", key, k.Value, k.N, want, n)
	}
	if k.Definition == "" {
		t.Errorf("%s has no definition", key)
	}
}

func TestCompute_KnownHistory(t *testing.T) {
	in := input()
	// Brief 1's approval is recorded by its history entering approved.
	in.History = append(in.History, core.StageChange{BriefID: 1, From: core.StageReview, To: core.StageApproved, Time: at(5, 15)})
	r := Compute(in, at(2, 0), at(16, 0)) // two weeks
	check(t, r, "cycle_time", 6, 2)       // median of 4 and 8 days
	check(t, r, "on_time", 50, 2)
	check(t, r, "throughput", 1, 2)     // 2 briefs over 2 weeks
	check(t, r, "time_in_intake", 1, 3) // 1 day (brief 1), 8 days (brief 2), 1 day (brief 3)
	check(t, r, "wip", 1, 1)            // brief 3, still in review
	check(t, r, "approval_time", 53, 1) // 3rd 10:00 → 5th 15:00
	check(t, r, "first_pass", 0, 1)     // it took two rounds
	check(t, r, "revisions", 1, 1)
	check(t, r, "rework", 100, 1)
	check(t, r, "sla_breach", 66.7, 3)    // round 1 in time, round 2 late, brief 3 undecided past due
	check(t, r, "learning_speed", 3, 3)   // z counts: it was decided, even if its data no longer holds
	check(t, r, "win_rate", 50, 2)        // z does not: its data no longer holds
	check(t, r, "reuse", 50, 2)           // "save time" is used by two experiments
	check(t, r, "cost_per_asset", 254, 2) // (10 × 50 + 16/8 × 4) / 2
	check(t, r, "responsiveness", 0, 0)   // no brief filed after either decision
}

// An empty period says so with n = 0, and numbers stay finite.
func TestCompute_EmptyPeriod(t *testing.T) {
	r := Compute(input(), at(20, 0), at(27, 0))
	for _, k := range r.KPIs {
		if math.IsNaN(k.Value) || math.IsInf(k.Value, 0) {
			t.Errorf("%s = %v", k.Key, k.Value)
		}
	}
	check(t, r, "cycle_time", 0, 0)
	check(t, r, "on_time", 0, 0)
	check(t, r, "wip", 1, 1) // brief 3 is still open
}

// Ensure that brief templates count as assets, reused when more than one
// brief came from them, beside the copies reused across experiments.
func TestCompute_ReuseCountsTemplates(t *testing.T) {
	in := input()
	add := func(id uint64, template string) {
		in.Briefs = append(in.Briefs, core.Brief{ID: id, Title: "From a template", Template: template, TemplateVersion: 1, Created: at(3, 9)})
	}
	add(101, "Spring email")
	add(102, "Spring email")
	add(103, "Webinar invite")
	add(104, "Webinar invite")
	add(105, "Banner")
	r := Compute(in, at(2, 0), at(16, 0))
	check(t, r, "reuse", 60, 5) // "save time", "Spring email" and "Webinar invite" of 2 copies and 3 templates
}

func TestTrends(t *testing.T) {
	tr := Trends(input(), at(9, 0), at(16, 0))
	for _, k := range tr {
		if k.Key == "throughput" {
			if k.Value != 1 || k.Previous.Value != 1 || len(k.Weekly) != 1 {
				t.Fatalf("throughput trend = %+v", k)
			}
			return
		}
	}
	t.Fatal("no throughput")
}

func benchInput() Input {
	in := Input{People: []core.Person{{ID: 1, Name: "Ana", Lane: core.LaneInHouse, WeeklyHours: 40, CostPerHour: 50}}}
	start := at(2, 0).AddDate(0, -3, 0)
	for i := range 20_000 {
		id := uint64(i + 1)
		t0 := start.Add(time.Duration(i) * 6 * time.Minute)
		in.Briefs = append(in.Briefs, core.Brief{ID: id, Owner: "Ana", EstimateHours: 8, Due: t0.AddDate(0, 0, 7)})
		in.History = append(in.History, moves(id, core.StageIntake, t0, core.StagePlanned, t0.Add(24*time.Hour),
			core.StageInProduction, t0.Add(48*time.Hour), core.StageReview, t0.Add(96*time.Hour), core.StageLive, t0.Add(150*time.Hour))...)
	}
	return in
}

// BenchmarkCompute computes every KPI for one 28-day period over a history
// of 100,000 entries.
func BenchmarkCompute(b *testing.B) {
	in := benchInput()
	b.ReportAllocs()
	for b.Loop() {
		Compute(in, at(2, 0).AddDate(0, 0, -28), at(2, 0))
	}
}

// BenchmarkTrends computes every KPI, its previous period and a weekly
// series over a history of 100,000 entries (stage changes and decisions).
func BenchmarkTrends(b *testing.B) {
	in := benchInput()
	b.ReportAllocs()
	for b.Loop() {
		Trends(in, at(2, 0).AddDate(0, 0, -28), at(2, 0))
	}
}
