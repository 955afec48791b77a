package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// Ensure that experiment show --effects reports the two-way interactions
// of a full factorial, and with --by breaks the effects down by audience:
// an interaction only small businesses show (headline 2 with CTA 2, +5
// points) is called in their slice and not in the enterprise one.
func TestFactorial_InteractionsBySegment(t *testing.T) {
	be := mustOpenBackend(t)
	h, b, c := addComponents(t, be, "headline", 3), addComponents(t, be, "body", 2), addComponents(t, be, "cta", 2)
	code, _, errOut := run(t, be, admin, "experiment", "add", "combo",
		"--factorial", "headline="+strings.Join(h, ","), "--factorial", "body="+strings.Join(b, ","), "--factorial", "cta="+strings.Join(c, ","))
	if code != 0 {
		t.Fatalf("factorial add: %d %s", code, errOut)
	}
	e, err := be.Experiment(context.Background(), "combo")
	if err != nil {
		t.Fatal(err)
	}
	var events []core.Event
	for _, v := range e.Variants {
		for _, audience := range []string{"smb", "enterprise"} {
			r := 0.10
			if v.Components["headline"] == h[1] {
				r += 0.02
			}
			if audience == "smb" && v.Components["headline"] == h[1] && v.Components["cta"] == c[1] {
				r += 0.05
			}
			for u := range 10000 {
				unit := fmt.Sprintf("%s-%s-%d", audience, v.Key, u)
				attrs := map[string]string{"audience": audience}
				events = append(events, core.Event{TS: testNow, Experiment: "combo", Variant: v.Key, Unit: unit, Type: core.EventExposure, Attrs: attrs})
				if float64(u) < r*10000 {
					events = append(events, core.Event{TS: testNow, Experiment: "combo", Variant: v.Key, Unit: unit, Type: core.EventConversion, Attrs: attrs})
				}
			}
		}
	}
	if _, err := be.Ingest(context.Background(), admin, events, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, be, admin, "experiment", "show", "combo", "--effects", "--by", "audience", "--json")
	var a core.Analysis
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil || a.Effects == nil || a.EffectsBy == nil {
		t.Fatalf("show --effects --by: %d %s\n%s", code, errOut, out)
	}
	called := func(eff core.Effects) []string {
		var out []string
		for _, in := range eff.Interactions {
			if in.Significant {
				out = append(out, in.Components[0]+"×"+in.Components[1])
			}
		}
		return out
	}
	if n := len(a.Effects.Interactions); n != 2+2+1 || len(a.Effects.Confounded) != 0 {
		t.Errorf("a full 3×2×2 estimates %d interactions and confounds %v; want 5 and none", n, a.Effects.Confounded)
	}
	want := map[string]string{"smb": h[1] + "×" + c[1], "enterprise": ""}
	if len(a.EffectsBy.Levels) != 2 || a.EffectsBy.Attr != "audience" || a.EffectsBy.Note != core.SegmentNote {
		t.Fatalf("effects by audience: %+v", a.EffectsBy)
	}
	for _, l := range a.EffectsBy.Levels {
		if got := strings.Join(called(l.Effects), ","); got != want[l.Value] || l.Units != 120000 {
			t.Errorf("%s (%d units): interactions called %q, want %q", l.Value, l.Units, got, want[l.Value])
		}
		if !strings.Contains(l.Effects.Model, "fixed horizon") {
			t.Errorf("%s: the slice's model %q has no fixed-horizon label", l.Value, l.Effects.Model)
		}
	}
	if code, out, _ := run(t, be, admin, "component", "show", h[1]); code != 0 || !strings.Contains(out, "in combo") || !strings.Contains(out, "▲ better") {
		t.Errorf("component show lacks its measured effect: %d\n%s", code, out)
	}
	code, out, _ = run(t, be, admin, "experiment", "show", "combo", "--effects", "--by", "audience")
	for _, s := range []string{"INTERACTION", "▲ better together", "Component effects by audience", "audience = smb, ", "audience = enterprise, ", "fixed horizon"} {
		if code != 0 || !strings.Contains(out, s) {
			t.Errorf("show --effects --by lacks %q: %d\n%s", s, code, out)
		}
	}
}
