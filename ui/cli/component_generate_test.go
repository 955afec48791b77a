package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models/ollamatest"
	"github.com/tandem-ops/tandem/ui/backend"
)

// Ensure that component generate stores, from a real Ollama server, the
// components asked for per slot as linted drafts whose provenance is a
// stored generation, and assembles every combination of them with a lint
// verdict. The tiny model writes junk: this checks structure, not quality.
func TestComponentGenerate_EndToEnd(t *testing.T) {
	host := ollamatest.Start(t)
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: host}})
	ctx := context.Background()
	if _, err := be.SeedDemo(ctx, admin, testNow); err != nil {
		t.Fatal(err)
	}
	before, _ := be.Components(ctx)
	code, out, errOut := run(t, be, admin, "component", "generate", "--brief", "1", "--slot", "headline=3", "--slot", "body=1", "--slot", "cta=2",
		"--model", ollamatest.Model, "--seed", "5", "--json")
	if code != 0 {
		t.Fatalf("component generate: %d %s", code, errOut)
	}
	var got backend.GeneratedComponents
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	want := map[string]int{"headline": 3, "body": 1, "cta": 2}
	product := 1
	for _, s := range got.Slots {
		rejected := 0
		for _, r := range got.Rejected {
			if r.Slot == s.Slot {
				rejected++
			}
		}
		if len(s.Components)+rejected != want[s.Slot] {
			t.Errorf("%s: %d stored and %d rejected of %d", s.Slot, len(s.Components), rejected, want[s.Slot])
		}
		product *= len(s.Components)
		for _, c := range s.Components {
			stored, err := be.Component(ctx, c.ID)
			if err != nil || stored.State != "draft" || stored.Slot != s.Slot || stored.Text == "" || stored.Lint.Score == 0 && len(stored.Lint.Findings) == 0 {
				t.Errorf("component %d: %+v, %v", c.ID, stored, err)
			}
			g, err := be.Generated(ctx, stored.Generated)
			if err != nil || g.BriefID != 1 || g.Provenance.Digest == "" || g.Provenance.Seed < 5 || g.Provenance.PromptHash == "" {
				t.Errorf("component %d's provenance (generation %d): %+v, %v", c.ID, stored.Generated, g.Provenance, err)
			}
			if part, _ := g.Copy.Part(s.Slot); core.ComponentText(part) != stored.Text {
				t.Errorf("component %d is %q; its generation's %s is %q", c.ID, stored.Text, s.Slot, part)
			}
		}
	}
	if len(got.Slots) != 3 || len(got.Combinations) != product {
		t.Fatalf("%d slots, %d combinations (want %d)", len(got.Slots), len(got.Combinations), product)
	}
	for _, a := range got.Combinations {
		if len(a.Components) != 3 || a.Text == "" || a.Lint.Score < 0 || a.Breaks == nil {
			t.Errorf("combination %+v has no lint verdict", a)
		}
	}
	after, _ := be.Components(ctx)
	if stored := len(after) - len(before); stored != 6-len(got.Rejected) {
		t.Errorf("%d components stored, %d rejected", stored, len(got.Rejected))
	}
	t.Logf("%d combinations, %d rejected parts; the first is %q, breaking %v", len(got.Combinations), len(got.Rejected), got.Combinations[0].Text, got.Combinations[0].Breaks)
}

// Ensure that a generation by slot asked for wrongly is a usage error
// naming what to give, before any model is asked.
func TestComponentGenerate_Usage(t *testing.T) {
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: "127.0.0.1:1"}})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--slot", "headline=2"}, "--brief is required"},
		{[]string{"--brief", "1"}, "--slot headline=N"},
		{[]string{"--brief", "1", "--slot", "headline"}, "use SLOT=N"},
		{[]string{"--brief", "1", "--slot", "footer=2"}, "not a slot the studio generates"},
		{[]string{"--brief", "1", "--slot", "headline=0"}, "ask for 1 to 10"},
		{[]string{"--brief", "1", "--slot", "headline=2", "--slot", "Headline=3"}, "given twice"},
		{[]string{"--brief", "1", "--slot", "headline=10", "--slot", "body=10", "--slot", "cta=3"}, "makes 300 combinations"},
	} {
		code, _, errOut := run(t, be, admin, append([]string{"component", "generate"}, tc.args...)...)
		if code != ExitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: %d %q, want exit 2 saying %q", tc.args, code, errOut, tc.want)
		}
	}
}

// Ensure that without Ollama `component generate` says so on one line
// (exit 5) and prints no empty result, in text or JSON.
func TestComponentGenerate_OllamaDown(t *testing.T) {
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: "127.0.0.1:1"}})
	if _, err := be.SeedDemo(context.Background(), admin, testNow); err != nil {
		t.Fatal(err)
	}
	for _, asJSON := range []bool{false, true} {
		args := []string{"component", "generate", "--brief", "1", "--slot", "headline=2"}
		if asJSON {
			args = append(args, "--json")
		}
		code, out, errOut := run(t, be, admin, args...)
		if code != ExitUnavailable || out != "" || strings.Count(errOut, "\n") != 1 {
			t.Errorf("json %v: exit %d, stdout %q, stderr %q; want 5, nothing, one line", asJSON, code, out, errOut)
		}
	}
}
