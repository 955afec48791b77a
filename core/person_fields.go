package core

import (
	"strconv"
	"strings"
)

// PersonFields are the fields of a person or lane that are edited, for
// the three-way merge of concurrent edits. ID and Version are the store's.
func PersonFields() []FieldOf[Person] {
	number := func(name string, get func(*Person) *float64) FieldOf[Person] {
		return FieldOf[Person]{Name: name,
			Text: func(p Person) string { return strconv.FormatFloat(*get(&p), 'g', -1, 64) },
			Take: func(dst *Person, src Person) { *get(dst) = *get(&src) }}
	}
	return []FieldOf[Person]{
		{Name: "name", Text: func(p Person) string { return p.Name }, Take: func(dst *Person, src Person) { dst.Name = src.Name }},
		{Name: "lane", Text: func(p Person) string { return string(p.Lane) }, Take: func(dst *Person, src Person) { dst.Lane = src.Lane }},
		{Name: "skills", Text: func(p Person) string { return strings.Join(p.Skills, ", ") }, Take: func(dst *Person, src Person) { dst.Skills = src.Skills }},
		number("weekly_hours", func(p *Person) *float64 { return &p.WeeklyHours }),
		number("cost_per_hour", func(p *Person) *float64 { return &p.CostPerHour }),
		number("allocation", func(p *Person) *float64 { return &p.Allocation }),
		{Name: "time_off", Text: timeOffText, Take: func(dst *Person, src Person) { dst.TimeOff = src.TimeOff }},
		number("speedup", func(p *Person) *float64 { return &p.Speedup }),
	}
}

// timeOffText lists a person's time off as "from..to reason" spans.
func timeOffText(p Person) string {
	parts := make([]string, len(p.TimeOff))
	for i, t := range p.TimeOff {
		parts[i] = strings.TrimSpace(dayText(t.From) + ".." + dayText(t.To) + " " + t.Reason)
	}
	return strings.Join(parts, ", ")
}
