package store

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// mustStartRun adds a brief from a template with a recipe and saves its
// new run.
func mustStartRun(t *testing.T, s *Store) core.Run {
	t.Helper()
	ctx := context.Background()
	tmpl := briefTemplate("Spring email")
	tmpl.Brief.Recipe = &core.RunRecipe{Variants: 3, Submit: 2, MinLintScore: 50}
	saved, err := s.AddTemplate(ctx, "ana", tmpl)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.AddBriefFromTemplate(ctx, "ana", "Spring email", core.Brief{Title: "Boots"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := core.NewRun(saved, b)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = s.SaveRun(ctx, "ana", "run.start", r); err != nil {
		t.Fatal(err)
	}
	return r
}

// Ensure that a run's variant and the run recording it are written
// together, and that a run saved from an older version is refused.
func TestStore_AddRunVariant(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	r := mustStartRun(t, s)
	g := core.GeneratedVariant{BriefID: r.BriefID, Copy: core.Copy{Headline: "Boots", Body: "Warm feet.", CTA: "Shop"}}
	next, stored, err := s.AddRunVariant(ctx, "ana", r, g)
	if err != nil {
		t.Fatal(err)
	}
	if stored.ID == 0 || !slices.Equal(next.Variants, []uint64{stored.ID}) || next.Version != r.Version+1 {
		t.Fatalf("run = %+v, variant %d; want the run to list the new variant at the next version", next, stored.ID)
	}
	got, err := s.Run(ctx, r.BriefID)
	if err != nil || !slices.Equal(got.Variants, next.Variants) {
		t.Fatalf("stored run = %+v, %v; want it to list variant %d", got, err, stored.ID)
	}

	// A second run of the brief made from the old version must not add
	// its variant: that is how a variant gets made twice.
	var conflict *core.ConflictError
	if _, _, err := s.AddRunVariant(ctx, "cy", r, g); !errors.As(err, &conflict) {
		t.Fatalf("a variant from a stale run = %v; want a conflict", err)
	}
	all, err := s.GeneratedFor(ctx, r.BriefID)
	if err != nil || len(all) != 1 {
		t.Fatalf("variants = %d, %v; want the refused one not stored", len(all), err)
	}
	history, err := s.AuditOf(ctx, "run/1")
	if err != nil || len(history) != 2 || history[1].Action != "run.variant" {
		t.Fatalf("run audit = %+v, %v; want run.start then run.variant", history, err)
	}
}

// Ensure that runs are exported and pass the import checks.
func TestStore_Runs_Export(t *testing.T) {
	s := mustOpenStore(t)
	mustStartRun(t, s)
	var out bytes.Buffer
	if err := s.Export(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes(), []byte(`"bucket":"runs"`)) {
		t.Fatal("the export has no runs")
	}
	imported := mustOpenStore(t)
	if _, err := imported.Import(context.Background(), &out); err != nil {
		t.Fatalf("import an export with a run: %v", err)
	}
	if r, err := imported.Run(context.Background(), 1); err != nil || r.Template != "Spring email" {
		t.Fatalf("imported run = %+v, %v", r, err)
	}
}

// Ensure that a save that fails hands back the run as it was, so that the
// caller can still save why it stopped from the version it had.
func TestStore_SaveRun_FailureKeepsVersion(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	r := mustStartRun(t, s)
	bad := r
	bad.Reason = strings.Repeat("x", 100000) // past what a run may keep
	got, err := s.SaveRun(ctx, "ana", "run.fail", bad)
	if err == nil {
		t.Fatal("a reason past the limit was saved")
	}
	if got.Version != r.Version {
		t.Fatalf("after a failed save the run is at version %d, want %d", got.Version, r.Version)
	}
	got.Reason = "the model stopped"
	if _, err := s.SaveRun(ctx, "ana", "run.fail", got); err != nil {
		t.Fatalf("saving why it stopped after a failed save: %v", err)
	}
}
