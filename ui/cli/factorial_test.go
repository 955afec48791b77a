package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
)

// addComponents adds and approves n components of slot through the
// command table and returns their IDs.
func addComponents(t *testing.T, be *backend.Backend, slot string, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		code, out, errOut := run(t, be, admin, "component", "add", "--slot", slot, "--text", fmt.Sprintf("%s number %d", slot, i+1), "--json")
		var c core.Component
		if code != 0 || json.Unmarshal([]byte(out), &c) != nil {
			t.Fatalf("component add: %d %s", code, errOut)
		}
		if code, _, errOut := run(t, be, admin, "component", "approve", fmt.Sprint(c.ID)); code != 0 {
			t.Fatalf("approve: %d %s", code, errOut)
		}
		ids = append(ids, fmt.Sprint(c.ID))
	}
	return ids
}

// Ensure that a 3×2×2 factorial built from approved components, fed
// events with known effects (headline 2 +20 %, CTA 2 +10 %, bodies
// alike), reports those effects and the best predicted combination, and
// that a 4×3×3 set within 12 arms is a balanced fraction that says what
// it confounds.
func TestFactorial_EndToEnd(t *testing.T) {
	be := mustOpenBackend(t)
	h, b, c := addComponents(t, be, "headline", 4), addComponents(t, be, "body", 3), addComponents(t, be, "cta", 3)
	code, out, errOut := run(t, be, admin, "experiment", "add", "combo",
		"--factorial", "headline="+strings.Join(h[:3], ","), "--factorial", "body="+strings.Join(b[:2], ","), "--factorial", "cta="+strings.Join(c[:2], ","))
	if code != 0 || !strings.Contains(out, "12 arms") || !strings.Contains(out, "full factorial") {
		t.Fatalf("factorial add: %d %s\n%s", code, errOut, out)
	}
	ingestRates(t, be, "combo", 20000, func(v core.Variant) float64 {
		r := 0.10
		if v.Components["headline"] == h[1] {
			r += 0.02
		}
		if v.Components["cta"] == c[1] {
			r += 0.01
		}
		return r
	})
	code, out, errOut = run(t, be, admin, "experiment", "show", "combo", "--effects", "--json")
	var a core.Analysis
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil || a.Effects == nil {
		t.Fatalf("show --effects: %d %s\n%s", code, errOut, out)
	}
	for _, ce := range a.Effects.Components {
		switch ce.Component {
		case h[1], c[1]:
			if !ce.Significant || ce.Effect <= 0 {
				t.Errorf("component %s: %+v", ce.Component, ce)
			}
		case b[1]:
			if ce.Significant {
				t.Errorf("the null body effect is significant: %+v", ce)
			}
		}
	}
	if p := a.Effects.BestPredicted; p == nil || p.Components["headline"] != h[1] || p.Components["cta"] != c[1] || p.Arm == "" {
		t.Errorf("best predicted = %+v", p)
	}
	if code, out, _ := run(t, be, admin, "experiment", "show", "combo", "--effects"); code != 0 || !strings.Contains(out, "best predicted: body ") || !strings.Contains(out, "▲ better") {
		t.Errorf("show --effects table: %d\n%s", code, out)
	}

	code, out, errOut = run(t, be, admin, "experiment", "add", "big", "--max-arms", "12",
		"--factorial", "headline="+strings.Join(h, ","), "--factorial", "body="+strings.Join(b, ","), "--factorial", "cta="+strings.Join(c, ","))
	if code != 0 || !strings.Contains(out, "12 arms") || !strings.Contains(out, "confounded") {
		t.Fatalf("fractional add: %d %s\n%s", code, errOut, out)
	}
	if code, _, errOut := run(t, be, admin, "experiment", "show", "big", "--effects"); code != 0 {
		t.Errorf("effects before any event: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, be, admin, "experiment", "show", "combo-not", "--effects"); code == 0 {
		t.Errorf("unknown experiment: %s", errOut)
	}
	draft := addDraft(t, be)
	if code, _, errOut := run(t, be, admin, "experiment", "add", "drafty", "--factorial", "headline="+h[0]+","+draft); code != ExitUsage || !strings.Contains(errOut, "tandem component approve "+draft) {
		t.Errorf("a draft component: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, be, admin, "experiment", "add", "plain", "--variants", "a,b"); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := run(t, be, admin, "experiment", "show", "plain", "--effects"); code != ExitUsage || !strings.Contains(errOut, "not a factorial test") {
		t.Errorf("effects of a plain test: %d %s", code, errOut)
	}
}

// Ensure that when an interaction flips the best pick (headline 2 is the
// best alone, headline 1 with CTA 2 converts best) the best predicted
// combination is headline 1 with CTA 2, tested, and names the
// interactions it used, with each slot pair's joint test, in the table
// and in the JSON, whose shape is kept in a golden file.
func TestJSON_Contract_Effects(t *testing.T) {
	be := mustOpenBackend(t)
	h, b, c := addComponents(t, be, "headline", 3), addComponents(t, be, "body", 2), addComponents(t, be, "cta", 2)
	mustRun(t, be, admin, "experiment", "add", "combo", "--factorial", "headline="+strings.Join(h, ","), "--factorial", "body="+strings.Join(b, ","), "--factorial", "cta="+strings.Join(c, ","))
	ingestRates(t, be, "combo", 5000, func(v core.Variant) float64 {
		r := 0.10
		switch {
		case v.Components["headline"] == h[1]:
			r += 0.04
		case v.Components["headline"] == h[0] && v.Components["cta"] == c[1]:
			r += 0.06
		}
		return r
	})
	out := mustRun(t, be, admin, "experiment", "show", "combo", "--effects", "--json")
	var a core.Analysis
	if err := json.Unmarshal([]byte(out), &a); err != nil || a.Effects == nil {
		t.Fatalf("show --effects --json: %v\n%s", err, out)
	}
	p := a.Effects.BestPredicted
	if p == nil || p.Components["headline"] != h[0] || p.Components["cta"] != c[1] || p.Arm == "" || len(p.UsesInteractions) == 0 {
		t.Errorf("best predicted = %+v", p)
	}
	text := mustRun(t, be, admin, "experiment", "show", "combo", "--effects")
	if want := fmt.Sprintf("best predicted: body %s, cta %s, headline %s, ", b[0], c[1], h[0]); !strings.Contains(text, want) || !strings.Contains(text, "model: main effects + interactions headline×cta (2 terms)\n") {
		t.Errorf("show --effects does not say %q with the interactions used:\n%s", want, text)
	}
	if !regexp.MustCompile(`(?m)^headline×cta +χ²\(2\) = [0-9.]+ +0\.000 +interacts$`).MatchString(text) || !regexp.MustCompile(`(?m)^body×cta +χ²\(1\) = [0-9.]+ +[0-9.]+ *$`).MatchString(text) {
		t.Errorf("show --effects does not show each pair's joint test, headline×cta called and body×cta not:\n%s", text)
	}
	checkJSONGolden(t, be, []string{"experiment", "show", "combo", "--effects"}, filepath.Join("testdata", "json", "factorial", "experiment_show_combo_--effects.json"))
}

// ingestRates ingests units exposures into each arm of experiment key,
// the first rateOf(arm) of them converting.
func ingestRates(t *testing.T, be *backend.Backend, key string, units int, rateOf func(core.Variant) float64) {
	t.Helper()
	e, err := be.Experiment(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	var events []core.Event
	for _, v := range e.Variants {
		r := rateOf(v)
		for u := range units {
			unit := fmt.Sprintf("%s-%d", v.Key, u)
			events = append(events, core.Event{TS: testNow, Experiment: key, Variant: v.Key, Unit: unit, Type: core.EventExposure})
			if float64(u) < r*float64(units) {
				events = append(events, core.Event{TS: testNow, Experiment: key, Variant: v.Key, Unit: unit, Type: core.EventConversion})
			}
		}
	}
	if _, err := be.Ingest(context.Background(), admin, events, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
}

func addDraft(t *testing.T, be *backend.Backend) string {
	t.Helper()
	code, out, _ := run(t, be, admin, "component", "add", "--slot", "headline", "--text", "Unapproved", "--json")
	var c core.Component
	if code != 0 || json.Unmarshal([]byte(out), &c) != nil {
		t.Fatalf("draft: %d %s", code, out)
	}
	return fmt.Sprint(c.ID)
}
