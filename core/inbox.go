package core

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// InboxItem is something that needs a person's attention.
type InboxItem struct {
	Kind    string `json:"kind"` // assigned, approval, experiment
	Subject string `json:"subject"`
	Text    string `json:"text"`
	// Urgent items (a breached or nearly due SLA, a broken experiment) sort
	// first and are marked.
	Urgent bool `json:"urgent"`
}

// Inbox lists what needs who: open briefs they own, reviews waiting on them
// (SLA breached or due within four working hours first), and, for those who
// can declare winners, experiments that reached a decision or have a
// sample-ratio mismatch.
func Inbox(who Identity, briefs []Brief, queue []QueueEntry, analyses []Analysis, now time.Time) []InboxItem {
	var out []InboxItem
	for _, e := range queue {
		if !slices.Contains(e.Waiting, who.Name) {
			continue
		}
		out = append(out, InboxItem{Kind: "approval", Subject: fmt.Sprintf("brief/%d", e.Brief.ID),
			Text:   fmt.Sprintf("review #%d %s (%s, round %d): %s", e.Brief.ID, e.Brief.Title, e.Stage, e.Review.Round, e.SLA),
			Urgent: e.SLA.Risk != RiskOnTrack})
	}
	if Can(who.Role, ActionDeclareWinner) {
		for _, a := range analyses {
			switch a.Status {
			case StatusWinner:
				out = append(out, InboxItem{Kind: "experiment", Subject: "experiment/" + a.Experiment.Key,
					Text: fmt.Sprintf("%s has a winner (%s): declare it so new briefs see it", a.Experiment.Name, a.Leader)})
			case StatusSRM:
				out = append(out, InboxItem{Kind: "experiment", Subject: "experiment/" + a.Experiment.Key, Urgent: true,
					Text: fmt.Sprintf("%s has a sample-ratio mismatch: check assignment and logging", a.Experiment.Name)})
			}
		}
	}
	for _, b := range briefs {
		if !strings.EqualFold(b.Owner, who.Name) || b.Stage >= StageLive {
			continue
		}
		text := fmt.Sprintf("#%d %s is yours (%s)", b.ID, b.Title, b.Stage)
		if !b.Due.IsZero() {
			text += ", due " + b.Due.Format("Jan 2")
		}
		out = append(out, InboxItem{Kind: "assigned", Subject: fmt.Sprintf("brief/%d", b.ID), Text: text, Urgent: b.Late(now)})
	}
	slices.SortStableFunc(out, func(a, b InboxItem) int {
		if a.Urgent != b.Urgent {
			if a.Urgent {
				return -1
			}
			return 1
		}
		return 0
	})
	return out
}
