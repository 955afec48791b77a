package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that under a flow that requires claim support an approval is
// held (exit 5, naming the claim and the fix) while a claim lacks
// evidence, that an experiment without a declared winner backs nothing,
// and that the approval passes once each claim is linked.
func TestClaims_RequiredSupport(t *testing.T) {
	be := setupReview(t)
	if err := addFlow(be, core.ApprovalFlow{Name: "claims", RequireClaimSupport: true, Stages: []core.ApprovalStage{
		{Name: "legal", Mode: core.ModeSequential, Approvers: []string{"ana"}, Rule: core.RuleAny, SLAHours: 8},
	}}); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := run(t, be, admin, "approvals", "flows"); code != 0 || !strings.Contains(out, "claims (claims need evidence)") {
		t.Fatalf("the flows table does not show the gate:\n%s", out)
	}
	olga := core.Identity{Name: "olga", Role: core.RoleCreative}
	ana := core.Identity{Name: "ana", Role: core.RoleApprover}
	copyText := "Teams ship 23% more campaigns. Plan in one place."
	if code, _, errOut := run(t, be, olga, "approvals", "submit", "1", "--copy", copyText); code != 0 {
		t.Fatalf("submit: %d %s", code, errOut)
	}
	code, out, _ := run(t, be, ana, "claim", "list", "1")
	if code != 0 || !strings.Contains(out, "✗ unsupported") || !strings.Contains(out, "Teams ship 23% more campaigns.") || strings.Contains(out, "one place") {
		t.Fatalf("claim list: %d\n%s", code, out)
	}
	code, _, errOut := run(t, be, ana, "approve", "1")
	if code != ExitUnavailable || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, `"Teams ship 23% more campaigns." (unsupported)`) || !strings.Contains(errOut, "tandem claim link 1") {
		t.Fatalf("approve with an unsupported claim: %d %q", code, errOut)
	}
	if code, _, _ := run(t, be, admin, "experiment", "add", "open", "--variants", "a,b"); code != 0 {
		t.Fatal("experiment add")
	}
	if code, out, _ := run(t, be, olga, "claim", "link", "1", "Teams ship 23% more campaigns.", "--experiment", "open"); code != 0 || !strings.Contains(out, "unsupported: experiment open has no declared winner") {
		t.Fatalf("link to an undecided experiment: %d %s", code, out)
	}
	if code, _, errOut := run(t, be, ana, "claim", "link", "1", "Teams ship 23% more campaigns.", "--experiment", "open", "--source", "x"); code != ExitUsage {
		t.Fatalf("both kinds of evidence: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, be, ana, "claim", "link", "1", "Teams ship 99% more campaigns.", "--experiment", "open"); code != ExitUsage || !strings.Contains(errOut, "tandem claim list 1") {
		t.Fatalf("a claim the copy does not make: %d %s", code, errOut)
	}
	// A source is a person's word: the writer may not vouch for their own
	// claim; an approver may.
	if code, _, errOut := run(t, be, olga, "claim", "link", "1", "Teams ship 23% more campaigns.", "--source", "trust me"); code != ExitPermission {
		t.Fatalf("the writer attaches a source: %d %s", code, errOut)
	}
	if code, out, _ := run(t, be, ana, "claim", "link", "1", "teams ship 23% MORE campaigns.", "--source", "Customer survey, Oct 2026"); code != 0 || !strings.Contains(out, "supported: source: Customer survey") {
		t.Fatalf("link a source: %d %s", code, out)
	}
	if code, _, errOut := run(t, be, ana, "approve", "1"); code != 0 {
		t.Fatalf("approve once supported: %d %s", code, errOut)
	}
	code, out, _ = run(t, be, ana, "claim", "list", "1", "--json")
	var claims []core.ClaimStatus
	if code != 0 || json.Unmarshal([]byte(out), &claims) != nil || len(claims) != 1 || claims[0].State != core.ClaimSupported {
		t.Fatalf("claim list --json: %d %s", code, out)
	}
	if code, out, _ := run(t, be, admin, "audit", "export", "--json"); code != 0 || !strings.Contains(out, "review.claim_link") {
		t.Fatalf("the link is not audited: %s", out)
	}
}
