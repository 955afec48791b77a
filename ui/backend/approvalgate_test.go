package backend

import (
	"context"
	"errors"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that only the approval queue moves a brief past review: a
// creative cannot move an unreviewed brief to approved or live, an
// approver can, and once a review is approved anyone who moves briefs can.
func TestMoveBrief_ApprovalGate(t *testing.T) {
	be, _ := openBackend(t)
	ctx := context.Background()
	creative := core.Identity{Name: "cleo", Role: core.RoleCreative}
	approver := core.Identity{Name: "ana", Role: core.RoleApprover}
	br, err := be.AddBrief(ctx, admin, core.Brief{Title: "Spring email"})
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []core.Stage{core.StageApproved, core.StageLive, core.StageRetro} {
		var gate *NotApprovedError
		if _, err := be.MoveBrief(ctx, creative, br.ID, to, true); !errors.As(err, &gate) {
			t.Fatalf("a creative moved an unreviewed brief to %s: %v", to, err)
		}
	}
	if _, err := be.MoveBrief(ctx, creative, br.ID, core.StageReview, true); err != nil {
		t.Fatalf("a creative may move up to review: %v", err)
	}
	if _, err := be.MoveBrief(ctx, approver, br.ID, core.StageApproved, true); err != nil {
		t.Fatalf("an approver may: %v", err)
	}
	if _, err := be.MoveBrief(ctx, creative, br.ID, core.StageLive, true); err != nil {
		t.Fatalf("past approved, a creative may move it on: %v", err)
	}
}
