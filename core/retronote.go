package core

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// RetroNote is what someone from either team wrote about a retro period:
// what they saw, what to try next.
type RetroNote struct {
	ID uint64 `json:"id"`
	// Period is the retro it belongs to: an ISO week (2026-W47) or a month
	// (2026-11).
	Period string `json:"period"`
	// Team is the author's side: MOps, CreativeOps or Approvers.
	Team   string    `json:"team"`
	Author string    `json:"author"`
	Text   string    `json:"text"`
	Time   time.Time `json:"time"`
}

// Validate returns an error naming every invalid field of n.
func (n RetroNote) Validate() error {
	f := fieldErrors{record: "retro note"}
	if _, _, err := ParsePeriod(n.Period); err != nil {
		f.add("period", "%v", err)
	}
	f.required("text", n.Text)
	f.text("text", n.Text, maxText)
	f.name("author", n.Author, maxName, true)
	return f.err()
}

// TeamOf names the side of the house a role writes for in a retro.
func TeamOf(role Role) string {
	switch role {
	case RoleMOps:
		return "MOps"
	case RoleCreative:
		return "CreativeOps"
	case RoleApprover:
		return "Approvers"
	}
	return "Admin"
}

// periodPattern matches retro periods: 2026-W47 (an ISO week) or 2026-11 (a
// month).
var periodPattern = regexp.MustCompile(`^(\d{4})-(W\d{2}|\d{2})$`)

// ParsePeriod turns a retro period's name into its days [from, to).
func ParsePeriod(id string) (time.Time, time.Time, error) {
	m := periodPattern.FindStringSubmatch(strings.ToUpper(id))
	if m == nil {
		return time.Time{}, time.Time{}, fmt.Errorf("period %q: use an ISO week like 2026-W47 or a month like 2026-11", id)
	}
	year, _ := strconv.Atoi(m[1])
	if strings.HasPrefix(m[2], "W") {
		n, _ := strconv.Atoi(m[2][1:])
		if n < 1 || n > 53 {
			return time.Time{}, time.Time{}, fmt.Errorf("period %q: weeks run 1 to 53", id)
		}
		from := Week{Year: year, Num: n}.Monday()
		return from, from.AddDate(0, 0, 7), nil
	}
	month, _ := strconv.Atoi(m[2])
	if month < 1 || month > 12 {
		return time.Time{}, time.Time{}, fmt.Errorf("period %q: months run 01 to 12", id)
	}
	from := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	return from, from.AddDate(0, 1, 0), nil
}

// NotesWithin returns the notes whose period overlaps [from, to), in the
// order they were written.
func NotesWithin(notes []RetroNote, from, to time.Time) []RetroNote {
	var out []RetroNote
	for _, n := range notes {
		if pf, pt, err := ParsePeriod(n.Period); err == nil && pf.Before(to) && from.Before(pt) {
			out = append(out, n)
		}
	}
	return out
}
