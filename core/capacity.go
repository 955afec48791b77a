package core

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Week is an ISO 8601 week.
type Week struct{ Year, Num int }

// WeekOf returns the ISO week t falls in.
func WeekOf(t time.Time) Week {
	y, n := t.ISOWeek()
	return Week{y, n}
}

// Monday returns the first day of w, at midnight UTC.
func (w Week) Monday() time.Time {
	// January 4th is always in week 1.
	jan4 := time.Date(w.Year, 1, 4, 0, 0, 0, 0, time.UTC)
	offset := (int(jan4.Weekday()) + 6) % 7
	return jan4.AddDate(0, 0, -offset+7*(w.Num-1))
}

// Next returns the week after w.
func (w Week) Next() Week { return WeekOf(w.Monday().AddDate(0, 0, 7)) }

// String formats w as 2026-W47.
func (w Week) String() string { return fmt.Sprintf("%d-W%02d", w.Year, w.Num) }

// MarshalText implements encoding.TextMarshaler: JSON carries a week as
// "2026-W47".
func (w Week) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (w *Week) UnmarshalText(b []byte) error {
	var y, n int
	if _, err := fmt.Sscanf(string(b), "%d-W%d", &y, &n); err != nil || n < 1 || n > 53 {
		return fmt.Errorf("week %q: use the ISO form 2026-W47", b)
	}
	*w = Week{y, n}
	return nil
}

// Weeks returns n consecutive weeks from the one t falls in.
func Weeks(t time.Time, n int) []Week {
	out := make([]Week, 0, n)
	for w := WeekOf(t); len(out) < n; w = w.Next() {
		out = append(out, w)
	}
	return out
}

// calDay is a calendar date as days since the Unix epoch, for cheap maps.
type calDay int64

func dayOf(t time.Time) calDay {
	y, m, d := t.Date()
	return calDay(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (d calDay) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func (d calDay) weekday() bool {
	wd := d.time().Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Assignment is a brief's demand on one person in one week.
type Assignment struct {
	BriefID uint64  `json:"brief_id"`
	Hours   float64 `json:"hours"`
}

// Load is one person's week: supply, demand and what makes it up.
type Load struct {
	Supply float64      `json:"supply"`
	Demand float64      `json:"demand"`
	Briefs []Assignment `json:"briefs,omitempty"`
}

// Utilization is demand over supply; +Inf for demand on no supply.
func (l Load) Utilization() float64 {
	switch {
	case l.Supply > 0:
		return l.Demand / l.Supply
	case l.Demand > 0:
		return inf
	}
	return 0
}

// Over reports whether the week is booked past 100 %.
func (l Load) Over() bool { return l.Utilization() > 1+1e-9 }

var inf = 1e308

// SkillWeek is demand against supply for one skill in one week.
type SkillWeek struct {
	Supply    float64 `json:"supply"`
	Demand    float64 `json:"demand"`
	Shortfall float64 `json:"shortfall"`
}

// Plan is capacity over a run of weeks: every person's load per week,
// every skill's demand and supply per week, and the briefs it could not
// count.
type Plan struct {
	Weeks  []Week                 `json:"weeks"`
	People []Person               `json:"people"`
	Load   map[uint64][]Load      `json:"load"` // person ID → load per week, by index into Weeks
	Skills map[string][]SkillWeek `json:"skills"`
	// Unestimated briefs have no hours: flagged, never counted as zero.
	Unestimated []uint64 `json:"unestimated,omitempty"`
	// Undated briefs have an estimate but no due date: their hours fall
	// in no week, so they are flagged rather than left out silently.
	Undated []uint64 `json:"undated,omitempty"`
	// Unassigned briefs have an estimate but no owner among People.
	Unassigned []uint64 `json:"unassigned,omitempty"`

	holidays map[calDay]bool
	byName   map[string]int
	briefs   map[uint64]Brief
}

// PlanCapacity computes supply and demand for people over weeks. Demand is
// each open brief's estimate spread evenly over the working days from its
// start (or five working days before due) to its due date, on its owner
// and on its skill; supply is weekly hours × allocation × the share of the
// week's working days the person is not off.
func PlanCapacity(people []Person, briefs []Brief, weeks []Week, holidays []time.Time) *Plan {
	p := &Plan{Weeks: weeks, People: people, Load: make(map[uint64][]Load, len(people)), Skills: map[string][]SkillWeek{},
		holidays: map[calDay]bool{}, byName: make(map[string]int, len(people)), briefs: make(map[uint64]Brief, len(briefs))}
	for _, h := range holidays {
		p.holidays[dayOf(h)] = true
	}
	for i, per := range people {
		p.byName[NameKey(per.Name)] = i
		loads := make([]Load, len(weeks))
		for w := range weeks {
			loads[w].Supply = p.supply(per, weeks[w])
			for _, s := range per.Skills {
				p.skill(s)[w].Supply += loads[w].Supply / float64(len(per.Skills))
			}
		}
		p.Load[per.ID] = loads
	}
	for _, b := range briefs {
		p.briefs[b.ID] = b
		p.add(b, +1)
	}
	p.shortfalls()
	return p
}

func (p *Plan) skill(s string) []SkillWeek {
	s = strings.ToLower(s)
	sw, ok := p.Skills[s]
	if !ok {
		sw = make([]SkillWeek, len(p.Weeks))
		p.Skills[s] = sw
	}
	return sw
}

// supply is a person's hours in one week.
func (p *Plan) supply(per Person, w Week) float64 {
	alloc := per.Allocation
	if alloc == 0 {
		alloc = 1
	}
	working := 0
	for d := dayOf(w.Monday()); d < dayOf(w.Monday())+7; d++ {
		if d.weekday() && !p.holidays[d] && !offOn(per, d) {
			working++
		}
	}
	hours := per.WeeklyHours * alloc * float64(working) / 5
	if per.Lane == LaneAI {
		speed := per.Speedup
		if speed == 0 {
			speed = DefaultAISpeedup
		}
		hours *= speed // in human hours of generatable work
	}
	return hours
}

func offOn(per Person, d calDay) bool {
	for _, t := range per.TimeOff {
		if d >= dayOf(t.From) && d <= dayOf(t.To) {
			return true
		}
	}
	return false
}

// workingDays lists the brief's working days (weekdays, not holidays).
func (p *Plan) workingDays(b Brief) []calDay {
	end := dayOf(b.Due)
	start := end
	if !b.Start.IsZero() {
		start = dayOf(b.Start)
	} else {
		for n := 0; n < 4; { // five working days ending on the due date
			start--
			if start.weekday() {
				n++
			}
		}
	}
	var days []calDay
	for d := start; d <= end; d++ {
		if d.weekday() && !p.holidays[d] {
			days = append(days, d)
		}
	}
	if len(days) == 0 { // due on a weekend: the Friday before
		for d := end; ; d-- {
			if d.weekday() && !p.holidays[d] {
				return []calDay{d}
			}
		}
	}
	return days
}

// add adds (sign +1) or removes (−1) a brief's demand.
func (p *Plan) add(b Brief, sign float64) {
	if b.Undated() {
		if sign > 0 {
			p.Undated = append(p.Undated, b.ID)
		} else {
			p.Undated = slices.DeleteFunc(p.Undated, func(id uint64) bool { return id == b.ID })
		}
	}
	if b.Stage >= StageApproved || b.Due.IsZero() {
		return // done work and undated work demand nothing in these weeks
	}
	if !b.HasEstimate() {
		if sign > 0 {
			p.Unestimated = append(p.Unestimated, b.ID)
		} else {
			p.Unestimated = slices.DeleteFunc(p.Unestimated, func(id uint64) bool { return id == b.ID })
		}
		return
	}
	days := p.workingDays(b)
	perDay := b.EstimateHours / float64(len(days))
	owner, assigned := p.byName[NameKey(b.Owner)]
	if !assigned {
		if sign > 0 {
			p.Unassigned = append(p.Unassigned, b.ID)
		} else {
			p.Unassigned = slices.DeleteFunc(p.Unassigned, func(id uint64) bool { return id == b.ID })
		}
	}
	first := dayOf(p.Weeks[0].Monday())
	for _, d := range days {
		w := int(d-first) / 7
		if d < first || w >= len(p.Weeks) {
			continue
		}
		if b.Skill != "" {
			p.skill(b.Skill)[w].Demand += sign * perDay
		}
		if !assigned {
			continue
		}
		l := &p.Load[p.People[owner].ID][w]
		l.Demand += sign * perDay
		l.Briefs = addHours(l.Briefs, b.ID, sign*perDay)
	}
}

func addHours(as []Assignment, id uint64, hours float64) []Assignment {
	// A brief's days are added in order, so it is usually the last entry.
	if n := len(as); n > 0 && as[n-1].BriefID == id && hours > 0 {
		as[n-1].Hours += hours
		return as
	}
	for i := range as {
		if as[i].BriefID == id {
			as[i].Hours += hours
			if as[i].Hours < 1e-9 {
				return slices.Delete(as, i, i+1)
			}
			return as
		}
	}
	if hours > 0 {
		as = append(as, Assignment{BriefID: id, Hours: hours})
	}
	return as
}

func (p *Plan) shortfalls() {
	for _, sw := range p.Skills {
		for w := range sw {
			sw[w].Shortfall = max(sw[w].Demand-sw[w].Supply, 0)
		}
	}
}

// Clash is a week an assignment books someone past 100 %.
type Clash struct {
	Person      string  `json:"person"`
	Week        Week    `json:"week"`
	Utilization float64 `json:"utilization"`
}

// Reassign moves a brief to a new owner in the plan (not the store) and
// returns the weeks it now books someone past 100 % that were not before.
// It touches only that brief's weeks, so a what-if is cheap.
func (p *Plan) Reassign(briefID uint64, owner string) []Clash {
	b, ok := p.briefs[briefID]
	if !ok {
		return nil
	}
	before := p.overSet()
	p.add(b, -1)
	b.Owner = owner
	p.briefs[briefID] = b
	p.add(b, +1)
	p.shortfalls()
	var clashes []Clash
	if i, ok := p.byName[NameKey(owner)]; ok {
		per := p.People[i]
		for w, l := range p.Load[per.ID] {
			if l.Over() && !before[[2]uint64{per.ID, uint64(w)}] {
				clashes = append(clashes, Clash{Person: per.Name, Week: p.Weeks[w], Utilization: l.Utilization()})
			}
		}
	}
	return clashes
}

func (p *Plan) overSet() map[[2]uint64]bool {
	m := map[[2]uint64]bool{}
	for id, loads := range p.Load {
		for w, l := range loads {
			if l.Over() {
				m[[2]uint64{id, uint64(w)}] = true
			}
		}
	}
	return m
}

// Overbooked lists every person-week past 100 %, in person then week order.
func (p *Plan) Overbooked() []Clash {
	var out []Clash
	for _, per := range p.People {
		for w, l := range p.Load[per.ID] {
			if l.Over() {
				out = append(out, Clash{Person: per.Name, Week: p.Weeks[w], Utilization: l.Utilization()})
			}
		}
	}
	return out
}

// ClashesFor returns the weeks in which owner is booked past 100 % and b
// contributes, for a warning at the moment of planning.
func (p *Plan) ClashesFor(b Brief) []Clash {
	i, ok := p.byName[NameKey(b.Owner)]
	if !ok {
		return nil
	}
	per := p.People[i]
	var out []Clash
	for w, l := range p.Load[per.ID] {
		if !l.Over() {
			continue
		}
		for _, a := range l.Briefs {
			if a.BriefID == b.ID {
				out = append(out, Clash{Person: per.Name, Week: p.Weeks[w], Utilization: l.Utilization()})
			}
		}
	}
	return out
}
