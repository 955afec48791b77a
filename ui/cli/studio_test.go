package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models/ollamatest"
	"github.com/tandem-ops/tandem/ui/backend"
)

// Ensure that tandem generate stores validated, linted variants with
// provenance from a real Ollama server, and one goes to approvals.
func TestGenerate_EndToEnd(t *testing.T) {
	host := ollamatest.Start(t)
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: host}})
	ctx := context.Background()
	if _, err := be.SeedDemo(ctx, admin, testNow); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, be, admin, "generate", "--brief", "1", "--n", "2", "--model", ollamatest.Model, "--seed", "9", "--json")
	if code != 0 {
		t.Fatalf("generate: %d %s", code, errOut)
	}
	var vs []core.GeneratedVariant
	if err := json.Unmarshal([]byte(out), &vs); err != nil || len(vs) != 2 {
		t.Fatalf("generated %q: %v", out, err)
	}
	p := vs[0].Provenance
	if vs[0].ID == 0 || p.Digest == "" || p.Seed != 9 || p.GuidelineVersion == 0 || p.PromptHash == "" || len(p.Sources) == 0 {
		t.Fatalf("provenance %+v", p)
	}
	// The demo's review stage is past its WIP limit.
	code, _, errOut = run(t, be, admin, "approvals", "submit", "1", "--variant", fmt.Sprint(vs[0].ID), "--force")
	if code != 0 {
		t.Fatalf("submit the variant: %s", errOut)
	}
	reviews, _ := be.Reviews(ctx)
	found := false
	for _, r := range reviews {
		found = found || (r.BriefID == 1 && r.Copy() == vs[0].Copy.Text())
	}
	if !found {
		t.Fatal("the variant's copy is not under review")
	}
	code, out, errOut = run(t, be, admin, "experiment", "add", "gen-test", "--generated", fmt.Sprintf("%d,%d", vs[0].ID, vs[1].ID), "--channel", "email")
	if code != 0 || !strings.Contains(out, fmt.Sprintf("control g%d", vs[0].ID)) {
		t.Fatalf("experiment from variants: %d %q %q", code, out, errOut)
	}
	if e, err := be.Experiment(ctx, "gen-test"); err != nil || e.BriefID != 1 || e.Variants[1].Copy != vs[1].Copy.Text() {
		t.Fatalf("experiment %+v, %v", e, err)
	}
	audit, _ := be.Audit(ctx)
	gens := 0
	for _, e := range audit {
		if e.Action == "generation.add" && e.Actor == admin.Name {
			gens++
		}
	}
	if gens != 2 {
		t.Fatalf("%d generations audited", gens)
	}
}

func TestGenerate_OllamaDown(t *testing.T) {
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: "127.0.0.1:1"}})
	if _, err := be.AddBrief(context.Background(), admin, core.Brief{Title: "x"}); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, be, admin, "generate", "--brief", "1", "--model", "tiny")
	if code != ExitUnavailable || !strings.Contains(errOut, "start it with `ollama serve`") {
		t.Fatalf("%d %q", code, errOut)
	}
	if code, _, errOut := run(t, be, admin, "models"); code != ExitUnavailable || !strings.Contains(errOut, "Ollama is not running") {
		t.Fatalf("models: %d %q", code, errOut)
	}

	// Over SSH the person cannot start the server's Ollama, nor needs its
	// address: they are sent to its admin.
	var out, remoteErr strings.Builder
	code = Run(context.Background(), be, Call{Identity: admin, Args: []string{"generate", "--brief", "1", "--model", "tiny"}, Remote: true}, nil, &out, &remoteErr)
	if code != ExitUnavailable || !strings.Contains(remoteErr.String(), "ask its admin to start it") || strings.Contains(remoteErr.String(), "127.0.0.1") {
		t.Fatalf("over SSH: %d %q", code, remoteErr.String())
	}
}
