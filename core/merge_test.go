package core

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMerge3_Brief(t *testing.T) {
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	base := Brief{ID: 18, Title: "Win-back offer", Owner: "ana", Stage: StagePlanned, EstimateHours: 6, Tags: []string{"q4"}}
	tests := []struct {
		name         string
		theirs, mine func(*Brief)
		want         func(*Brief) // the merged brief from base
		took         []string
		conflicts    []string
	}{
		{name: "only mine changed",
			theirs: func(*Brief) {}, mine: func(b *Brief) { b.Title = "Mine" },
			want: func(b *Brief) { b.Title = "Mine" }},
		{name: "disjoint fields merge",
			theirs: func(b *Brief) { b.Title = "Title by A" }, mine: func(b *Brief) { b.EstimateHours = 8 },
			want: func(b *Brief) { b.Title, b.EstimateHours = "Title by A", 8 }, took: []string{"title"}},
		{name: "a move made meanwhile is kept",
			theirs: func(b *Brief) { b.Stage = StageReview }, mine: func(b *Brief) { b.Due = day },
			want: func(b *Brief) { b.Stage, b.Due = StageReview, day }, took: []string{"stage"}},
		{name: "same change on both sides",
			theirs: func(b *Brief) { b.Owner = "bo" }, mine: func(b *Brief) { b.Owner = "bo" },
			want: func(b *Brief) { b.Owner = "bo" }},
		{name: "overlapping fields conflict",
			theirs: func(b *Brief) { b.Title, b.Tags = "A", []string{"q1"} }, mine: func(b *Brief) { b.Title, b.Owner = "B", "cy" },
			want: func(b *Brief) { b.Title, b.Tags, b.Owner = "B", []string{"q1"}, "cy" }, took: []string{"tags"}, conflicts: []string{"title"}},
		{name: "clearing a field is a change",
			theirs: func(b *Brief) { b.EstimateHours = 0 }, mine: func(b *Brief) { b.EstimateHours = 9 },
			want: func(b *Brief) { b.EstimateHours = 9 }, conflicts: []string{"estimate_hours"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			theirs, mine, want := base, base, base
			tt.theirs(&theirs)
			tt.mine(&mine)
			tt.want(&want)
			got, took, conflicts := Merge3(BriefFields(), base, theirs, mine)
			if diff := Changed(BriefFields(), want, got); len(diff) > 0 {
				t.Errorf("merged differs from want in %v: %+v", diff, got)
			}
			if !slices.Equal(took, tt.took) {
				t.Errorf("took %v, want %v", took, tt.took)
			}
			var names []string
			for _, c := range conflicts {
				names = append(names, c.Field)
				if c.Theirs == c.Mine || c.Base == c.Theirs || c.Base == c.Mine {
					t.Errorf("conflict %+v does not show three different values", c)
				}
			}
			if !slices.Equal(names, tt.conflicts) {
				t.Errorf("conflicts %v, want %v", names, tt.conflicts)
			}
		})
	}
}

// Ensure that no merge reverts a field: every field of the result is
// mine where I changed it, else theirs.
func TestMerge3_NeverReverts(t *testing.T) {
	fields := BriefFields()
	base := Brief{Title: "t0", Owner: "o0", Channel: "c0", Stage: StageIntake}
	edits := []func(*Brief, string){
		func(b *Brief, v string) { b.Title = "t" + v },
		func(b *Brief, v string) { b.Owner = "o" + v },
		func(b *Brief, v string) { b.Channel = "c" + v },
	}
	for mask := range 1 << (2 * len(edits)) {
		theirs, mine := base, base
		for i, e := range edits {
			if mask&(1<<i) != 0 {
				e(&theirs, "A")
			}
			if mask&(1<<(i+len(edits))) != 0 {
				e(&mine, "B")
			}
		}
		got, _, conflicts := Merge3(fields, base, theirs, mine)
		if len(conflicts) > 0 {
			continue
		}
		for _, f := range fields {
			b, th, m, g := f.Text(base), f.Text(theirs), f.Text(mine), f.Text(got)
			if (th != b && g != th) || (m != b && g != m) {
				t.Fatalf("mask %b: %s is %q; base %q theirs %q mine %q", mask, f.Name, g, b, th, m)
			}
		}
	}
}

func TestMerged_String(t *testing.T) {
	if s := (Merged{}).String(); s != "" {
		t.Errorf("empty Merged = %q", s)
	}
	m := Merged{Fields: []string{"title"}, By: []string{"bo"}}
	if s := m.String(); s != "merged with bo's change to title" {
		t.Errorf("String = %q", s)
	}
	m = Merged{Fields: []string{"title", "due"}, By: []string{"bo", "cy"}}
	if s := m.String(); s != "merged with bo and cy's changes to title, due" {
		t.Errorf("String = %q", s)
	}
}

func TestConflictError(t *testing.T) {
	var err error = &ConflictError{Record: "brief 18", From: 3, Current: 4, By: []string{"ana"},
		Fields: []FieldConflict{{Field: "title", Base: "Win-back offer", Theirs: "Title by A", Mine: "Title by B"}}}
	var ce *ConflictError
	if !errors.As(err, &ce) || !slices.Equal(ce.FieldNames(), []string{"title"}) {
		t.Fatalf("FieldNames = %v", ce.FieldNames())
	}
	msg := err.Error()
	for _, want := range []string{"brief 18", "version 3", "now 4, by ana", `"Title by A" there`, `"Title by B" here`, "nothing was saved"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("message is more than one line: %q", msg)
	}
}

// Ensure that a conflict with no field both changed, or one someone set
// to the value the editor wanted, reads as one plain sentence: a template
// conflict read "(now 2, by ana): ; nothing was saved", and a stale move
// to the stage it was in read `stage is "planned" there, "planned" here`.
func TestConflictError_WhatChanged(t *testing.T) {
	tests := []struct {
		name string
		err  *ConflictError
		want string
	}{
		{"no fields", &ConflictError{Record: "template brief/Spring", From: 1, Current: 2, By: []string{"ana"}, Hint: "show it again"},
			"conflict: template brief/Spring changed since version 1 (now 2, by ana); nothing was saved: show it again"},
		{"detail", &ConflictError{Record: "brief 3", From: 1, Current: 2, By: []string{"bo"}, Detail: `its stage is "planned", as you saw it, but the brief was edited`, Hint: "look again"},
			`conflict: brief 3 changed since version 1 (now 2, by bo): its stage is "planned", as you saw it, but the brief was edited; nothing was saved: look again`},
		{"theirs is mine", &ConflictError{Record: "brief 3", From: 1, Current: 3, By: []string{"bo"}, Fields: []FieldConflict{{Field: "stage", Theirs: "review", Mine: "review"}}, Hint: "look again"},
			`conflict: brief 3 changed since version 1 (now 3, by bo): stage is "review" already; nothing was saved: look again`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestAuditEntry_VersionInHash(t *testing.T) {
	e := AuditEntry{Seq: 1, Actor: "ana", Action: "brief.edit", Subject: "brief/1", Version: 2}
	e.Seal("")
	if err := VerifyChain([]AuditEntry{e}); err != nil {
		t.Fatal(err)
	}
	e.Version = 3
	if err := VerifyChain([]AuditEntry{e}); err == nil {
		t.Fatal("an edited version went unnoticed")
	}
}
