package backend

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models"
	"github.com/tandem-ops/tandem/models/ollamatest"
	"github.com/tandem-ops/tandem/store"
)

var admin = core.Identity{Name: "ana", Role: core.RoleAdmin}

// testNow is when the seeded workspace is read.
var testNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func seeded(t *testing.T) *Backend {
	t.Helper()
	now := testNow
	st, err := store.Open(filepath.Join(t.TempDir(), "b.db"), store.Options{Now: func() time.Time { return now }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b := New(st)
	if _, err := b.SeedDemo(context.Background(), admin, now); err != nil {
		t.Fatal(err)
	}
	return b
}

// Ensure that retrieval ranks by embeddings from a real server, caches
// them, and falls back to BM25 when no embedding model answers.
func TestRetrieve(t *testing.T) {
	b := seeded(t)
	ctx := context.Background()
	br, _ := b.Brief(ctx, 1)
	g, _ := b.Guideline(ctx)

	down, _ := models.New("127.0.0.1:1", time.Second)
	sources, method, err := b.Retrieve(ctx, down, "tiny", br, g, testNow)
	if err != nil || method != "bm25" || len(sources) == 0 {
		t.Fatalf("fallback: %v %q %d", err, method, len(sources))
	}

	host := ollamatest.Start(t)
	client, _ := models.New(host, time.Minute)
	sources, method, err = b.Retrieve(ctx, client, ollamatest.Model, br, g, testNow)
	if err != nil || method != "embeddings" || len(sources) != retrievalK {
		t.Fatalf("embeddings: %v %q %d", err, method, len(sources))
	}
	docs, _ := b.documents(ctx, g, testNow)
	texts := make([]string, len(docs))
	for i, d := range docs {
		texts[i] = d.Text
	}
	cached, _ := b.store.Embeddings(ctx, ollamatest.Model, texts)
	for i, v := range cached {
		if v == nil {
			t.Fatalf("document %s was not cached", docs[i].ID)
		}
	}
}

// Ensure that the studio grounds prompts in past results only as far as
// they hold: an SRM experiment is left out, and every past result
// says "declared winner", "significant" or "leading, not yet significant",
// never a bare "won".
func TestDocuments_Evidence(t *testing.T) {
	b := seeded(t)
	ctx := context.Background()
	// An email experiment with copy whose traffic splits 1,200 to 1,000
	// on equal weights (SRM p ≈ 2e-5) while its challenger leads by far.
	srm := core.Experiment{Key: "srm-copy", Name: "Mismatched", Channel: "email", Audience: "smb owners", Started: testNow.AddDate(0, 0, -10),
		Variants: []core.Variant{{Key: "a", Weight: 1, Control: true, Copy: "Plain"}, {Key: "b", Weight: 1, Copy: "Mismatched copy"}}}
	if _, err := b.AddExperiment(ctx, admin, srm); err != nil {
		t.Fatal(err)
	}
	var evs []core.Event
	for i := range 2200 {
		v, conv := "a", i%10 == 0
		if i >= 1000 {
			v, conv = "b", i%4 == 0
		}
		u := fmt.Sprint("u", i)
		ts := testNow.Add(-time.Duration(i) * time.Minute)
		evs = append(evs, core.Event{TS: ts, Experiment: srm.Key, Variant: v, Unit: u, Type: core.EventExposure})
		if conv {
			evs = append(evs, core.Event{TS: ts.Add(time.Second), Experiment: srm.Key, Variant: v, Unit: u, Type: core.EventConversion})
		}
	}
	if _, err := b.Ingest(ctx, admin, evs, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	g, _ := b.Guideline(ctx)
	docs, err := b.documents(ctx, g, testNow)
	if err != nil {
		t.Fatal(err)
	}
	past := 0
	for _, d := range docs {
		if !strings.HasPrefix(d.ID, "experiment/") {
			continue
		}
		past++
		t.Logf("%s: %s", d.ID, d.Text)
		if strings.HasPrefix(d.ID, "experiment/srm-copy/") {
			t.Errorf("an SRM experiment grounds the prompt: %s", d.Text)
		}
		if strings.Contains(d.Text, " won ") || !(strings.Contains(d.Text, "declared winner") || strings.Contains(d.Text, "significant")) {
			t.Errorf("%s does not say how far it holds: %q", d.ID, d.Text)
		}
	}
	if past == 0 {
		t.Fatal("no past result grounds the prompt")
	}
}

// Ensure that a provisional lead reads as one.
func TestPastResult(t *testing.T) {
	got := pastResult(core.Result{Copy: "Save hours", Lift: 0.1, Evidence: core.EvidenceProvisional, Channel: "email", Audience: "smb"})
	if want := `"Save hours" (leading, not yet significant): ~+10% vs control on email for smb`; got != want {
		t.Errorf("pastResult = %q, want %q", got, want)
	}
	got = pastResult(core.Result{Copy: "Save hours", Lift: 0.1, Evidence: core.EvidenceDeclared, Channel: "email", Audience: "smb"})
	if want := `"Save hours" (declared winner): +10% vs control on email for smb`; got != want {
		t.Errorf("pastResult = %q, want %q", got, want)
	}
}
