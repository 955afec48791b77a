package board

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tandem-ops/tandem/core"
)

// openEdit focuses the brief with id and opens the edit form on it.
func (h *harness) openEdit(id uint64) *briefForm {
	h.t.Helper()
	h.board.Update(FocusMsg{ID: id})
	h.press("e")
	if h.board.form == nil || h.board.form.base.ID != id {
		h.t.Fatalf("the form is not open on #%d", id)
	}
	return h.board.form
}

// save saves the open form as completing it would, waiting for the save
// however long it takes.
func (h *harness) save() {
	h.t.Helper()
	f := h.board.form
	msg := saveCmd(context.Background(), h.be, h.board.common.Identity, f.brief())()
	_, cmd := h.board.Update(msg)
	h.run(cmd)
	h.reload()
}

// Ensure that a form opened before someone else saved the brief merges
// their change to another field, and says so: the lost update of issue 18.
func TestForm_StaleSaveMerges(t *testing.T) {
	h := newHarness(t, false, admin)
	addBriefs(t, h.st, core.StagePlanned, "Win-back offer")
	h.reload()
	f := h.openEdit(1)
	stored, _ := h.st.Brief(context.Background(), 1)
	stored.Title = "Title by A"
	if _, _, err := h.st.UpdateBrief(context.Background(), "bo", stored); err != nil {
		t.Fatal(err)
	}
	if _, err := h.st.MoveBrief(context.Background(), "bo", 1, core.StageInProduction); err != nil {
		t.Fatal(err)
	}
	f.v.estimate = "12"
	h.save()
	b, _ := h.st.Brief(context.Background(), 1)
	if b.Title != "Title by A" || b.EstimateHours != 12 || b.Stage != core.StageInProduction {
		t.Fatalf("after the stale save: %+v", b)
	}
	if h.board.form != nil || !strings.Contains(h.board.notice, "merged with bo's changes to title, stage") {
		t.Fatalf("form open %v, notice %q", h.board.form != nil, h.board.notice)
	}
}

// Ensure that a conflicting save keeps the form open, asks keep mine or
// take theirs per field, and saves the choice from the current version.
func TestForm_ConflictAsksPerField(t *testing.T) {
	for _, choice := range []string{keepMine, takeTheirs} {
		t.Run(choice, func(t *testing.T) {
			h := newHarness(t, false, admin)
			addBriefs(t, h.st, core.StagePlanned, "Win-back offer")
			h.reload()
			f := h.openEdit(1)
			stored, _ := h.st.Brief(context.Background(), 1)
			stored.Title, stored.Campaign = "Title by A", "spring"
			if _, _, err := h.st.UpdateBrief(context.Background(), "bo", stored); err != nil {
				t.Fatal(err)
			}
			f.v.title, f.v.estimate = "Title by B", "5"
			h.save()
			f = h.board.form
			if f == nil || f.conflict == nil || len(f.conflict.fields) != 1 || f.conflict.fields[0].Field != "title" {
				t.Fatalf("the form did not stay open on the conflict: %+v", f)
			}
			if f.v.estimate != "5" || f.v.campaign != "spring" || f.base.Version != 2 {
				t.Fatalf("the reopened form lost values: %+v, base v%d", *f.v, f.base.Version)
			}
			if view := f.view(); !strings.Contains(view, `keep mine: "Title by B"`) || !strings.Contains(view, `take bo's: "Title by A"`) {
				t.Fatalf("the form does not show both values:\n%s", view)
			}
			f.conflict.choices[0] = choice
			h.save()
			b, _ := h.st.Brief(context.Background(), 1)
			want := map[string]string{keepMine: "Title by B", takeTheirs: "Title by A"}[choice]
			if h.board.form != nil || b.Title != want || b.EstimateHours != 5 || b.Campaign != "spring" {
				t.Fatalf("after choosing %s: form open %v, brief %+v", choice, h.board.form != nil, b)
			}
		})
	}
}

// Ensure that saving a form unchanged keeps every value, even an AI-lane
// owner and a channel since retired from the taxonomy.
func TestForm_KeepsOwnerAndRetiredTerm(t *testing.T) {
	h := newHarness(t, true, admin)
	ctx := context.Background()
	b, _ := h.st.Brief(ctx, 1)
	b.Owner, b.Channel = "Local model", "events"
	b, _, err := h.st.UpdateBrief(ctx, "ana", b)
	if err != nil {
		t.Fatal(err)
	}
	tax, _ := h.st.Taxonomy(ctx)
	tax.Channels = tax.Channels[:len(tax.Channels)-1] // retire "events"
	if err := h.st.SetTaxonomy(ctx, "ana", tax); err != nil {
		t.Fatal(err)
	}
	h.reload()
	f := h.openEdit(1)
	view := f.view()
	if !strings.Contains(view, "events (retired)") {
		t.Errorf("the channel pick list does not show the retired term:\n%s", view)
	}
	h.save()
	got, _ := h.st.Brief(ctx, 1)
	if got.Owner != "Local model" || got.Channel != "events" || got.Version != b.Version {
		t.Fatalf("saving unchanged changed the brief: %+v", got)
	}
	opts := ownerOptions(h.board.snap.People, "")
	var ai bool
	for _, o := range opts {
		ai = ai || o.Value == "Local model"
	}
	if !ai {
		t.Error("the owner pick list leaves out the AI lane")
	}
}

// Ensure that a save the store refuses keeps the form, its values, and
// shows the error beside the field.
func TestForm_FailedSaveKeepsForm(t *testing.T) {
	h := newHarness(t, false, admin)
	addBriefs(t, h.st, core.StagePlanned, "Win-back offer")
	h.reload()
	f := h.openEdit(1)
	f.v.objective, f.v.start, f.v.due = "Bring lapsed buyers back", "2026-12-10", "2026-12-01"
	h.save()
	f = h.board.form
	if f == nil || f.v.objective != "Bring lapsed buyers back" || f.v.due != "2026-12-01" {
		t.Fatalf("the form closed or lost its values after a refused save: %+v", f)
	}
	if view := f.view(); !strings.Contains(view, "✗ is before start") {
		t.Fatalf("no error beside Due:\n%s", view)
	}
}

// Ensure that text limits count bytes, as the store does: a title of 60
// emoji (240 bytes) is refused in the form, not after it.
func TestForm_LimitsInBytes(t *testing.T) {
	if err := maxBytes(core.MaxTitleBytes, "a title")(strings.Repeat("😀", 60)); err == nil || !strings.Contains(err.Error(), "240 bytes") {
		t.Fatalf("60 emoji: %v", err)
	}
	if err := maxBytes(core.MaxTitleBytes, "a title")(strings.Repeat("😀", 50)); err != nil {
		t.Fatalf("50 emoji (200 bytes): %v", err)
	}
	if err := validTags(strings.Repeat("x", 81)); err == nil {
		t.Fatal("an 81-byte tag passed")
	}
}

// TestForm_Golden renders the form with inline errors at the smallest
// and a large size.
func TestForm_Golden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		name := func(what string) string { return fmt.Sprintf("%s-%dx%d", what, size.w, size.h) }
		t.Run(name("empty-title"), func(t *testing.T) {
			h := newHarness(t, true, admin)
			h.board.SetSize(size.w, size.h)
			h.press("n", "enter")
			golden.RequireEqual(t, []byte(h.board.View()))
		})
		t.Run(name("emoji-title"), func(t *testing.T) {
			h := newHarness(t, true, admin)
			h.board.SetSize(size.w, size.h)
			h.press("n")
			h.board.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(strings.Repeat("😀", 60))})
			h.press("enter")
			golden.RequireEqual(t, []byte(h.board.View()))
		})
		t.Run(name("conflict"), func(t *testing.T) {
			h := newHarness(t, true, admin)
			h.board.SetSize(size.w, size.h)
			f := h.openEdit(1)
			stored, _ := h.st.Brief(context.Background(), 1)
			stored.Title = "Title by Bo"
			if _, _, err := h.st.UpdateBrief(context.Background(), "bo", stored); err != nil {
				t.Fatal(err)
			}
			f.v.title = "Title by Ana"
			h.save()
			golden.RequireEqual(t, []byte(h.board.View()))
		})
		t.Run(name("who-and-when"), func(t *testing.T) {
			h := newHarness(t, true, admin)
			h.board.SetSize(size.w, size.h)
			h.press("n")
			h.run(h.board.form.form.NextGroup())
			golden.RequireEqual(t, []byte(h.board.View()))
		})
		t.Run(name("refused-save"), func(t *testing.T) {
			h := newHarness(t, true, admin)
			h.board.SetSize(size.w, size.h)
			f := h.openEdit(1)
			f.v.start, f.v.due = "2026-12-10", "2026-12-01"
			h.save()
			golden.RequireEqual(t, []byte(h.board.View()))
		})
	}
}
