package core

import (
	"math"
	"testing"
	"time"
)

func date(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }

func TestWeek(t *testing.T) {
	w := WeekOf(date(11, 22)) // a Sunday
	if w.String() != "2026-W47" || !w.Monday().Equal(date(11, 16)) || w.Next().String() != "2026-W48" {
		t.Fatalf("week %s monday %v next %s", w, w.Monday(), w.Next())
	}
	// ISO years: 2027-01-01 is a Friday in 2026-W53.
	if got := WeekOf(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)).String(); got != "2026-W53" {
		t.Fatalf("WeekOf(2027-01-01) = %s", got)
	}
}

func near2(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

// Weeks W46 (Nov 9–15), W47 (Nov 16–22), W48 (Nov 23–29).
func TestPlanCapacity(t *testing.T) {
	weeks := Weeks(date(11, 9), 3)
	ana := Person{ID: 1, Name: "Ana", Lane: LaneInHouse, Skills: []string{"copy"}, WeeklyHours: 40}
	tests := []struct {
		name     string
		people   []Person
		briefs   []Brief
		holidays []time.Time
		check    func(t *testing.T, p *Plan)
	}{
		{"full week split evenly", []Person{ana},
			[]Brief{{ID: 1, Owner: "ana", Skill: "copy", EstimateHours: 20, Start: date(11, 9), Due: date(11, 13)}}, nil,
			func(t *testing.T, p *Plan) {
				near2(t, "demand W46", p.Load[1][0].Demand, 20)
				near2(t, "utilization", p.Load[1][0].Utilization(), 0.5)
				near2(t, "skill demand", p.Skills["copy"][0].Demand, 20)
			}},
		{"part weeks: Thursday to Tuesday", []Person{ana},
			[]Brief{{ID: 1, Owner: "Ana", EstimateHours: 40, Start: date(11, 12), Due: date(11, 17)}}, nil,
			func(t *testing.T, p *Plan) {
				// 4 working days: Thu, Fri | Mon, Tue → 10 h each.
				near2(t, "W46", p.Load[1][0].Demand, 20)
				near2(t, "W47", p.Load[1][1].Demand, 20)
			}},
		{"owner named in another Unicode form and case", []Person{{ID: 1, Name: "\u00c9va Stra\u00dfe", Lane: LaneInHouse, WeeklyHours: 40}},
			[]Brief{{ID: 1, Owner: "E\u0301VA STRASSE", EstimateHours: 20, Start: date(11, 9), Due: date(11, 13)}}, nil,
			func(t *testing.T, p *Plan) {
				if len(p.Unassigned) != 0 {
					t.Fatalf("unassigned %v: the owner was not matched to Éva", p.Unassigned)
				}
				near2(t, "demand W46", p.Load[1][0].Demand, 20)
			}},
		{"no start: five working days to due", []Person{ana},
			[]Brief{{ID: 1, Owner: "Ana", EstimateHours: 10, Due: date(11, 17)}}, nil,
			func(t *testing.T, p *Plan) {
				// Wed 11, Thu 12, Fri 13, Mon 16, Tue 17 → 2 h a day.
				near2(t, "W46", p.Load[1][0].Demand, 6)
				near2(t, "W47", p.Load[1][1].Demand, 4)
			}},
		{"time off and holidays cut supply", []Person{{ID: 1, Name: "Ana", Lane: LaneInHouse, WeeklyHours: 40, TimeOff: []TimeOff{{From: date(11, 10), To: date(11, 11)}}}},
			nil, []time.Time{date(11, 12)},
			func(t *testing.T, p *Plan) {
				near2(t, "W46 supply", p.Load[1][0].Supply, 16) // Mon and Fri left
				near2(t, "W47 supply", p.Load[1][1].Supply, 40)
			}},
		{"zero-hour person is overbooked by any demand", []Person{{ID: 1, Name: "Zed", Lane: LaneFreelance}},
			[]Brief{{ID: 1, Owner: "Zed", EstimateHours: 1, Start: date(11, 16), Due: date(11, 16)}}, nil,
			func(t *testing.T, p *Plan) {
				if !p.Load[1][1].Over() || len(p.Overbooked()) != 1 {
					t.Fatal("demand on zero supply not flagged")
				}
			}},
		{"no estimate is flagged, not zero", []Person{ana},
			[]Brief{{ID: 7, Owner: "Ana", Due: date(11, 13)}, {ID: 8, Owner: "Nobody", EstimateHours: 3, Due: date(11, 13)}}, nil,
			func(t *testing.T, p *Plan) {
				if len(p.Unestimated) != 1 || p.Unestimated[0] != 7 || len(p.Unassigned) != 1 || p.Unassigned[0] != 8 {
					t.Fatalf("unestimated %v unassigned %v", p.Unestimated, p.Unassigned)
				}
			}},
		{"allocation and the AI lane", []Person{{ID: 1, Name: "Half", Lane: LaneInHouse, WeeklyHours: 40, Allocation: 0.5}, {ID: 2, Name: "Model", Lane: LaneAI, WeeklyHours: 10, Skills: []string{"copy"}}},
			nil, nil,
			func(t *testing.T, p *Plan) {
				near2(t, "half", p.Load[1][0].Supply, 20)
				near2(t, "model", p.Load[2][0].Supply, 10*DefaultAISpeedup)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, PlanCapacity(tt.people, tt.briefs, weeks, tt.holidays))
		})
	}
}

func TestPlan_Reassign(t *testing.T) {
	weeks := Weeks(date(11, 9), 2)
	people := []Person{{ID: 1, Name: "Ana", WeeklyHours: 40, Lane: LaneInHouse}, {ID: 2, Name: "Bo", WeeklyHours: 10, Lane: LaneFreelance}}
	briefs := []Brief{{ID: 1, Owner: "Ana", EstimateHours: 30, Start: date(11, 9), Due: date(11, 13)}}
	p := PlanCapacity(people, briefs, weeks, nil)
	clashes := p.Reassign(1, "Bo")
	if len(clashes) != 1 || clashes[0].Person != "Bo" || math.Abs(clashes[0].Utilization-3) > 1e-9 {
		t.Fatalf("clashes = %+v", clashes)
	}
	if p.Load[1][0].Demand > 1e-9 || len(p.Load[1][0].Briefs) != 0 {
		t.Fatalf("Ana still carries %+v", p.Load[1][0])
	}
	// Moving it back clears the clash; the plan matches a fresh one.
	p.Reassign(1, "Ana")
	fresh := PlanCapacity(people, briefs, weeks, nil)
	near2(t, "Ana", p.Load[1][0].Demand, fresh.Load[1][0].Demand)
	near2(t, "Bo", p.Load[2][0].Demand, 0)
}

func benchPlan(people, briefs int) ([]Person, []Brief, []Week) {
	ps := make([]Person, people)
	for i := range ps {
		ps[i] = Person{ID: uint64(i + 1), Name: "p" + time.Duration(i).String(), Lane: LaneInHouse, WeeklyHours: 40, Skills: []string{"copy", "design"}}
	}
	bs := make([]Brief, briefs)
	start := date(11, 2)
	for i := range bs {
		s := start.AddDate(0, 0, i%170)
		bs[i] = Brief{ID: uint64(i + 1), Owner: ps[i%people].Name, Skill: []string{"copy", "design"}[i%2], EstimateHours: 12, Start: s, Due: s.AddDate(0, 0, 6)}
	}
	return ps, bs, Weeks(start, 26)
}

func BenchmarkPlanCapacity(b *testing.B) {
	people, briefs, weeks := benchPlan(500, 5000)
	b.ReportAllocs()
	for b.Loop() {
		PlanCapacity(people, briefs, weeks, nil)
	}
}

func BenchmarkPlanReassign(b *testing.B) {
	people, briefs, weeks := benchPlan(500, 5000)
	p := PlanCapacity(people, briefs, weeks, nil)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p.Reassign(uint64(i%5000+1), people[(i*7)%500].Name)
		i++
	}
}

func TestMeasuredSpeedup(t *testing.T) {
	// One variant every 36 s is 100 an hour, saving 50 human hours.
	if got := MeasuredSpeedup(36 * time.Second); math.Abs(got-50) > 1e-9 {
		t.Fatalf("speedup = %v", got)
	}
	if MeasuredSpeedup(0) != DefaultAISpeedup {
		t.Fatal("no measurement should keep the default")
	}
}
