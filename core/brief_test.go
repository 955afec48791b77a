package core

import (
	"testing"
	"time"
)

func TestBrief_Validate(t *testing.T) {
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		brief Brief
		field string // "" when valid
	}{
		{"valid", Brief{Title: "Spring email", Stage: StagePlanned}, ""},
		{"missing title", Brief{Title: "  "}, "title"},
		{"long title", Brief{Title: string(make([]byte, 201))}, "title"},
		{"bad stage", Brief{Title: "x", Stage: Stage(42)}, "stage"},
		{"negative estimate", Brief{Title: "x", EstimateHours: -1}, "estimate"},
		{"due before start", Brief{Title: "x", Start: day, Due: day.AddDate(0, 0, -1)}, "due"},
		{"long owner", Brief{Title: "x", Owner: string(make([]byte, 81))}, "owner"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.brief.Validate()
			if got := Field(err); got != tt.field {
				t.Fatalf("Validate() field = %q (err %v), want %q", got, err, tt.field)
			}
		})
	}
}

func TestBrief_Normalize(t *testing.T) {
	b := Brief{Title: "  Launch  ", Tags: []string{"Q4", " q4", "", "email"}}
	b.Normalize()
	if b.Title != "Launch" {
		t.Errorf("Title = %q", b.Title)
	}
	if len(b.Tags) != 2 || b.Tags[0] != "email" || b.Tags[1] != "q4" {
		t.Errorf("Tags = %q, want [email q4]", b.Tags)
	}
}

func TestBrief_LateAndAtRisk(t *testing.T) {
	now := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		brief        Brief
		late, atRisk bool
	}{
		{"no due date", Brief{}, false, false},
		{"past due in production", Brief{Due: now.Add(-time.Hour), Stage: StageInProduction}, true, false},
		{"past due but live", Brief{Due: now.Add(-time.Hour), Stage: StageLive}, false, false},
		{"due tomorrow in review", Brief{Due: now.Add(24 * time.Hour), Stage: StageReview}, false, true},
		{"due tomorrow but approved", Brief{Due: now.Add(24 * time.Hour), Stage: StageApproved}, false, false},
		{"due next month", Brief{Due: now.AddDate(0, 1, 0)}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.brief.Late(now); got != tt.late {
				t.Errorf("Late = %v, want %v", got, tt.late)
			}
			if got := tt.brief.AtRisk(now, 48*time.Hour); got != tt.atRisk {
				t.Errorf("AtRisk = %v, want %v", got, tt.atRisk)
			}
		})
	}
}

func TestParseStage(t *testing.T) {
	for _, in := range []string{"in production", "In-Production", "in_production", " IN PRODUCTION "} {
		if s, err := ParseStage(in); err != nil || s != StageInProduction {
			t.Errorf("ParseStage(%q) = %v, %v", in, s, err)
		}
	}
	if _, err := ParseStage("done"); err == nil {
		t.Error("ParseStage(done) succeeded")
	}
	if StageIntake.Prev() != StageIntake || StageRetro.Next() != StageRetro || StagePlanned.Next() != StageInProduction {
		t.Error("Next/Prev do not clamp to the board")
	}
}

func TestStage_TextRoundTrip(t *testing.T) {
	for _, s := range AllStages() {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var got Stage
		if err := got.UnmarshalText(b); err != nil || got != s {
			t.Errorf("round trip of %v = %v, %v", s, got, err)
		}
	}
}
