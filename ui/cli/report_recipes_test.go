package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
)

// Ensure that `report recipes` pools the lifts of generated variants from
// decided experiments per recipe attribute: grounded variants, tested in
// three experiments, pool to a claim; the ungrounded one, tested once,
// is listed with no claim; an undecided experiment does not count.
func TestReportRecipes(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "tandem.db"), store.Options{Now: func() time.Time { return testNow }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	be := backend.NewWith(st, backend.Settings{})
	if code, _, errOut := run(t, be, admin, "report", "recipes"); code != 0 || errOut != "" {
		t.Fatalf("empty: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, be, admin, "brief", "add", "--title", "Spring sale"); code != 0 {
		t.Fatalf("brief: %d %s", code, errOut)
	}
	copyOf := func(i int) core.Copy {
		return core.Copy{Headline: fmt.Sprintf("Headline %d", i), Body: "Body", CTA: "Buy"}
	}
	var made []core.GeneratedVariant
	for i := range 5 {
		p := core.Provenance{Model: "tiny", GuidelineVersion: 1}
		if i < 4 {
			p.Sources = []string{"experiment spring"}
		}
		made = append(made, core.GeneratedVariant{BriefID: 1, Copy: copyOf(i), Lint: core.LintResult{Score: 90}, Provenance: p})
	}
	if made, err = st.AddGenerated(ctx, "ana", made); err != nil {
		t.Fatal(err)
	}
	for i, g := range made {
		key := fmt.Sprintf("e%d", i)
		if code, _, errOut := run(t, be, admin, "experiment", "add", key, "--variants", "a", "--generated", fmt.Sprint(g.ID)); code != 0 {
			t.Fatalf("add %s: %d %s", key, code, errOut)
		}
		var events []core.Event
		for u := range 4000 {
			v := "a"
			if u%2 == 1 {
				v = fmt.Sprintf("g%d", g.ID)
			}
			unit := fmt.Sprintf("u%d", u)
			events = append(events, core.Event{TS: testNow, Experiment: key, Variant: v, Unit: unit, Type: core.EventExposure})
			if (v == "a" && u%20 == 0) || (v != "a" && u%14 == 1) { // 10 % against ~14 %
				events = append(events, core.Event{TS: testNow, Experiment: key, Variant: v, Unit: unit, Type: core.EventConversion})
			}
		}
		if _, err := be.Ingest(ctx, admin, events, store.IngestOptions{}); err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			continue // left undecided
		}
		if code, _, errOut := run(t, be, admin, "experiment", "declare", key, fmt.Sprintf("g%d", g.ID), "--override", "test"); code != 0 {
			t.Fatalf("declare %s: %d %s", key, code, errOut)
		}
	}
	code, out, errOut := run(t, be, admin, "report", "recipes")
	if code != 0 {
		t.Fatalf("recipes: %d %s", code, errOut)
	}
	if !strings.Contains(out, "4 variants generated and tested in finished experiments") {
		t.Errorf("recipes does not count the variants:\n%s", out)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[0] == "grounded" {
			rows[f[1]] = strings.Join(f[2:], " ")
		}
	}
	if yes := rows["yes"]; !strings.HasPrefix(yes, "3 +") || !strings.HasSuffix(yes, "▲ lifts") {
		t.Errorf("grounded yes: %q\n%s", yes, out)
	}
	if no := rows["no"]; no != "1 – only 1 tested; no claim below 3" {
		t.Errorf("grounded no: %q\n%s", no, out)
	}
	// The retro's "what worked" cites the ledger's claims.
	if code, out, errOut := runAtTime(t, be, admin, testNow, "retro", "export", testNow.Format("2006-01")); code != 0 || !strings.Contains(out, "▲ recipe ledger: generated copy with grounded = yes") {
		t.Errorf("retro export: %d %s\n%s", code, errOut, out)
	}
	code, out, _ = run(t, be, admin, "report", "recipes", "--json")
	var got struct {
		Observations int              `json:"observations"`
		Rows         []core.RecipeRow `json:"rows"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.Observations != 4 {
		t.Fatalf("--json: %d\n%s", code, out)
	}
}
