package core

import (
	"fmt"
	"slices"
	"strings"
)

// Suggest returns up to three of names nearest to s, nearest first: those
// within a few edits of it (a third of its length, at least two), or that
// contain it or are contained in it, ignoring case. It is how a refusal
// of an unknown owner or term says what was probably meant.
func Suggest(s string, names []string) []string {
	key := strings.ToLower(strings.TrimSpace(s))
	if key == "" {
		return nil
	}
	limit := max(2, len([]rune(key))/3)
	type scored struct {
		name string
		d    int
	}
	var near []scored
	for _, n := range names {
		k := strings.ToLower(n)
		d := editDistance(key, k)
		if d > limit && (strings.Contains(k, key) || strings.Contains(key, k)) {
			d = limit
		}
		if d <= limit {
			near = append(near, scored{n, d})
		}
	}
	slices.SortStableFunc(near, func(a, b scored) int { return a.d - b.d })
	out := make([]string, 0, 3)
	for _, n := range near[:min(3, len(near))] {
		out = append(out, n.name)
	}
	return out
}

// didYouMean is " did you mean "a" or "b"?" for the suggestions of s
// among names, "" when there are none.
func didYouMean(s string, names []string) string {
	sugg := Suggest(s, names)
	if len(sugg) == 0 {
		return ""
	}
	quoted := make([]string, len(sugg))
	for i, n := range sugg {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return " did you mean " + strings.Join(quoted, " or ") + "?"
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// CheckOwner returns a *FieldError when owner is set and is not the name
// of one of people (a person or a lane), suggesting the nearest names.
func CheckOwner(owner string, people []Person) error {
	if owner == "" {
		return nil
	}
	names := make([]string, len(people))
	for i, p := range people {
		if p.Name == owner {
			return nil
		}
		names[i] = p.Name
	}
	return &FieldError{Record: "brief", Field: "owner", Problem: fmt.Sprintf("%q is not a person or lane;%s add them with `tandem person add`, or leave the owner empty",
		owner, didYouMean(owner, names))}
}
