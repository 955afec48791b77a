package core

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		id       string
		from, to string
	}{
		{"2026-W47", "2026-11-16", "2026-11-23"},
		{"2026-w01", "2025-12-29", "2026-01-05"},
		{"2026-11", "2026-11-01", "2026-12-01"},
		{"2026-12", "2026-12-01", "2027-01-01"},
	}
	for _, tt := range tests {
		from, to, err := ParsePeriod(tt.id)
		if err != nil || from.Format(time.DateOnly) != tt.from || to.Format(time.DateOnly) != tt.to {
			t.Errorf("ParsePeriod(%q) = %s, %s, %v; want %s, %s", tt.id, from, to, err, tt.from, tt.to)
		}
	}
	for _, bad := range []string{"", "2026", "2026-W00", "2026-W54", "2026-13", "2026-00", "last week", "2026-W4"} {
		if _, _, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", bad)
		}
	}
}

func TestRetroNote(t *testing.T) {
	notes := []RetroNote{{Period: "2026-W46"}, {Period: "2026-W47"}, {Period: "2026-11"}, {Period: "2026-12"}, {Period: "bad"}}
	from, to, _ := ParsePeriod("2026-W47")
	got := NotesWithin(notes, from, to)
	if len(got) != 2 || got[0].Period != "2026-W47" || got[1].Period != "2026-11" {
		t.Fatalf("notes within W47 = %+v", got)
	}
	if err := (RetroNote{Period: "2026-W47", Author: "ana", Text: "  "}).Validate(); Field(err) != "text" {
		t.Errorf("blank text: %v", err)
	}
	if err := (RetroNote{Period: "someday", Author: "ana", Text: "x"}).Validate(); Field(err) != "period" {
		t.Errorf("bad period: %v", err)
	}
	if TeamOf(RoleMOps) != "MOps" || TeamOf(RoleCreative) != "CreativeOps" {
		t.Error("teams")
	}
}
