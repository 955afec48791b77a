package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
)

// Ensure that `approvals flows add` reads each stage spec, fills a missing
// SLA with the default (the config's when it sets one), and is refused to
// anyone but an admin.
func TestFlowsAdd(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "tandem.db"), store.Options{Now: func() time.Time { return testNow }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	be := backend.New(st)
	code, out, errOut := run(t, be, admin, "approvals", "flows", "add", "Social post", "--asset-type", "paid social",
		"--stage", "Brand review; approvers=Ana Ruiz, Dev Patel; reviewers=Kim; mode=parallel; rule=1",
		"--stage", "Legal; approvers=Femi Adeyemi; sla=16h")
	if code != 0 || !strings.Contains(out, `added flow 1 "Social post" with 2 stage(s)`) {
		t.Fatalf("exit %d: %q %q", code, out, errOut)
	}
	// The same workspace opened with sla_hours = 4 in the config.
	be = backend.NewWith(st, backend.Settings{SLAHours: 4})
	if code, _, errOut := run(t, be, admin, "approvals", "flows", "add", "Blog", "--stage", "Editor; approvers=Ben Okafor"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	flows, err := be.Flows(context.Background())
	if err != nil || len(flows) != 2 {
		t.Fatalf("flows = %+v, %v", flows, err)
	}
	brand, legal, editor := flows[0].Stages[0], flows[0].Stages[1], flows[1].Stages[0]
	if brand.Mode != core.ModeParallel || brand.Rule != core.RuleNOfM || brand.N != 1 || len(brand.Approvers) != 2 || brand.Reviewers[0] != "Kim" {
		t.Errorf("brand stage = %+v", brand)
	}
	if brand.SLAHours != core.DefaultSLAHours || legal.SLAHours != 16 || editor.SLAHours != 4 {
		t.Errorf("SLAs = %g, %g, %g; want the default %d, 16 as given, 4 from the config", brand.SLAHours, legal.SLAHours, editor.SLAHours, core.DefaultSLAHours)
	}
	if code, out, _ := run(t, be, admin, "approvals", "flows"); code != 0 || !strings.Contains(out, "2. Legal") || !strings.Contains(out, "1 of 2") {
		t.Errorf("flows list: %q", out)
	}

	for spec, want := range map[string]string{
		"approvers=Ana":                  "start with the stage's name",
		"Legal; colour=red":              `unknown setting "colour"`,
		"Legal; approvers=Ana; sla":      "not key=value",
		"Legal; approvers=Ana; sla=soon": "use working hours",
	} {
		if code, _, errOut := run(t, be, admin, "approvals", "flows", "add", "Bad", "--stage", spec); code != ExitUsage || !strings.Contains(errOut, want) {
			t.Errorf("--stage %q: exit %d, %q; want usage error %q", spec, code, errOut, want)
		}
	}
	if code, _, errOut := run(t, be, admin, "approvals", "flows", "add", "Bad", "--stage", "Legal; rule=3; approvers=Ana"); code == 0 || !strings.Contains(errOut, "stages[0].n") {
		t.Errorf("3 of 1 approvers: exit %d, %q", code, errOut)
	}
	creative := core.Identity{Name: "olga", Role: core.RoleCreative}
	if code, _, _ := run(t, be, creative, "approvals", "flows", "add", "Mine", "--stage", "Me; approvers=olga"); code == 0 {
		t.Error("a creative added a flow")
	}
}
