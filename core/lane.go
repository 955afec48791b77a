package core

import (
	"fmt"
	"strings"
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
	ID          uint64   `json:"id"`
	Name        string   `json:"name"`
	Lane        LaneKind `json:"lane"`
	Skills      []string `json:"skills,omitempty"`
	WeeklyHours float64  `json:"weekly_hours"`
	CostPerHour float64  `json:"cost_per_hour,omitempty"`
}

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
	f.required("name", p.Name)
	f.maxLen("name", p.Name, maxName)
	if !p.Lane.Valid() {
		f.add("lane", "is %q; use in-house, freelance, agency or ai", p.Lane)
	}
	if p.WeeklyHours < 0 || p.WeeklyHours > 168 {
		f.add("weekly_hours", "is %g; use 0 to 168", p.WeeklyHours)
	}
	if p.CostPerHour < 0 {
		f.add("cost_per_hour", "is %g; cost cannot be negative", p.CostPerHour)
	}
	return f.err()
}
