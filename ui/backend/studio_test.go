package backend

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models"
	"github.com/tandem-ops/tandem/models/ollamatest"
	"github.com/tandem-ops/tandem/store"
)

var admin = core.Identity{Name: "ana", Role: core.RoleAdmin}

func seeded(t *testing.T) *Backend {
	t.Helper()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
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
	sources, method, err := b.Retrieve(ctx, down, "tiny", br, g)
	if err != nil || method != "bm25" || len(sources) == 0 {
		t.Fatalf("fallback: %v %q %d", err, method, len(sources))
	}

	host := ollamatest.Start(t)
	client, _ := models.New(host, time.Minute)
	sources, method, err = b.Retrieve(ctx, client, ollamatest.Model, br, g)
	if err != nil || method != "embeddings" || len(sources) != retrievalK {
		t.Fatalf("embeddings: %v %q %d", err, method, len(sources))
	}
	docs, _ := b.documents(ctx, g)
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
