package core

import "fmt"

// Valid reports whether s is one of the review statuses.
func (s ReviewStatus) Valid() bool {
	switch s {
	case ReviewPending, ReviewChangesRequested, ReviewApproved, ReviewRejected:
		return true
	}
	return false
}

// Validate returns an error naming every invalid field of r on its own:
// a review is of a brief under a flow, in round 1 or later, at a stage
// counted from 0, in a known status, with every copy of a round it has
// reached. Whether its brief and flow exist, and the flow has its stage,
// is for ValidateFlow and the store.
func (r Review) Validate() error {
	f := fieldErrors{record: "review"}
	if r.BriefID == 0 {
		f.add("brief_id", "is required")
	}
	if r.FlowID == 0 {
		f.add("flow_id", "is required; a review follows an approval flow")
	}
	f.name("owner", r.Owner, maxName, false)
	if r.Round < 1 {
		f.add("round", "is %d; rounds count from 1", r.Round)
	}
	if r.Stage < 0 {
		f.add("stage", "is %d; stages count from 0", r.Stage)
	}
	if !r.Status.Valid() {
		f.add("status", "is %q; use %s, %s, %s or %s", r.Status, ReviewPending, ReviewChangesRequested, ReviewApproved, ReviewRejected)
	}
	for i, who := range r.Approved {
		f.name(fmt.Sprintf("approved[%d]", i), who, maxName, true)
	}
	for i, c := range r.Copies {
		field := fmt.Sprintf("copies[%d]", i)
		if c.Round < 1 || c.Round > r.Round {
			f.add(field+".round", "is %d; use 1 to the review's round, %d", c.Round, r.Round)
		}
		f.maxLen(field+".copy", c.Copy, maxText)
		f.name(field+".by", c.By, maxName, false)
		f.maxLen(field+".changes_requested", c.ChangesRequested, maxText)
		f.name(field+".requested_by", c.RequestedBy, maxName, false)
	}
	for _, l := range r.Claims {
		if err := l.Validate(); err != nil {
			f.errs = append(f.errs, err)
		}
	}
	return f.err()
}

// ValidateFlow returns a *FieldError when r's stage is not one of fl's,
// the flow r names: such a review could never be decided.
func (r Review) ValidateFlow(fl ApprovalFlow) error {
	if r.Stage >= len(fl.Stages) {
		return &FieldError{Record: "review", Field: "stage", Problem: fmt.Sprintf(
			"is %d; approval flow %d has stages 0 to %d", r.Stage, fl.ID, len(fl.Stages)-1)}
	}
	return nil
}
