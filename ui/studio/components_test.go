package studio

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
)

// withTestedComponents adds three headlines, three bodies and two CTAs
// (the last body a draft, one CTA long), tests the approved ones in a
// 3×2×2 factorial where the second headline converts 3 points better, and
// ingests its units.
func withTestedComponents(t *testing.T, be *backend.Backend) {
	t.Helper()
	ctx := context.Background()
	who := core.Identity{Name: "ana", Role: core.RoleAdmin}
	texts := map[string][]string{
		"headline": {"Plan your week in ten minutes", "Come back to one calm board", "Launch faster"},
		"body":     {"Briefs, reviews and results in one place. Terms apply.", "Every review in one queue. Terms apply.", "Draft body, not yet approved"},
		"cta":      {"Start now", "See how teams like yours ship every campaign on time and on budget"},
	}
	var factors []core.Factor
	for _, slot := range []string{"headline", "body", "cta"} {
		f := core.Factor{Slot: slot}
		for i, text := range texts[slot] {
			c, err := be.AddComponent(ctx, who, core.Component{Slot: slot, Text: text})
			if err != nil {
				t.Fatal(err)
			}
			if slot == "body" && i == 2 {
				continue
			}
			if _, err := be.ApproveComponent(ctx, who, c.ID); err != nil {
				t.Fatal(err)
			}
			f.Levels = append(f.Levels, fmt.Sprint(c.ID))
		}
		factors = append(factors, f)
	}
	fac, err := be.BuildFactorial(ctx, core.Experiment{Key: "combo", Name: "combo", Channel: "email", Audience: "smb owners", Started: testNow.AddDate(0, 0, -14)}, factors, 12)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := be.AddExperiment(ctx, who, fac.Experiment); err != nil {
		t.Fatal(err)
	}
	var evs []core.Event
	for _, v := range fac.Experiment.Variants {
		r := 0.10
		if v.Components["headline"] == factors[0].Levels[1] {
			r += 0.03
		}
		for u := range 4000 {
			unit := fmt.Sprintf("%s-%d", v.Key, u)
			ts := testNow.Add(-time.Duration(u) * time.Minute)
			evs = append(evs, core.Event{TS: ts, Experiment: "combo", Variant: v.Key, Unit: unit, Type: core.EventExposure})
			if float64(u) < r*4000 {
				evs = append(evs, core.Event{TS: ts.Add(time.Second), Experiment: "combo", Variant: v.Key, Unit: unit, Type: core.EventConversion})
			}
		}
	}
	if _, err := be.Ingest(ctx, who, evs, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
}

func press(m *Model, keys string) {
	for _, r := range keys {
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		drive(m, cmd)
	}
}

// Ensure that c shows the Components section by slot, each component
// with its lint score, state (in words) and its effect with an interval
// once tested, and that it reads at 80x24 and 120x40.
func TestStudio_ComponentsGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m, be := newModel(t, "127.0.0.1:1")
			withTestedComponents(t, be)
			m.SetSize(size[0], size[1])
			press(m, "c")
			view := m.View()
			for _, want := range []string{"HEADLINE", "BODY", "CTA", "approved", "draft", "reference in combo", "▲+3.0 pts [", "not tested"} {
				if !strings.Contains(view, want) {
					t.Errorf("the section lacks %q:\n%s", want, view)
				}
			}
			golden.RequireEqual(t, []byte(view))
		})
	}
}

// Ensure that the section's cursor moves through the components and
// stays on screen, its help names its keys, and c goes back to briefs.
func TestStudio_ComponentsKeys(t *testing.T) {
	m, be := newModel(t, "127.0.0.1:1")
	withTestedComponents(t, be)
	m.SetSize(80, 10)
	press(m, "c")
	if !m.comps.shown || len(m.comps.list) != 8 {
		t.Fatalf("shown %v with %d components", m.comps.shown, len(m.comps.list))
	}
	help := ""
	for _, b := range m.ShortHelp() {
		help += b.Help().Desc + " "
	}
	if !strings.Contains(help, "components") || !strings.Contains(help, "component ") || strings.Contains(help, "brief") {
		t.Errorf("help %q", help)
	}
	for range 10 {
		m.Update(tea.KeyMsg{Type: tea.KeyDown})
	}
	if m.comps.cursor != 7 || !strings.Contains(m.View(), "▌#8") {
		t.Errorf("cursor %d; the last component is not on screen:\n%s", m.comps.cursor, m.View())
	}
	press(m, "c")
	if m.comps.shown || !strings.Contains(m.View(), "Generation studio") {
		t.Errorf("c does not go back to the briefs:\n%s", m.View())
	}
}
