package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that a claim link is stored on the review, audited, and replaces
// an earlier link of the same claim to the same evidence; and that a
// decision pinned to a round is refused once a newer round came in.
func TestLinkClaim_AndPinnedRound(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	if _, err := s.AddBrief(ctx, "ana", core.Brief{Title: "Claims"}); err != nil {
		t.Fatal(err)
	}
	fl, err := s.AddFlow(ctx, "ana", core.ApprovalFlow{Name: "f", Stages: []core.ApprovalStage{{Name: "legal", Mode: core.ModeSequential, Approvers: []string{"lee"}, Rule: core.RuleAny, SLAHours: 8}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submit(ctx, "ana", 1, fl.ID, "Teams ship 23% more campaigns."); err != nil {
		t.Fatal(err)
	}
	lee := core.Identity{Name: "lee", Role: core.RoleApprover}
	l := core.ClaimLink{Claim: "Teams ship 23% more campaigns.", Source: "survey"}
	if _, err := s.LinkClaim(ctx, lee, 1, l); err != nil {
		t.Fatal(err)
	}
	l.Claim = strings.ToUpper(l.Claim)
	r, err := s.LinkClaim(ctx, lee, 1, l)
	if err != nil || len(r.Claims) != 1 || r.Claims[0].Actor != "lee" {
		t.Fatalf("links = %+v, %v", r.Claims, err)
	}
	if _, err := s.LinkClaim(ctx, lee, 1, core.ClaimLink{Claim: "x", Experiment: "missing"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a missing experiment: %v", err)
	}
	var conflict *core.ConflictError
	if _, err := s.Decide(ctx, lee, core.Decision{BriefID: 1, Kind: core.DecisionApprove, Round: 7}); !errors.As(err, &conflict) {
		t.Fatalf("a decision pinned to another round: %v", err)
	}
	if _, err := s.Decide(ctx, lee, core.Decision{BriefID: 1, Kind: core.DecisionApprove, Round: 1}); err != nil {
		t.Fatalf("a decision pinned to the current round: %v", err)
	}
}
