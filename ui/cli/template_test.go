package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
)

// runIn is run with stdin.
func runIn(t *testing.T, be *backend.Backend, who core.Identity, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), be, Call{Identity: who, Dir: t.TempDir(), Args: args, Remote: true}, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// mustRun runs args as who and fails the test unless they exit 0.
func mustRun(t *testing.T, be *backend.Backend, who core.Identity, args ...string) string {
	t.Helper()
	code, out, errOut := run(t, be, who, args...)
	if code != ExitOK {
		t.Fatalf("%v: exit %d: %s", args, code, errOut)
	}
	return out
}

// addSpringTemplates adds the flow and brief templates the tests file
// briefs from, as the README shows.
func addSpringTemplates(t *testing.T, be *backend.Backend) {
	t.Helper()
	mustRun(t, be, admin, "template", "add", "flow", "Email review", "--field", "asset_type=email",
		"--field", "stage=Brand; approvers=cy; sla=8", "--field", "stage=Legal; approvers=dee")
	mustRun(t, be, admin, "template", "add", "brief", "Spring email",
		"--field", "title_pattern=Spring email: {title}", "--field", "objective=Lift repeat orders",
		"--field", "kpi_target=CTR 3%", "--field", "campaign=Spring",
		"--field", "estimates=copy:4, design:6", "--field", "flow=Email review",
		"--field", "checklist=Legal ok!, Alt text!, Spellcheck")
}

func decodeBrief(t *testing.T, out string) core.Brief {
	t.Helper()
	var b core.Brief
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("not a brief: %v\n%s", err, out)
	}
	return b
}

// Ensure that a brief from a template is pre-filled and records the
// template and version, that an edit bumps the version while the old
// brief keeps its own, and that the flow template makes a flow.
func TestTemplate_BriefFromTemplate(t *testing.T) {
	be := mustOpenBackend(t)
	addSpringTemplates(t, be)
	b := decodeBrief(t, mustRun(t, be, admin, "brief", "add", "--template", "spring EMAIL", "--title", "Week 1", "--json"))
	if b.Title != "Spring email: Week 1" || b.Objective != "Lift repeat orders" || b.KPITarget != "CTR 3%" || b.Campaign != "Spring" ||
		b.Skill != "copy" || b.EstimateHours != 10 || b.Template != "Spring email" || b.TemplateVersion != 1 || len(b.Checklist) != 3 {
		t.Fatalf("brief from the template = %+v", b)
	}
	if out := mustRun(t, be, admin, "template", "edit", "brief", "Spring email", "--field", "objective=Win back lapsed buyers"); !strings.Contains(out, "version 2") {
		t.Fatalf("edit said %q, want version 2", out)
	}
	b2 := decodeBrief(t, mustRun(t, be, admin, "brief", "add", "--template", "Spring email", "--title", "Week 2", "--objective", "Mine", "--json"))
	if b2.TemplateVersion != 2 || b2.Objective != "Mine" {
		t.Fatalf("second brief = version %d, objective %q; want 2 and the given objective", b2.TemplateVersion, b2.Objective)
	}
	if old := decodeBrief(t, mustRun(t, be, admin, "brief", "show", "1", "--json")); old.TemplateVersion != 1 || old.Objective != "Lift repeat orders" {
		t.Fatalf("old brief = %+v; want version 1 kept", old)
	}
	if out := mustRun(t, be, admin, "brief", "show", "1"); !strings.Contains(out, "Spring email (version 1)") || !strings.Contains(out, "[ ] Legal ok (required)") {
		t.Fatalf("brief show:\n%s", out)
	}
	out := mustRun(t, be, admin, "template", "list")
	if !strings.Contains(out, "Spring email") || !regexpLine(out, `brief\s+Spring email\s+2\s+in use\s+2`) {
		t.Fatalf("template list:\n%s", out)
	}
	if code, _, errOut := run(t, be, admin, "template", "edit", "brief", "Spring email", "--if-version", "1", "--field", "objective=x"); code != ExitConflict {
		t.Fatalf("an edit from version 1: exit %d, %s; want %d", code, errOut, ExitConflict)
	}
	var versions []core.Template
	if err := json.Unmarshal([]byte(mustRun(t, be, admin, "template", "show", "brief", "Spring email", "--versions", "--json")), &versions); err != nil || len(versions) != 2 {
		t.Fatalf("versions = %v, %v", versions, err)
	}
	if out := mustRun(t, be, admin, "approvals", "flows", "add", "--template", "Email review"); !strings.Contains(out, "2 stage(s) from template version 1") {
		t.Fatalf("flows add --template: %s", out)
	}
	var uses []core.TemplateUse
	if err := json.Unmarshal([]byte(mustRun(t, be, admin, "template", "list", "--kind", "flow", "--json")), &uses); err != nil || len(uses) != 1 || uses[0].Uses != 1 {
		t.Fatalf("flow uses = %+v, %v", uses, err)
	}
	mustRun(t, be, admin, "template", "retire", "brief", "Spring email")
	if code, _, errOut := run(t, be, admin, "brief", "add", "--template", "Spring email", "--title", "x"); code != ExitUsage || !strings.Contains(errOut, "is retired") {
		t.Fatalf("from a retired template: exit %d, %q", code, errOut)
	}
}

// Ensure that a required template is enforced with one clear line.
func TestTemplate_Required(t *testing.T) {
	be := mustOpenBackend(t)
	addSpringTemplates(t, be)
	mops := core.Identity{Name: "mo", Role: core.RoleMOps}
	if code, _, errOut := run(t, be, mops, "template", "require", "email", "Spring email"); code != ExitPermission {
		t.Fatalf("mops requiring: exit %d, %s; want %d (admins only)", code, errOut, ExitPermission)
	}
	mustRun(t, be, admin, "taxonomy", "add", "asset-type", "email")
	mustRun(t, be, admin, "template", "require", "email", "Spring email")
	code, _, errOut := run(t, be, mops, "brief", "add", "--title", "Blank", "--asset-type", "email")
	if code != ExitUsage || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, `must be made from template "Spring email": add it with --template "Spring email"`) {
		t.Fatalf("a blank brief of a required type: exit %d, %q", code, errOut)
	}
	if b := decodeBrief(t, mustRun(t, be, mops, "brief", "add", "--template", "Spring email", "--title", "W", "--asset-type", "email", "--json")); b.Template != "Spring email" {
		t.Fatalf("from the required template = %+v", b)
	}
	if out := mustRun(t, be, mops, "template", "requirements"); !regexpLine(out, `email\s+Spring email`) {
		t.Fatalf("requirements:\n%s", out)
	}
	mustRun(t, be, admin, "template", "require", "email", "--clear")
	mustRun(t, be, mops, "brief", "add", "--title", "Blank", "--asset-type", "email")
}

// Ensure that moving into review with required items unticked is held
// (exit 5, saying what to do), that ticking them or a reason lets it
// through, and that the reason and who gave it are kept.
func TestTemplate_ChecklistGate(t *testing.T) {
	be := mustOpenBackend(t)
	addSpringTemplates(t, be)
	creative := core.Identity{Name: "bo", Role: core.RoleCreative}
	mustRun(t, be, creative, "brief", "add", "--template", "Spring email", "--title", "Week 1", "--stage", "in-production")
	mustRun(t, be, creative, "brief", "add", "--template", "Spring email", "--title", "Week 2", "--stage", "in-production")
	code, _, errOut := run(t, be, creative, "brief", "move", "1", "review")
	if code != ExitUnavailable || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "2 unticked required checklist item(s) (Legal ok, Alt text)") || !strings.Contains(errOut, "--skip-checklist REASON") {
		t.Fatalf("move with items unticked: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, be, creative, "approvals", "submit", "1", "--copy", "Spring is here", "--force"); code != ExitUnavailable {
		t.Fatalf("submit --force with items unticked: exit %d, %q; --force is for WIP limits", code, errOut)
	}
	if out := mustRun(t, be, creative, "brief", "check", "1", "legal ok"); !strings.Contains(out, "1 required item(s) left before review: Alt text") {
		t.Fatalf("check: %s", out)
	}
	mustRun(t, be, creative, "brief", "check", "1", "2")
	mustRun(t, be, creative, "brief", "move", "1", "review")
	if code, _, errOut := run(t, be, creative, "brief", "check", "1", "Budget"); code != ExitUsage || !strings.Contains(errOut, "Legal ok, Alt text, Spellcheck") {
		t.Fatalf("check an unknown item: exit %d, %q", code, errOut)
	}
	mustRun(t, be, creative, "brief", "move", "2", "review", "--skip-checklist", "legal is out until Monday")
	b := decodeBrief(t, mustRun(t, be, creative, "brief", "show", "2", "--json"))
	if it := b.Checklist[0]; it.Skipped != "legal is out until Monday" || it.By != "bo" {
		t.Fatalf("skipped item = %+v", it)
	}
	if out := mustRun(t, be, admin, "audit", "export", "--json"); !strings.Contains(out, `"action": "brief.move.skip-checklist"`) || !strings.Contains(out, `"actor": "bo"`) {
		t.Fatalf("the audit does not show the skip:\n%s", out)
	}
}

// Ensure that templates are given as JSON on stdin, that who may not
// edit templates is refused, and hostile input is one line's error.
func TestTemplate_InputAndRefusals(t *testing.T) {
	be := mustOpenBackend(t)
	body := `{"objective":"Lift","estimates":[{"skill":"copy","hours":3}],"checklist":[{"name":"Legal ok","required":true}]}`
	if code, out, errOut := runIn(t, be, admin, body, "template", "add", "brief", "Stdin", "-", "--json"); code != ExitOK || !strings.Contains(out, `"version": 1`) {
		t.Fatalf("add from stdin: exit %d, %s%s", code, out, errOut)
	}
	mustRun(t, be, admin, "brief", "add", "--template", "Stdin", "--title", "x", "--stage", "in-production")
	creative := core.Identity{Name: "bo", Role: core.RoleCreative}
	for _, tt := range []struct {
		name string
		who  core.Identity
		in   string
		args []string
		code int
		want string
	}{
		{"creative adds", creative, "", []string{"template", "add", "brief", "X", "--field", "objective=y"}, ExitPermission, "may not edit templates"},
		{"unknown kind", admin, "", []string{"template", "add", "deck", "X", "--field", "objective=y"}, ExitUsage, "use brief, flow or experiment"},
		{"unknown field", admin, "", []string{"template", "add", "brief", "X", "--field", "budget=9"}, ExitUsage, "unknown brief template field"},
		{"no fields", admin, "", []string{"template", "add", "brief", "X"}, ExitUsage, "give the template's fields"},
		{"unknown JSON key", admin, `{"budget":1}`, []string{"template", "add", "brief", "X", "-"}, ExitUsage, `unknown key "budget"`},
		{"escape in name", admin, "", []string{"template", "add", "brief", "X\x1b[2J", "--field", "objective=y"}, ExitUsage, "control character"},
		{"bidi in item", admin, "", []string{"template", "add", "brief", "X", "--field", "checklist=a\u202eb!"}, ExitUsage, "invisible formatting"},
		{"NaN hours", admin, "", []string{"template", "add", "brief", "X", "--field", "estimates=copy:NaN"}, ExitUsage, "SKILL:HOURS"},
		{"taken name", admin, "", []string{"template", "add", "brief", "stdin", "--field", "objective=y"}, ExitUsage, "is taken"},
		{"server path", admin, "", []string{"template", "add", "brief", "X", "/etc/passwd"}, ExitUsage, "never a file on the server"},
		{"missing template", admin, "", []string{"brief", "add", "--template", "Nope", "--title", "x"}, ExitFailure, "no brief template is named that"},
		{"blank skip reason", admin, "", []string{"brief", "move", "1", "review", "--skip-checklist", " "}, ExitUsage, "checklist skip reason: is required"},
		{"escape in skip reason", admin, "", []string{"brief", "move", "1", "review", "--skip-checklist", "ok\x1b]52;c;x\x07"}, ExitUsage, "control character"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runIn(t, be, tt.who, tt.in, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 || strings.Contains(errOut, "\x1b") {
				t.Fatalf("exit %d, %q; want %d and %q on one line", code, errOut, tt.code, tt.want)
			}
		})
	}
}

// regexpLine reports whether some line of out matches pattern.
func regexpLine(out, pattern string) bool {
	re := regexp.MustCompile(pattern)
	for _, line := range strings.Split(out, "\n") {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

// templateJSONCommands are the template commands with a --json form, as
// run against the workspace templateJSONWorkspace makes.
var templateJSONCommands = [][]string{
	{"template", "list"},
	{"template", "show", "brief", "Spring email"},
	{"template", "show", "flow", "Email review", "--versions"},
	{"template", "requirements"},
	{"brief", "show", "1"},
}

// Ensure that the template commands' JSON keeps the contract and its
// shape, as TestJSON_Contract does for the demo's commands.
func TestJSON_Contract_Templates(t *testing.T) {
	be := mustOpenBackend(t)
	addSpringTemplates(t, be)
	mustRun(t, be, admin, "template", "add", "experiment", "Subject line test", "--field", "hypothesis=A question lifts opens",
		"--field", "guardrails=revenue", "--field", "mde=0.05", "--field", "min_runtime_days=14")
	mustRun(t, be, admin, "taxonomy", "add", "asset-type", "email")
	mustRun(t, be, admin, "template", "require", "email", "Spring email")
	mustRun(t, be, admin, "brief", "add", "--template", "Spring email", "--title", "Week 1", "--asset-type", "email", "--stage", "in-production")
	mustRun(t, be, admin, "brief", "check", "1", "Legal ok")
	mustRun(t, be, admin, "brief", "move", "1", "review", "--skip-checklist", "alt text comes with the final art")
	for _, args := range templateJSONCommands {
		name := strings.Join(args, "_")
		t.Run(name, func(t *testing.T) {
			// A folder of its own: "brief show 1" here is not the demo's.
			checkJSONGolden(t, be, args, filepath.Join("testdata", "json", "templates", strings.ReplaceAll(name, " ", "-")+".json"))
		})
	}
}

// Ensure that an experiment set up from a template takes its hypothesis,
// metrics and guards, records template and version, and counts as a use.
func TestTemplate_ExperimentFromTemplate(t *testing.T) {
	be := mustOpenBackend(t)
	mustRun(t, be, admin, "template", "add", "experiment", "Subject line test", "--field", "hypothesis=A question lifts opens",
		"--field", "guardrails=revenue", "--field", "mde=0.05", "--field", "min_runtime_days=14")
	out := mustRun(t, be, admin, "experiment", "add", "dec-subject", "--variants", "a,b", "--template", "subject line test", "--json")
	var e core.Experiment
	if err := json.Unmarshal([]byte(out), &e); err != nil {
		t.Fatal(err)
	}
	if e.Hypothesis != "A question lifts opens" || e.Template != "Subject line test" || e.TemplateVersion != 1 ||
		len(e.Metrics) != 2 || e.Guards == nil || e.Guards.Policy.MDE != 0.05 || e.Guards.MinRuntime.Hours() != 14*24 {
		t.Fatalf("experiment from the template = %+v", e)
	}
	if out := mustRun(t, be, admin, "template", "list", "--kind", "experiment"); !regexpLine(out, `experiment\s+Subject line test\s+1\s+in use\s+1`) {
		t.Fatalf("template list:\n%s", out)
	}
	if code, _, errOut := run(t, be, admin, "experiment", "add", "x", "--variants", "a,b", "--template", "Nope"); code != ExitFailure || !strings.Contains(errOut, "no experiment template") {
		t.Fatalf("a missing template: exit %d, %q", code, errOut)
	}
}

// Ensure that the KPIs split by template, blank briefs under "(none)".
func TestTemplate_ReportByTemplate(t *testing.T) {
	be := mustOpenBackend(t)
	addSpringTemplates(t, be)
	mustRun(t, be, admin, "brief", "add", "--template", "Spring email", "--title", "Week 1")
	mustRun(t, be, admin, "brief", "add", "--title", "Blank")
	var report struct {
		By     string                      `json:"by"`
		Groups map[string][]map[string]any `json:"groups"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, be, admin, "report", "kpis", "--by", "template", "--json")), &report); err != nil {
		t.Fatal(err)
	}
	if report.By != "template" || len(report.Groups) != 2 || report.Groups["Spring email"] == nil || report.Groups["(none)"] == nil {
		t.Fatalf("groups = %v", report.Groups)
	}
}
