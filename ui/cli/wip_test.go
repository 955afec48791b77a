package cli

import (
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that `brief move` holds a move past the stage's WIP limit (exit
// 5, as a checklist hold does) unless --force, and `approvals submit`
// likewise, and refuses empty copy.
func TestBriefMove_WIPLimit(t *testing.T) {
	be := mustOpenBackend(t)
	mops := core.Identity{Name: "mo", Role: core.RoleMOps}
	ana := func(args ...string) (int, string, string) { return run(t, be, admin, args...) }
	ana("approvals", "flows", "add", "Email", "--stage", "Brand; approvers=cy")
	for range 3 {
		ana("brief", "add", "--title", "t")
	}
	ana("board", "wip", "review", "1")
	if code, _, errOut := run(t, be, mops, "brief", "move", "1", "review"); code != ExitOK {
		t.Fatalf("first move into review: exit %d, %s", code, errOut)
	}
	code, _, errOut := run(t, be, mops, "brief", "move", "2", "review")
	if code != ExitUnavailable || !strings.Contains(errOut, "review is at its WIP limit (1 of 1)") || !strings.Contains(errOut, "--force") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("move past the limit: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, be, mops, "brief", "move", "2", "review", "--force"); code != ExitOK {
		t.Fatalf("move --force: exit %d, %s", code, errOut)
	}
	if code, _, errOut := run(t, be, mops, "approvals", "submit", "3", "--copy", "Spring is here"); code != ExitUnavailable || !strings.Contains(errOut, "WIP limit") || !strings.Contains(errOut, "--force") {
		t.Fatalf("submit past the limit: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, be, mops, "approvals", "submit", "3", "--copy", "  "); code != ExitUsage || !strings.Contains(errOut, "review copy: is empty") {
		t.Fatalf("empty copy: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, be, mops, "approvals", "submit", "3", "--copy", "Spring is here", "--force"); code != ExitOK {
		t.Fatalf("submit --force: exit %d, %s", code, errOut)
	}
}
