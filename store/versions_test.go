package store

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that every write to a brief counts its version, and that the
// audit entry records it.
func TestStore_Brief_Version(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	b, err := s.AddBrief(ctx, "ana", core.Brief{Title: "Win-back offer"})
	if err != nil || b.Version != 1 {
		t.Fatalf("AddBrief = v%d, %v; want version 1", b.Version, err)
	}
	b.Title = "Win-back offer, v2"
	if b, _, err = s.UpdateBrief(ctx, "ana", b); err != nil || b.Version != 2 {
		t.Fatalf("UpdateBrief = v%d, %v; want version 2", b.Version, err)
	}
	if b, err = s.MoveBrief(ctx, "bo", b.ID, core.StagePlanned); err != nil || b.Version != 3 {
		t.Fatalf("MoveBrief = v%d, %v; want version 3", b.Version, err)
	}
	if got, _ := s.Brief(ctx, b.ID); got.Version != 3 {
		t.Fatalf("stored version %d, want 3", got.Version)
	}
	entries, _ := s.AuditOf(ctx, "brief/1")
	var versions []uint64
	for _, e := range entries {
		versions = append(versions, e.Version)
	}
	if !slices.Equal(versions, []uint64{1, 2, 3}) {
		t.Fatalf("audit versions %v, want [1 2 3]", versions)
	}
	v2, err := s.BriefVersion(ctx, b.ID, 2)
	if err != nil || v2.Title != "Win-back offer, v2" || v2.Stage != core.StageIntake {
		t.Fatalf("BriefVersion(2) = %+v, %v", v2, err)
	}
}

// Ensure that a stale edit of other fields merges, says so, and reverts
// nothing: the lost update of issue 18.
func TestStore_UpdateBrief_MergesDisjoint(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	opened, _ := s.AddBrief(ctx, "ana", core.Brief{Title: "Win-back offer", EstimateHours: 4})

	a := opened
	a.Title = "Title by A"
	if _, _, err := s.UpdateBrief(ctx, "ana", a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveBrief(ctx, "cy", opened.ID, core.StagePlanned); err != nil {
		t.Fatal(err)
	}
	b := opened // opened before A saved and cy moved it
	b.EstimateHours = 12
	saved, merged, err := s.UpdateBrief(ctx, "bo", b)
	if err != nil {
		t.Fatalf("stale disjoint edit: %v", err)
	}
	if saved.Title != "Title by A" || saved.EstimateHours != 12 || saved.Stage != core.StagePlanned || saved.Version != 4 {
		t.Fatalf("saved %+v; want A's title, bo's estimate, cy's move at version 4", saved)
	}
	if !slices.Equal(merged.Fields, []string{"title", "stage"}) || !slices.Equal(merged.By, []string{"ana", "cy"}) || merged.From != 1 {
		t.Fatalf("merged = %+v", merged)
	}
	if got := merged.String(); got != "merged with ana and cy's changes to title, stage" {
		t.Fatalf("merged says %q", got)
	}
	entries, _ := s.AuditOf(ctx, "brief/1")
	if last := entries[len(entries)-1]; last.Version != 4 || last.From != 1 {
		t.Fatalf("audit entry of the merged edit = %+v; want version 4 from 1", last)
	}
}

// Ensure that a stale edit of a field someone else changed is refused
// with both values and saves nothing.
func TestStore_UpdateBrief_ConflictRefused(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	opened, _ := s.AddBrief(ctx, "ana", core.Brief{Title: "Win-back offer"})
	a := opened
	a.Title = "Title by A"
	if _, _, err := s.UpdateBrief(ctx, "ana", a); err != nil {
		t.Fatal(err)
	}
	b := opened
	b.Title, b.EstimateHours = "Title by B", 3
	_, _, err := s.UpdateBrief(ctx, "bo", b)
	var conflict *core.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("overlapping stale edit: %v; want a *core.ConflictError", err)
	}
	want := []core.FieldConflict{{Field: "title", Base: "Win-back offer", Theirs: "Title by A", Mine: "Title by B"}}
	if !slices.Equal(conflict.Fields, want) || conflict.From != 1 || conflict.Current != 2 || !slices.Equal(conflict.By, []string{"ana"}) {
		t.Fatalf("conflict = %+v", conflict)
	}
	if got, _ := s.Brief(ctx, opened.ID); got.Title != "Title by A" || got.EstimateHours != 0 || got.Version != 2 {
		t.Fatalf("after the refused edit the brief is %+v", got)
	}
	// Saving again from the current version keeps mine: the way to
	// resolve a conflict.
	b.Version = conflict.Current
	if got, _, err := s.UpdateBrief(ctx, "bo", b); err != nil || got.Title != "Title by B" {
		t.Fatalf("edit from the current version = %+v, %v", got, err)
	}
}

// Ensure that an edit from a version no longer kept conflicts on every
// field it sets apart from the stored one, and that an edit from a
// version that never was is refused.
func TestStore_UpdateBrief_BaseGone(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	b, _ := s.AddBrief(ctx, "ana", core.Brief{Title: "t"})
	for i := range keptRevisions + 1 {
		if _, err := s.MoveBrief(ctx, "ana", b.ID, core.Stage(i%2)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.BriefVersion(ctx, b.ID, 1); !errors.Is(err, ErrRevisionGone) {
		t.Fatalf("version 1 after %d writes: %v", keptRevisions+1, err)
	}
	stale := b
	stale.Owner = "bo"
	_, _, err := s.UpdateBrief(ctx, "bo", stale)
	var conflict *core.ConflictError
	if !errors.As(err, &conflict) || !slices.Contains(conflict.FieldNames(), "owner") {
		t.Fatalf("edit from a pruned version: %v", err)
	}
	future := b
	future.Version = 999
	if _, _, err := s.UpdateBrief(ctx, "bo", future); err == nil || errors.As(err, &conflict) {
		t.Fatalf("edit from a version that never was: %v", err)
	}
}

// Ensure that saving a brief unchanged writes nothing.
func TestStore_UpdateBrief_Unchanged(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	b, _ := s.AddBrief(ctx, "ana", core.Brief{Title: "t", Tags: []string{"q4"}})
	got, _, err := s.UpdateBrief(ctx, "ana", b)
	if err != nil || got.Version != 1 {
		t.Fatalf("unchanged save = v%d, %v; want version 1", got.Version, err)
	}
	if entries, _ := s.AuditOf(ctx, "brief/1"); len(entries) != 1 {
		t.Fatalf("unchanged save wrote %d audit entries", len(entries)-1)
	}
}

// Ensure that people carry versions and merge like briefs.
func TestStore_UpdatePerson_Merge(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	p, err := s.AddPerson(ctx, "ana", core.Person{Name: "Bo", Lane: core.LaneFreelance, WeeklyHours: 20})
	if err != nil || p.Version != 1 {
		t.Fatalf("AddPerson = %+v, %v", p, err)
	}
	a := p
	a.WeeklyHours = 30
	if _, _, err := s.UpdatePerson(ctx, "ana", a); err != nil {
		t.Fatal(err)
	}
	b := p
	b.Skills = []string{"copy"}
	got, merged, err := s.UpdatePerson(ctx, "bo", b)
	if err != nil || got.WeeklyHours != 30 || len(got.Skills) != 1 || got.Version != 3 || !slices.Equal(merged.Fields, []string{"weekly_hours"}) {
		t.Fatalf("stale disjoint person edit = %+v, %+v, %v", got, merged, err)
	}
	c := p
	c.WeeklyHours = 10
	var conflict *core.ConflictError
	if _, _, err := s.UpdatePerson(ctx, "cy", c); !errors.As(err, &conflict) {
		t.Fatalf("overlapping person edit: %v", err)
	}
}

// Ensure that a guideline saved from an older version merges with the
// saves since, refuses a field both changed, and without a version
// replaces what is stored as before.
func TestStore_SaveGuideline_Versions(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	v1, _, err := s.SaveGuideline(ctx, "ana", core.BrandGuideline{Voice: "warm", Banned: []string{"synergy"}})
	if err != nil || v1.Version != 1 {
		t.Fatalf("first save = %+v, %v", v1, err)
	}
	a := v1
	a.Voice = "warm, plain"
	if _, _, err := s.SaveGuideline(ctx, "ana", a); err != nil {
		t.Fatal(err)
	}
	b := v1
	b.Banned = []string{"synergy", "leverage"}
	got, merged, err := s.SaveGuideline(ctx, "bo", b)
	if err != nil || got.Voice != "warm, plain" || len(got.Banned) != 2 || got.Version != 3 || !slices.Equal(merged.Fields, []string{"voice"}) {
		t.Fatalf("stale disjoint save = %+v, %+v, %v", got, merged, err)
	}
	c := v1
	c.Voice = "bold"
	var conflict *core.ConflictError
	if _, _, err := s.SaveGuideline(ctx, "cy", c); !errors.As(err, &conflict) || conflict.Fields[0].Field != "voice" {
		t.Fatalf("overlapping save: %v", err)
	}
	if g, _ := s.Guideline(ctx); g.Version != 3 || g.Voice != "warm, plain" {
		t.Fatalf("a refused save changed the guidelines: %+v", g)
	}
	c.Version = 0
	if g, _, err := s.SaveGuideline(ctx, "cy", c); err != nil || g.Voice != "bold" || g.Version != 4 {
		t.Fatalf("a save without a version = %+v, %v", g, err)
	}
}
