package core

import (
	"strings"
	"testing"
)

// Ensure that a review no flow could decide is refused, naming the field:
// the hand-edited imports that used to pass `tandem check`.
func TestReview_Validate(t *testing.T) {
	valid := func() Review {
		return Review{BriefID: 1, FlowID: 1, Round: 1, Status: ReviewPending, Copies: []RoundCopy{{Round: 1, Copy: "Spring is here", By: "ana"}}}
	}
	flow := ApprovalFlow{ID: 1, Stages: oneStage()}
	for _, tc := range []struct {
		name    string
		edit    func(r *Review)
		problem string
	}{
		{"valid", func(r *Review) {}, ""},
		{"unknown status", func(r *Review) { r.Status = "bogus" }, `review status: is "bogus"`},
		{"round 0", func(r *Review) { r.Round = 0 }, "review round: is 0"},
		{"negative stage", func(r *Review) { r.Stage = -1 }, "review stage: is -1"},
		{"no flow", func(r *Review) { r.FlowID = 0 }, "review flow_id: is required"},
		{"no brief", func(r *Review) { r.BriefID = 0 }, "review brief_id: is required"},
		{"copy of a later round", func(r *Review) { r.Copies[0].Round = 2 }, "copies[0].round: is 2"},
		{"approver with an escape", func(r *Review) { r.Approved = []string{"cy\x1b[2J"} }, "approved[0]: has a control character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := valid()
			tc.edit(&r)
			err := r.Validate()
			if (tc.problem == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.problem)) {
				t.Fatalf("Validate = %v; want %q", err, tc.problem)
			}
		})
	}
	r := valid()
	r.Stage = 99
	if err := r.ValidateFlow(flow); Field(err) != "stage" || !strings.Contains(err.Error(), "approval flow 1 has stages 0 to 0") {
		t.Fatalf("stage 99 of a one-stage flow: %v", err)
	}
	if err := valid().ValidateFlow(flow); err != nil {
		t.Fatalf("stage 0: %v", err)
	}
}
