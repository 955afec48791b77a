package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
)

func setupReview(t *testing.T) *backend.Backend {
	t.Helper()
	be := mustOpenBackend(t)
	ctx := context.Background()
	if _, err := be.AddPerson(ctx, admin, core.Person{Name: "olga", Lane: core.LaneInHouse, WeeklyHours: 40}); err != nil {
		t.Fatal(err)
	}
	if _, err := be.AddBrief(ctx, admin, core.Brief{Title: "Spring email", Owner: "olga", Channel: "email"}); err != nil {
		t.Fatal(err)
	}
	return be
}

// Ensure that a brief goes through a two-stage flow from the CLI, with
// roles, turns and the audit chain enforced.
func TestApprovals_TwoStages(t *testing.T) {
	be := setupReview(t)
	flow := core.ApprovalFlow{Name: "copy", Stages: []core.ApprovalStage{
		{Name: "brand", Mode: core.ModeParallel, Approvers: []string{"ana"}, Rule: core.RuleAll, SLAHours: 8},
		{Name: "legal", Mode: core.ModeSequential, Approvers: []string{"lee"}, Rule: core.RuleAny, SLAHours: 16},
	}}
	if err := addFlow(be, flow); err != nil {
		t.Fatal(err)
	}
	olga := core.Identity{Name: "olga", Role: core.RoleCreative}
	ana := core.Identity{Name: "ana", Role: core.RoleApprover}
	lee := core.Identity{Name: "lee", Role: core.RoleApprover}
	vic := core.Identity{Name: "vic", Role: core.RoleViewer}

	if code, out, errOut := run(t, be, olga, "approvals", "submit", "1", "--copy", "Save five hours a week"); code != 0 || !strings.Contains(out, "round 1") {
		t.Fatalf("submit: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := run(t, be, vic, "approve", "1"); code != ExitPermission || !strings.Contains(errOut, "vic (viewer) may not decide approvals") {
		t.Fatalf("viewer approve: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, be, lee, "approve", "1"); code != ExitFailure || !strings.Contains(errOut, "not yours to decide") {
		t.Fatalf("lee out of turn: %d %q", code, errOut)
	}
	if code, out, _ := run(t, be, ana, "approvals", "list", "--mine", "--json"); code != 0 || !strings.Contains(out, `"stage": "brand"`) {
		t.Fatalf("ana's queue: %d %q", code, out)
	}
	if code, out, _ := run(t, be, lee, "approvals", "list", "--mine", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("lee's queue before brand passes: %q", out)
	}
	if code, _, errOut := run(t, be, ana, "approvals", "request-changes", "1"); code != ExitUsage || !strings.Contains(errOut, "comment: is required") {
		t.Fatalf("request changes without comment: %d %q", code, errOut)
	}
	run(t, be, ana, "approvals", "request-changes", "1", "--comment", "say who it is for")
	if code, _, errOut := run(t, be, olga, "approvals", "submit", "1", "--copy", "Busy owners save five hours every week"); code != 0 {
		t.Fatalf("resubmit: %s", errOut)
	}
	code, out, _ := run(t, be, ana, "approvals", "list", "--json")
	var q []core.QueueEntry
	if err := json.Unmarshal([]byte(out), &q); code != 0 || err != nil || len(q) != 1 || q[0].Review.Round != 2 {
		t.Fatalf("queue after resubmit: %v %q", err, out)
	}
	if got := core.FormatDiff(q[0].Review.Diff()); !strings.Contains(got, "{+Busy owners save+}") {
		t.Fatalf("round 2 diff = %q", got)
	}
	run(t, be, ana, "approve", "1")
	if code, out, errOut := run(t, be, lee, "approvals", "approve", "1", "--comment", "ok"); code != 0 || !strings.Contains(out, "review is approved") {
		t.Fatalf("legal approve: %d %q %q", code, out, errOut)
	}
	if b, _ := be.Brief(context.Background(), 1); b.Stage != core.StageApproved {
		t.Fatalf("approved brief is in %s", b.Stage)
	}
	if code, out, _ := run(t, be, admin, "audit", "verify"); code != 0 || !strings.Contains(out, "audit chain intact") {
		t.Fatalf("audit verify: %d %q", code, out)
	}
	code, out, _ = run(t, be, admin, "audit", "export", "--json")
	var entries []core.AuditEntry
	if err := json.Unmarshal([]byte(out), &entries); code != 0 || err != nil || entries[len(entries)-1].Actor != "lee" {
		t.Fatalf("audit export: %v", err)
	}
}

func addFlow(be *backend.Backend, fl core.ApprovalFlow) error {
	_, err := be.AddFlow(context.Background(), admin, fl)
	return err
}

func TestReportAndRetro(t *testing.T) {
	be := mustOpenBackend(t)
	if _, err := be.SeedDemo(context.Background(), admin, time.Now()); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, be, admin, "report", "kpis", "--json")
	if code != 0 || !strings.Contains(out, `"cycle_time"`) || !strings.Contains(out, `"definition"`) {
		t.Fatalf("report kpis: %d %q", code, errOut)
	}
	if code, out, _ := run(t, be, admin, "report", "kpis", "--by", "channel"); code != 0 || !strings.Contains(out, "channel: email") {
		t.Fatalf("report --by channel: %d %q", code, out)
	}
	if code, _, _ := run(t, be, admin, "report", "kpis", "--by", "mood"); code != ExitUsage {
		t.Fatalf("bad --by: %d", code)
	}
	if code, out, _ := run(t, be, admin, "retro", "export", time.Now().Format("2006-01")); code != 0 || !strings.Contains(out, "## What stalled") || !strings.Contains(out, "| Cycle time, intake → live |") {
		t.Fatalf("retro export: %d %q", code, out)
	}
	if code, _, _ := run(t, be, admin, "retro", "export", "2026-W60"); code != ExitUsage {
		t.Fatalf("bad period: %d", code)
	}
}
