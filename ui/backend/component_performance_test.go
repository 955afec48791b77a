package backend

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models"
	"github.com/tandem-ops/tandem/store"
)

// testedFactorial adds approved headlines and CTAs (their text starting
// with words), a 2×2 factorial test of them on channel and audience, and
// units at rate 10 %, plus lift when an arm holds the second headline; it
// returns the headlines' IDs.
func testedFactorial(t *testing.T, b *Backend, key, words, channel, audience string, lift float64) []string {
	t.Helper()
	ctx := context.Background()
	var slots []core.Factor
	for _, slot := range []string{"headline", "cta"} {
		f := core.Factor{Slot: slot}
		for i := range 2 {
			c, err := b.AddComponent(ctx, admin, core.Component{Slot: slot, Text: fmt.Sprintf("%s: %s %d", words, slot, i+1)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.ApproveComponent(ctx, admin, c.ID); err != nil {
				t.Fatal(err)
			}
			f.Levels = append(f.Levels, fmt.Sprint(c.ID))
		}
		slots = append(slots, f)
	}
	f, err := b.BuildFactorial(ctx, core.Experiment{Key: key, Name: key, Channel: channel, Audience: audience, Started: testNow.AddDate(0, 0, -14)}, slots, 4)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddExperiment(ctx, admin, f.Experiment); err != nil {
		t.Fatal(err)
	}
	var evs []core.Event
	for _, v := range f.Experiment.Variants {
		r := 0.10
		if v.Components["headline"] == slots[0].Levels[1] {
			r += lift
		}
		for u := range 5000 {
			unit := fmt.Sprintf("%s-%s-%d", key, v.Key, u)
			ts := testNow.Add(-time.Duration(u) * time.Minute)
			evs = append(evs, core.Event{TS: ts, Experiment: key, Variant: v.Key, Unit: unit, Type: core.EventExposure})
			if float64(u) < r*5000 {
				evs = append(evs, core.Event{TS: ts.Add(time.Second), Experiment: key, Variant: v.Key, Unit: unit, Type: core.EventConversion})
			}
		}
	}
	if _, err := b.Ingest(ctx, admin, evs, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	return slots[0].Levels
}

// Ensure that a component's measured effect becomes its performance
// context: the studio's retrieval puts first the component that won on
// the brief's own channel and audience, ahead of a larger win elsewhere
// whose words match the brief better (so BM25 alone ranks it first), and
// leaves out a component whose lead is not significant.
func TestRetrieve_PrefersWinningComponents(t *testing.T) {
	b := seeded(t)
	ctx := context.Background()
	br, _ := b.Brief(ctx, 1)
	g, _ := b.Guideline(ctx)
	same := testedFactorial(t, b, "same-context", "Come back", br.Channel, br.Audience, 0.03)
	elsewhere := testedFactorial(t, b, "elsewhere", strings.Repeat(br.Title+" "+br.Objective+" ", 3), "email", "enterprise it", 0.08)
	faint := testedFactorial(t, b, "faint", "Welcome back", br.Channel, br.Audience, 0.002)

	perf, err := b.ComponentPerformance(ctx, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if p := perf[parseID(t, same[1])]; len(p) != 1 || !p[0].Won() || p[0].Channel != br.Channel || p[0].Effect.CI.Low <= 0 {
		t.Fatalf("the winning headline's performance: %+v", p)
	}
	if p := perf[parseID(t, faint[1])]; len(p) != 1 || p[0].Won() {
		t.Fatalf("a faint lead counts as a win: %+v", p)
	}

	down, _ := models.New("127.0.0.1:1", time.Second)
	sources, method, err := b.Retrieve(ctx, down, "tiny", br, g, testNow)
	if err != nil || method != "bm25" || len(sources) != retrievalK {
		t.Fatalf("retrieve: %v %q %d", err, method, len(sources))
	}
	var ids []string
	for _, s := range sources {
		ids = append(ids, s.ID)
	}
	if ids[0] != "component/"+same[1] {
		t.Fatalf("retrieval ranks %v; want the component that won on %s for %s first", ids, br.Channel, br.Audience)
	}
	for _, id := range ids[1:] {
		if id == "component/"+faint[1] {
			t.Errorf("a component that did not win grounds the prompt: %v", ids)
		}
	}
	if !strings.Contains(sources[0].Text, "won test same-context") || !strings.Contains(sources[0].Text, "fixed horizon") {
		t.Errorf("the winner reads %q", sources[0].Text)
	}
	if !slices.Contains(ids, "component/"+elsewhere[1]) {
		t.Errorf("retrieval ranks %v; the words of the brief should still rank component %s", ids, elsewhere[1])
	}
}

func parseID(t *testing.T, s string) uint64 {
	t.Helper()
	var id uint64
	if _, err := fmt.Sscan(s, &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// Ensure that PreferWinners puts same-context winners first by effect,
// within half of k, and fills the rest from the ranking without repeats.
func TestPreferWinners(t *testing.T) {
	docs := []core.Document{
		{ID: "voice"},
		{ID: "small", Won: true, Channel: "Email", Audience: "smb", Effect: 0.01},
		{ID: "big", Won: true, Channel: "email", Audience: "smb", Effect: 0.05},
		{ID: "other", Won: true, Channel: "sms", Audience: "smb", Effect: 0.09},
		{ID: "third", Won: true, Channel: "email", Audience: "smb", Effect: 0.001},
		{ID: "banned"},
	}
	got := core.PreferWinners([]int{0, 3, 1, 5}, docs, "email", "smb", 4)
	var ids []string
	for _, i := range got {
		ids = append(ids, docs[i].ID)
	}
	if want := "big small voice other"; strings.Join(ids, " ") != want {
		t.Errorf("PreferWinners = %v, want %s", ids, want)
	}
	if got := core.PreferWinners([]int{0, 5}, docs, "", "", 4); len(got) != 2 {
		t.Errorf("a brief with no channel prefers %v", got)
	}
}
