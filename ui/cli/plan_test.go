package cli

import (
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/ui/common/commontest"
)

// Ensure that `plan learning` reads the demo's traffic per channel and
// audience, dates every undecided experiment's decision, and refuses a
// malformed or past quarter as a usage error.
func TestPlanLearning(t *testing.T) {
	_, be := commontest.Workspace(t, testNow)
	code, out, errOut := runAtTime(t, be, admin, testNow, "plan", "learning", "--mde", "0.25")
	if code != 0 {
		t.Fatalf("plan learning: %d %s", code, errOut)
	}
	for _, want := range []string{"MDE 25%", "email", "UNITS/DAY", "PLANNED TEST", "spring-email", "days of traffic"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan learning lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range [][]string{{"--quarter", "2026-Q9"}, {"--quarter", "2025-Q1"}, {"--quarter", "Q4"}, {"--quarter", "9999-Q4"},
		{"--mde", "-1"}, {"--mde", "0"}, {"--mde", "1e-9"}, {"--mde", "NaN"}} {
		if code, _, errOut := runAtTime(t, be, admin, testNow, append([]string{"plan", "learning"}, bad...)...); code != ExitUsage || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, %q", bad, code, errOut)
		}
	}
}
