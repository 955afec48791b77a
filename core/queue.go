package core

import (
	"slices"
	"time"
)

// QueueEntry is a pending review with what an approver needs beside it.
type QueueEntry struct {
	Review  Review       `json:"review"`
	Brief   Brief        `json:"brief"`
	Flow    ApprovalFlow `json:"flow"`
	Stage   string       `json:"stage"`
	Waiting []string     `json:"waiting_on"`
	SLA     SLA          `json:"sla"`
	Lint    LintResult   `json:"lint"`
}

// BuildQueue returns the pending reviews ordered by SLA risk: all of them,
// or with mine only those waiting on who by name, as the inbox counts them
// (an admin may decide any review, but only those naming them wait on
// them; the team's queue shows the rest). Briefs are looked up by ID.
func BuildQueue(reviews []Review, flows []ApprovalFlow, briefs map[uint64]Brief, g BrandGuideline, who Identity, wh WorkingHours, now time.Time, mine bool) []QueueEntry {
	byID := make(map[uint64]ApprovalFlow, len(flows))
	for _, f := range flows {
		byID[f.ID] = f
	}
	items := make([]QueueItem, 0, len(reviews))
	for i := range reviews {
		r := &reviews[i]
		fl := byID[r.FlowID]
		if r.Status != ReviewPending {
			continue
		}
		if mine && !slices.Contains(r.Waiting(fl), who.Name) {
			continue
		}
		items = append(items, QueueItem{Review: r, SLA: SLAOf(*r, fl, wh, now)})
	}
	OrderQueue(items)
	out := make([]QueueEntry, 0, len(items))
	for _, it := range items {
		fl := byID[it.Review.FlowID]
		b := briefs[it.Review.BriefID]
		e := QueueEntry{Review: *it.Review, Brief: b, Flow: fl, Waiting: it.Review.Waiting(fl), SLA: it.SLA, Lint: Lint(it.Review.Copy(), b.Channel, g)}
		if it.Review.Stage < len(fl.Stages) {
			e.Stage = fl.Stages[it.Review.Stage].Name
		}
		out = append(out, e)
	}
	return out
}
