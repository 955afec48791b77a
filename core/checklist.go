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

// ChecklistSkip is what the audit keeps when someone moves a brief into
// review past unticked required items.
type ChecklistSkip struct {
	BriefID uint64   `json:"brief_id"`
	Items   []string `json:"items"`
	Reason  string   `json:"reason"`
}

// Validate returns an error when the skip gives no usable reason.
func (s ChecklistSkip) Validate() error {
	f := fieldErrors{record: "checklist skip"}
	f.required("reason", s.Reason)
	f.maxLen("reason", s.Reason, maxText)
	if p := NameProblem(strings.TrimSpace(s.Reason), maxText); s.Reason != "" && p != "" {
		f.add("reason", "%s", p)
	}
	return f.err()
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
	it.Done, it.By, it.At = done, "", time.Time{}
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
