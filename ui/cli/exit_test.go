package cli

import (
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that every kind of bad call exits with its code from the contract
// and says what is wrong in one stderr line, in the caller's words (flag
// names, not struct fields).
func TestExitCodes_BadInput(t *testing.T) {
	be := mustOpenBackend(t)
	run(t, be, admin, "brief", "add", "--title", "Seed")
	run(t, be, admin, "experiment", "add", "spring", "--variants", "a,b")
	run(t, be, admin, "person", "add", "Ana Ruiz", "--lane", "in-house", "--hours", "40")
	viewer := core.Identity{Name: "vic", Role: core.RoleViewer}
	for _, tc := range []struct {
		who  core.Identity
		args []string
		code int
		says string
	}{
		{admin, []string{"frobnicate"}, ExitUsage, "unknown command"},
		{admin, []string{"brief", "list", "--colour"}, ExitUsage, "unknown flag: --colour"},
		{admin, []string{"brief", "show"}, ExitUsage, "takes 1 argument"},
		{admin, []string{"brief", "show", "x"}, ExitUsage, "is not a brief ID"},
		{admin, []string{"brief", "list", "--stage", "nowhere"}, ExitUsage, "unknown stage"},
		{admin, []string{"brief", "add"}, ExitUsage, "title: is required"},
		{admin, []string{"brief", "add", "--title", "x", "--estimate", "-5"}, ExitUsage, "estimate: is -5 hours"},
		{admin, []string{"brief", "add", "--title", "x", "--estimate", "NaN"}, ExitUsage, "estimate: is NaN hours"},
		{admin, []string{"brief", "add", "--title", "x", "--due", "2026-13-45"}, ExitUsage, "--due"},
		{admin, []string{"brief", "move", "1", "sideways"}, ExitUsage, "unknown stage"},
		{admin, []string{"person", "add", "Ana", "--lane", "in-house", "--hours", "500"}, ExitUsage, "hours: is 500 a week"},
		{admin, []string{"person", "add", "ana ruiz", "--lane", "freelance", "--hours", "10"}, ExitUsage, `already person 1's name, "Ana Ruiz"`},
		{admin, []string{"brief", "add", "--title", "\u200b\u200b"}, ExitUsage, "title: has an invisible formatting character (U+200B"},
		{admin, []string{"capacity", "--weeks", "0"}, ExitUsage, "--weeks 0"},
		{admin, []string{"report", "kpis", "--since", "yesterday"}, ExitUsage, "--since"},
		{admin, []string{"experiment", "add", "Bad Key", "--variants", "a,b"}, ExitUsage, "experiment key"},
		{admin, []string{"ingest", "--format", "xml", "-"}, ExitUsage, "--format"},
		{admin, []string{"run"}, ExitUsage, "--brief is required"},
		{admin, []string{"run", "--brief", "0"}, ExitUsage, "--brief 0 is not a brief ID"},
		{admin, []string{"generate", "--brief", "0"}, ExitUsage, "--brief 0 is not a brief ID"},
		{viewer, []string{"brief", "add", "--title", "x"}, ExitPermission, "vic (viewer) may not edit briefs"},
		{viewer, []string{"approve", "1"}, ExitPermission, "may not decide approvals"},
		{viewer, []string{"models", "pull", "x"}, ExitPermission, "may not pull models"},
		{admin, []string{"brief", "show", "42"}, ExitFailure, "not found"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, errOut := run(t, be, tc.who, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.says) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tc.code, tc.says)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "tandem: ") {
				t.Errorf("stderr is not one line: %q", errOut)
			}
			for _, internal := range []string{"estimate_hours", "weekly_hours", "time_off[", "EstimateHours"} {
				if strings.Contains(errOut, internal) {
					t.Errorf("stderr names an internal field %q: %q", internal, errOut)
				}
			}
		})
	}
}
