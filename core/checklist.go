package core

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ChecklistItem is one thing to do before a brief goes to review. On a
// template it says what and whether it is required; on a brief it also
// says who ticked it and when.
type ChecklistItem struct {
	Name     string    `json:"name"`
	Required bool      `json:"required,omitempty"`
	Done     bool      `json:"done,omitempty"`
	By       string    `json:"by,omitempty"`
	At       time.Time `json:"at,omitzero"`
	// Skipped is the reason By gave at At for moving into review with
	// this required item unticked; a tick clears it.
	Skipped string `json:"skipped,omitempty"`
}

// checkChecklist adds the problems of a checklist to f: named items, each
// once (in any case), no more than MaxChecklistItems.
func checkChecklist(f *fieldErrors, items []ChecklistItem) {
	if len(items) > MaxChecklistItems {
		f.add("checklist", "has %d items; at most %d are allowed", len(items), MaxChecklistItems)
	}
	seen := make(map[string]bool, len(items))
	for i, it := range items {
		field := fmt.Sprintf("checklist[%d]", i)
		f.name(field+".name", it.Name, maxName, true)
		if key := strings.ToLower(it.Name); seen[key] {
			f.add(field+".name", "is listed twice")
		} else {
			seen[key] = true
		}
		f.name(field+".by", it.By, maxName, false)
		f.maxLen(field+".skipped", it.Skipped, maxText)
	}
}

// Unticked returns the names of b's required checklist items not yet
// ticked, in checklist order.
func (b Brief) Unticked() []string {
	var out []string
	for _, it := range b.Checklist {
		if it.Required && !it.Done {
			out = append(out, it.Name)
		}
	}
	return out
}

// ChecklistError refuses a move into review while required checklist
// items are unticked. Like a WIP limit, whoever moves is asked: the CLI
// takes --skip-checklist REASON, which the audit keeps with the items.
type ChecklistError struct {
	BriefID uint64
	Items   []string
}

// Error implements error.
func (e *ChecklistError) Error() string {
	return fmt.Sprintf("brief %d has %d unticked required checklist item(s) (%s): tick them with `tandem brief check %d ITEM`, or move it anyway with --skip-checklist REASON",
		e.BriefID, len(e.Items), strings.Join(e.Items, ", "), e.BriefID)
}

// CheckChecklist returns a *ChecklistError when b may not move to stage:
// it is moving into review from elsewhere with required items unticked.
func CheckChecklist(b Brief, to Stage) error {
	if to != StageReview || b.Stage == StageReview {
		return nil
	}
	if items := b.Unticked(); len(items) > 0 {
		return &ChecklistError{BriefID: b.ID, Items: items}
	}
	return nil
}

// SkipChecklist returns b with its unticked required items marked
// skipped by who at now for reason: what a move into review past them
// keeps on the brief, and so in its audited record. A reason is required.
func (b Brief) SkipChecklist(reason, who string, now time.Time) (Brief, error) {
	reason = strings.TrimSpace(reason)
	f := fieldErrors{record: "checklist skip"}
	f.required("reason", reason)
	if reason != "" {
		if p := NameProblem(reason, maxText); p != "" {
			f.add("reason", "%s", p)
		}
	}
	if err := f.err(); err != nil {
		return b, err
	}
	list := make([]ChecklistItem, len(b.Checklist))
	copy(list, b.Checklist)
	for i := range list {
		if list[i].Required && !list[i].Done {
			list[i].Skipped, list[i].By, list[i].At = reason, who, now
		}
	}
	b.Checklist = list
	return b, nil
}

// Tick marks the checklist item named item (in any case, or by its number
// from 1) done by who at now, or not done when done is false, and returns
// the brief with it changed. An unknown item is a *FieldError naming the
// items there are.
func (b Brief) Tick(item string, done bool, who string, now time.Time) (Brief, error) {
	i := b.checklistIndex(item)
	if i < 0 {
		names := make([]string, len(b.Checklist))
		for j, it := range b.Checklist {
			names[j] = it.Name
		}
		if len(names) == 0 {
			return b, &FieldError{Record: "brief", Field: "checklist", Problem: fmt.Sprintf("brief %d has no checklist; briefs made from a template with one have", b.ID)}
		}
		return b, &FieldError{Record: "brief", Field: "checklist", Problem: fmt.Sprintf("has no item like that; use a number from 1 to %d or one of: %s", len(names), strings.Join(names, ", "))}
	}
	list := make([]ChecklistItem, len(b.Checklist))
	copy(list, b.Checklist)
	it := &list[i]
	it.Done, it.By, it.At, it.Skipped = done, "", time.Time{}, ""
	if done {
		it.By, it.At = who, now
	}
	b.Checklist = list
	return b, nil
}

func (b Brief) checklistIndex(item string) int {
	item = strings.TrimSpace(item)
	if n, err := strconv.Atoi(item); err == nil && n >= 1 && n <= len(b.Checklist) {
		return n - 1
	}
	for i, it := range b.Checklist {
		if strings.EqualFold(it.Name, item) {
			return i
		}
	}
	return -1
}

// MoveOptions are what a person confirmed when moving a brief past the
// holds on a move (a stage at its WIP limit, or a checklist not ticked),
// and the version of the brief the move was made from.
type MoveOptions struct {
	// From, when not 0, is the version of the brief the move was made
	// from: a brief written since (moved or edited by anyone) is refused
	// with a *ConflictError rather than moved over that change. Undoing a
	// move states the version the move produced.
	From uint64
	// Force moves past the target stage's WIP limit.
	Force bool
	// SkipChecklist is the reason for moving into review with required
	// checklist items unticked; empty holds such a move.
	SkipChecklist string
}
