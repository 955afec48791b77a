package cli

import (
	"bytes"
	"context"
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
		who   core.Identity
		args  []string
		code  int
		says  string
		stdin string
	}{
		{admin, []string{"frobnicate"}, ExitUsage, "unknown command", ""},
		{admin, []string{"brief", "list", "--colour"}, ExitUsage, "unknown flag: --colour", ""},
		{admin, []string{"brief", "show"}, ExitUsage, "takes 1 argument", ""},
		{admin, []string{"brief", "show", "x"}, ExitUsage, "is not a brief ID", ""},
		{admin, []string{"brief", "list", "--stage", "nowhere"}, ExitUsage, "unknown stage", ""},
		{admin, []string{"brief", "add"}, ExitUsage, "title: is required", ""},
		{admin, []string{"brief", "add", "--title", "x", "--estimate", "-5"}, ExitUsage, "estimate: is -5 hours", ""},
		{admin, []string{"brief", "add", "--title", "x", "--estimate", "NaN"}, ExitUsage, "estimate: is NaN hours", ""},
		{admin, []string{"brief", "add", "--title", "x", "--due", "2026-13-45"}, ExitUsage, "--due", ""},
		{admin, []string{"brief", "move", "1", "sideways"}, ExitUsage, "unknown stage", ""},
		{admin, []string{"person", "add", "Ana", "--lane", "in-house", "--hours", "500"}, ExitUsage, "hours: is 500 a week", ""},
		{admin, []string{"person", "add", "ana ruiz", "--lane", "freelance", "--hours", "10"}, ExitUsage, `already person 1's name, "Ana Ruiz"`, ""},
		{admin, []string{"brief", "add", "--title", "\u200b\u200b"}, ExitUsage, "title: has an invisible formatting character (U+200B", ""},
		{admin, []string{"capacity", "--weeks", "0"}, ExitUsage, "--weeks 0", ""},
		{admin, []string{"report", "kpis", "--since", "yesterday"}, ExitUsage, "--since", ""},
		{admin, []string{"experiment", "add", "Bad Key", "--variants", "a,b"}, ExitUsage, "experiment key", ""},
		{admin, []string{"ingest", "--format", "xml", "-"}, ExitUsage, "--format", ""},
		{admin, []string{"run"}, ExitUsage, "--brief is required", ""},
		{admin, []string{"run", "--brief", "0"}, ExitUsage, "--brief 0 is not a brief ID", ""},
		{admin, []string{"generate", "--brief", "0"}, ExitUsage, "--brief 0 is not a brief ID", ""},
		// A flag value that does not parse names the flag and what it
		// takes, for every type of flag the table has.
		{admin, []string{"brief", "add", "--title", "x", "--estimate", "abc"}, ExitUsage, `--estimate: "abc" is not a number`, ""},
		{admin, []string{"brief", "add", "--title", "x", "--estimate", "1e400"}, ExitUsage, `--estimate: "1e400" is out of range`, ""},
		{admin, []string{"capacity", "--weeks", "two"}, ExitUsage, `--weeks: "two" is not a whole number`, ""},
		{admin, []string{"capacity", "--weeks", "99999999999999999999"}, ExitUsage, `--weeks: "99999999999999999999" is out of range`, ""},
		{admin, []string{"run", "--brief", "-1"}, ExitUsage, `--brief: "-1" is not a whole number of 0 or more`, ""},
		{admin, []string{"experiment", "add", "k", "--variants", "a,b", "--window", "soon"}, ExitUsage, `--window: "soon" is not a duration such as 90m`, ""},
		{admin, []string{"brief", "list", "--json=maybe"}, ExitUsage, `--json: "maybe" is not true or false`, ""},
		{admin, []string{"experiment", "add", "k", "--variants", "a,b", "--weights", "1,x"}, ExitUsage, `--weights: "1,x" is not a list of numbers`, ""},
		{admin, []string{"experiment", "add", "k", "--generated", "7,-1"}, ExitUsage, `--generated: "7,-1" is not a list of whole numbers`, ""},
		{admin, []string{"brief", "add", "--title", "x", "--tag", `"q4`}, ExitUsage, `--tag: "\"q4" is not a comma-separated list`, ""},
		// JSON a person gives is named by its keys, in their words.
		{admin, []string{"guideline", "set", "-"}, ExitUsage, "guideline: voice must be a string", `{"voice":5}`},
		{admin, []string{"guideline", "set", "-"}, ExitUsage, "guideline: the input is empty; give the guideline as JSON (see `tandem guideline show --json`)", ""},
		{admin, []string{"guideline", "set", "-"}, ExitUsage, `guideline: unknown key "voise"`, `{"voise":"warm"}`},
		{admin, []string{"guideline", "set", "-"}, ExitUsage, "guideline: the JSON stops before its end", `{"voice":`},
		{admin, []string{"guideline", "set", "-"}, ExitUsage, "guideline: not valid JSON (at byte 10)", `{"voice" "warm"}`},
		{admin, []string{"guideline", "set", "-"}, ExitUsage, "guideline: must be an object", `["warm"]`},
		{admin, []string{"guideline", "set", "-"}, ExitUsage, "guideline: the input is null; give the guideline as a JSON object", "null\n"},
		{admin, []string{"guideline", "set", "-"}, ExitUsage, "brand guideline voice: has a control character (U+0000) at byte 1", `{"voice":"a\u0000b\u001b[31m\u202e"}`},
		{admin, []string{"guideline", "set", "-"}, ExitUsage, "brand guideline reading_level: is 1e+99; use a grade level from 1 to 20", `{"reading_level":1e99}`},
		{admin, []string{"template", "add", "brief", "Spring", "-"}, ExitUsage, "stdin is not a brief template body: tags must be a list", `{"tags":"q4"}`},
		{viewer, []string{"brief", "add", "--title", "x"}, ExitPermission, "vic (viewer) may not edit briefs", ""},
		{viewer, []string{"approve", "1"}, ExitPermission, "may not decide approvals", ""},
		{viewer, []string{"models", "pull", "x"}, ExitPermission, "may not pull models", ""},
		{admin, []string{"brief", "show", "42"}, ExitFailure, "not found", ""},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, stderr bytes.Buffer
			code := Run(context.Background(), be, Call{Identity: tc.who, Dir: t.TempDir(), Args: tc.args}, strings.NewReader(tc.stdin), &out, &stderr)
			errOut := stderr.String()
			if code != tc.code || !strings.Contains(errOut, tc.says) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tc.code, tc.says)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "tandem: ") {
				t.Errorf("stderr is not one line: %q", errOut)
			}
			for _, internal := range []string{"weekly_hours", "time_off[", "EstimateHours", "strconv", "invalid syntax", "unknown field", "Go struct", "cannot unmarshal", "EOF"} {
				if strings.Contains(errOut, internal) {
					t.Errorf("stderr names an internal field %q: %q", internal, errOut)
				}
			}
		})
	}
}
