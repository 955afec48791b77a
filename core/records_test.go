package core

import (
	"testing"
	"time"
)

func TestPerson_Validate(t *testing.T) {
	tests := []struct {
		name   string
		person Person
		field  string
	}{
		{"valid", Person{Name: "Ana", Lane: LaneInHouse, WeeklyHours: 40}, ""},
		{"zero hours is allowed", Person{Name: "Bo", Lane: LaneFreelance}, ""},
		{"no name", Person{Lane: LaneAI}, "name"},
		{"bad lane", Person{Name: "x", Lane: "robot"}, "lane"},
		{"too many hours", Person{Name: "x", Lane: LaneAgency, WeeklyHours: 200}, "hours"},
		{"negative cost", Person{Name: "x", Lane: LaneAgency, CostPerHour: -5}, "cost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Field(tt.person.Validate()); got != tt.field {
				t.Fatalf("field = %q, want %q", got, tt.field)
			}
		})
	}
}

func TestExperiment_Validate(t *testing.T) {
	two := []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}
	tests := []struct {
		name  string
		exp   Experiment
		field string
	}{
		{"valid", Experiment{Key: "spring-email", Variants: two}, ""},
		{"bad key", Experiment{Key: "Spring Email", Variants: two}, "key"},
		{"one variant", Experiment{Key: "x", Variants: two[:1]}, "variants"},
		{"duplicate variant", Experiment{Key: "x", Variants: []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "a", Weight: 1}}}, "variants[1].key"},
		{"zero weight", Experiment{Key: "x", Variants: []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b"}}}, "variants[1].weight"},
		{"no control", Experiment{Key: "x", Variants: []Variant{{Key: "a", Weight: 1}, {Key: "b", Weight: 1}}}, "variants"},
		{"unknown winner", Experiment{Key: "x", Variants: two, Winner: "c"}, "winner"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Field(tt.exp.Validate()); got != tt.field {
				t.Fatalf("field = %q, want %q", got, tt.field)
			}
		})
	}
}

func TestEvent_Validate(t *testing.T) {
	ts := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	ok := Event{TS: ts, Experiment: "spring-email", Variant: "b", Unit: "u-1", Type: EventExposure}
	tests := []struct {
		name  string
		edit  func(*Event)
		field string
	}{
		{"valid", func(*Event) {}, ""},
		{"no time", func(e *Event) { e.TS = time.Time{} }, "ts"},
		{"bad experiment", func(e *Event) { e.Experiment = "" }, "experiment"},
		{"no unit", func(e *Event) { e.Unit = "" }, "unit"},
		{"bad type", func(e *Event) { e.Type = "click" }, "type"},
		{"negative revenue", func(e *Event) { e.Type = EventRevenue; e.Value = -1 }, "value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := ok
			tt.edit(&ev)
			if got := Field(ev.Validate()); got != tt.field {
				t.Fatalf("field = %q, want %q", got, tt.field)
			}
		})
	}
}

func TestApprovalFlow_Validate(t *testing.T) {
	stage := ApprovalStage{Name: "brand", Mode: ModeSequential, Approvers: []string{"ana", "bo"}, Rule: RuleAll, SLAHours: 8}
	tests := []struct {
		name  string
		edit  func(*ApprovalStage)
		field string
	}{
		{"valid", func(*ApprovalStage) {}, ""},
		{"bad mode", func(s *ApprovalStage) { s.Mode = "random" }, "stages[0].mode"},
		{"no approvers", func(s *ApprovalStage) { s.Approvers = nil }, "stages[0].approvers"},
		{"n too large", func(s *ApprovalStage) { s.Rule = RuleNOfM; s.N = 3 }, "stages[0].n"},
		{"bad rule", func(s *ApprovalStage) { s.Rule = "most" }, "stages[0].rule"},
		{"no sla", func(s *ApprovalStage) { s.SLAHours = 0 }, "stages[0].sla_hours"},
		{"an sla past what a clock can add", func(s *ApprovalStage) { s.SLAHours = 1e308 }, "stages[0].sla_hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := stage
			tt.edit(&s)
			fl := ApprovalFlow{Name: "social", Stages: []ApprovalStage{s}}
			if got := Field(fl.Validate()); got != tt.field {
				t.Fatalf("field = %q, want %q", got, tt.field)
			}
		})
	}
}

func TestDecision_Validate(t *testing.T) {
	tests := []struct {
		name  string
		d     Decision
		field string
	}{
		{"approve", Decision{BriefID: 1, Round: 1, Actor: "ana", Kind: DecisionApprove}, ""},
		{"request changes needs comment", Decision{BriefID: 1, Round: 1, Actor: "ana", Kind: DecisionRequestChanges}, "comment"},
		{"reject needs reason", Decision{BriefID: 1, Round: 1, Actor: "ana", Kind: DecisionReject}, "comment"},
		{"unknown kind", Decision{BriefID: 1, Round: 1, Actor: "ana", Kind: "maybe"}, "kind"},
		{"round 0", Decision{BriefID: 1, Actor: "ana", Kind: DecisionApprove}, "round"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Field(tt.d.Validate()); got != tt.field {
				t.Fatalf("field = %q, want %q", got, tt.field)
			}
		})
	}
}

func TestTaxonomy(t *testing.T) {
	tax := Taxonomy{Channels: []string{"email", "social"}, Audiences: []string{"smb"}}
	if err := tax.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (Taxonomy{Tags: []string{"q4", "Q4"}}).Validate(); Field(err) != "tags" {
		t.Fatalf("duplicate tag not caught: %v", err)
	}
	if err := tax.CheckBrief(Brief{Channel: "Email", Audience: "smb", AssetType: "anything"}); err != nil {
		t.Fatalf("known terms rejected: %v", err)
	}
	if err := tax.CheckExperiment(Experiment{Audience: "teens"}); Field(err) != "audience" {
		t.Fatalf("unknown audience not caught: %v", err)
	}
	if err := tax.CheckBrief(Brief{Channel: "tv"}); Field(err) != "channel" {
		t.Fatalf("unknown channel not caught: %v", err)
	}
}
