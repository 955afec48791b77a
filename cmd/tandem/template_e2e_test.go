package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Ensure, from the built binary, the path a person takes with templates:
// add a flow template and a brief template with estimates, file a brief
// from it (every field pre-filled, template and version recorded), edit
// the template (a new version), and have a required template enforced.
func TestBinary_Templates(t *testing.T) {
	dir, bin := buildBinary(t)
	db := filepath.Join(dir, "w.db")
	tandem := func(stdin string, args ...string) (int, string, string) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--db", db}, args...)...)
		cmd.Env = []string{"HOME=" + dir, "USER=ana", "PATH=" + os.Getenv("PATH"), "XDG_CONFIG_HOME=" + dir}
		cmd.Stdin = strings.NewReader(stdin)
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("%v: %v", args, err)
		}
		return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
	}
	must := func(stdin string, args ...string) string {
		t.Helper()
		code, out, errOut := tandem(stdin, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out
	}
	must("", "template", "add", "flow", "Email review", "--field", "asset_type=email", "--field", "stage=Brand; approvers=cy")
	must(`{"title_pattern":"Spring email: {title}","objective":"Lift repeat orders","audience":"returning customers",
		"channel":"email","kpi_target":"CTR 3%","asset_type":"email","tags":["seasonal"],
		"estimates":[{"skill":"copy","hours":4},{"skill":"design","hours":6}],"flow":"Email review",
		"checklist":[{"name":"Legal ok","required":true}]}`,
		"template", "add", "brief", "Spring email", "-")
	must("", "taxonomy", "add", "asset-type", "email")
	must("", "taxonomy", "add", "channel", "email")
	must("", "taxonomy", "add", "audience", "returning customers")
	must("", "taxonomy", "add", "tag", "seasonal")
	var b struct {
		Title, Objective, Audience, Channel, Skill string
		KPITarget                                  string  `json:"kpi_target"`
		AssetType                                  string  `json:"asset_type"`
		EstimateHours                              float64 `json:"estimate_hours"`
		Tags                                       []string
		Template                                   string
		TemplateVersion                            uint64 `json:"template_version"`
		Checklist                                  []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(must("", "brief", "add", "--template", "Spring email", "--title", "Week 1", "--json")), &b); err != nil {
		t.Fatal(err)
	}
	if b.Title != "Spring email: Week 1" || b.Objective != "Lift repeat orders" || b.Audience != "returning customers" || b.Channel != "email" ||
		b.KPITarget != "CTR 3%" || b.AssetType != "email" || b.Skill != "copy" || b.EstimateHours != 10 || len(b.Tags) != 1 ||
		b.Template != "Spring email" || b.TemplateVersion != 1 || len(b.Checklist) != 1 {
		t.Fatalf("brief from the template = %+v", b)
	}
	if out := must("", "template", "edit", "brief", "Spring email", "--field", "objective=Win back lapsed buyers"); !strings.Contains(out, "version 2") {
		t.Fatalf("edit: %s", out)
	}
	if out := must("", "brief", "show", "1"); !strings.Contains(out, "Spring email (version 1)") {
		t.Fatalf("the first brief lost its version:\n%s", out)
	}
	must("", "template", "require", "email", "Spring email")
	code, _, errOut := tandem("", "brief", "add", "--title", "Blank", "--asset-type", "email")
	if code != 2 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, `--template "Spring email"`) {
		t.Fatalf("a blank brief of a required type: exit %d, %q", code, errOut)
	}
	code, _, errOut = tandem("", "brief", "move", "1", "review")
	if code != 5 || !strings.Contains(errOut, "Legal ok") {
		t.Fatalf("move into review with the checklist unticked: exit %d, %q", code, errOut)
	}
}
