package board

import (
	"cmp"
	"slices"
	"strings"

	"github.com/sahilm/fuzzy"

	"github.com/tandem-ops/tandem/core"
)

// grouping orders cards within each column by one of a brief's fields.
type grouping int

const (
	groupNone grouping = iota
	groupOwner
	groupChannel
	groupCampaign
	groupCount
)

func (g grouping) String() string {
	return [...]string{"none", "owner", "channel", "campaign"}[g]
}

// key returns the field of b that g groups by.
func (g grouping) key(b core.Brief) string {
	switch g {
	case groupOwner:
		return b.Owner
	case groupChannel:
		return b.Channel
	case groupCampaign:
		return b.Campaign
	}
	return ""
}

// column is one stage's cards as shown: filtered, grouped, with the focus
// and scroll position.
type column struct {
	cards  []core.Brief
	total  int // briefs in the stage before filtering, for WIP
	cursor int
	offset int
	// groups counts the shown cards of each group, by groupID, while the
	// board is grouped.
	groups map[string]int
}

// buildColumns sorts briefs into stage columns, keeping only those matching
// query (fuzzy, over title, tags, owner and channel) and ordering each
// column by g, then by due date.
func buildColumns(briefs []core.Brief, query string, g grouping) [numStages]column {
	var cols [numStages]column
	for _, b := range briefs {
		cols[b.Stage].total++
	}
	keep := briefs
	if query = strings.TrimSpace(query); query != "" {
		keep = nil
		for _, m := range fuzzy.FindFrom(query, searchSource(briefs)) {
			keep = append(keep, briefs[m.Index])
		}
	}
	for _, b := range keep {
		cols[b.Stage].cards = append(cols[b.Stage].cards, b)
	}
	for i := range cols {
		slices.SortStableFunc(cols[i].cards, func(x, y core.Brief) int {
			if c := cmp.Compare(strings.ToLower(g.key(x)), strings.ToLower(g.key(y))); c != 0 {
				return c
			}
			if c := compareDue(x, y); c != 0 {
				return c
			}
			return cmp.Compare(x.ID, y.ID)
		})
		if g != groupNone {
			cols[i].groups = map[string]int{}
			for _, b := range cols[i].cards {
				cols[i].groups[g.id(b)]++
			}
		}
	}
	return cols
}

// id is the group b falls in: its key, case folded as the sort folds it.
func (g grouping) id(b core.Brief) string { return strings.ToLower(g.key(b)) }

// label is what a group's header calls it.
func (g grouping) label(b core.Brief) string {
	if k := g.key(b); k != "" {
		return k
	}
	return "no " + g.String()
}

// compareDue orders by due date, undated briefs last.
func compareDue(x, y core.Brief) int {
	switch {
	case x.Due.IsZero() && y.Due.IsZero():
		return 0
	case x.Due.IsZero():
		return 1
	case y.Due.IsZero():
		return -1
	}
	return x.Due.Compare(y.Due)
}

// searchSource is what the filter matches against: one string per brief.
type searchSource []core.Brief

func (s searchSource) Len() int { return len(s) }

func (s searchSource) String(i int) string {
	b := s[i]
	return b.Title + " " + strings.Join(b.Tags, " ") + " " + b.Owner + " " + b.Channel
}
