package core

import (
	"fmt"
	"strings"
	"time"
)

// LaneKind says where a person's or lane's capacity comes from.
type LaneKind string

// The kinds of lane that supply capacity. LaneAI is the local model: its
// hours are measured throughput, and it takes only generatable skills.
const (
	LaneInHouse   LaneKind = "in-house"
	LaneFreelance LaneKind = "freelance"
	LaneAgency    LaneKind = "agency"
	LaneAI        LaneKind = "ai"
)

// Valid reports whether k is a known lane kind.
func (k LaneKind) Valid() bool {
	switch k {
	case LaneInHouse, LaneFreelance, LaneAgency, LaneAI:
		return true
	}
	return false
}

// ParseLaneKind accepts a lane kind name in any case.
func ParseLaneKind(s string) (LaneKind, error) {
	k := LaneKind(strings.ToLower(strings.TrimSpace(s)))
	if !k.Valid() {
		return "", fmt.Errorf("unknown lane %q: use in-house, freelance, agency or ai", s)
	}
	return k, nil
}

// Person is someone (or the AI lane) who supplies hours to the plan.
type Person struct {
	ID uint64 `json:"id"`
	// Version counts the writes to the record; an edit states the version
	// it was made from.
	Version     uint64   `json:"version,omitempty"`
	Name        string   `json:"name"`
	Lane        LaneKind `json:"lane"`
	Skills      []string `json:"skills,omitempty"`
	WeeklyHours float64  `json:"weekly_hours"`
	CostPerHour float64  `json:"cost_per_hour,omitempty"`
	// Allocation is the share of the week given to this plan, 0 to 1; 0
	// means fully allocated.
	Allocation float64   `json:"allocation,omitempty"`
	TimeOff    []TimeOff `json:"time_off,omitempty"`
	// Speedup is, for the AI lane, how many human hours of generatable work
	// one machine hour covers; measured from generation throughput, and
	// DefaultAISpeedup until measured.
	Speedup float64 `json:"speedup,omitempty"`
}

// TimeOff is a span of days, inclusive, when a person supplies no hours.
type TimeOff struct {
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Reason string    `json:"reason,omitempty"`
}

// DefaultAISpeedup is the AI lane's speedup until throughput is measured.
const DefaultAISpeedup = 8

// HumanHoursPerVariant is what a copy variant takes a person, used to turn
// the model's measured variants per hour into its speedup.
const HumanHoursPerVariant = 0.5

// MeasuredSpeedup is the AI lane's speedup from its measured time per
// variant: variants per machine hour × the human hours each saves.
func MeasuredSpeedup(perVariant time.Duration) float64 {
	if perVariant <= 0 {
		return DefaultAISpeedup
	}
	return min(time.Hour.Seconds()/perVariant.Seconds()*HumanHoursPerVariant, 10_000)
}

// GeneratableSkills are the skills the AI lane can take.
func GeneratableSkills() []string { return []string{"copy"} }

// HasSkill reports whether p lists skill.
func (p Person) HasSkill(skill string) bool {
	for _, s := range p.Skills {
		if strings.EqualFold(s, skill) {
			return true
		}
	}
	return false
}

// Validate returns an error naming every invalid field of p.
func (p Person) Validate() error {
	f := fieldErrors{record: "person"}
	f.name("name", p.Name, maxName, true)
	for i, s := range p.Skills {
		f.name(fmt.Sprintf("skills[%d]", i), s, maxName, true)
	}
	if !p.Lane.Valid() {
		f.add("lane", "is %q; use in-house, freelance, agency or ai", p.Lane)
	}
	if !(p.WeeklyHours >= 0 && p.WeeklyHours <= 168) { // NaN fails too
		f.add("hours", "is %g a week; use 0 to 168", p.WeeklyHours)
	}
	if !(p.CostPerHour >= 0 && p.CostPerHour <= 1e6) {
		f.add("cost", "is %g an hour; use 0 to 1000000", p.CostPerHour)
	}
	if !(p.Allocation >= 0 && p.Allocation <= 1) {
		f.add("allocation", "is %g; use a share from 0 to 1", p.Allocation)
	}
	for i, t := range p.TimeOff {
		if t.To.Before(t.From) {
			f.add(fmt.Sprintf("time off %d", i+1), "ends (%s) before it starts (%s)", t.To.Format(time.DateOnly), t.From.Format(time.DateOnly))
		}
	}
	return f.err()
}
