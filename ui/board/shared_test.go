package board

import (
	"context"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that sessions on one workspace share the sorting of its columns
// and its cards' results, yet each keeps its own filter and focus through
// a write.
func TestBoard_SharedColumns_OwnFocusAndFilter(t *testing.T) {
	h := newHarness(t, true, admin)
	other := New(testCommon(context.Background(), h.be, admin))
	other.SetSize(120, 36)
	plain := New(testCommon(context.Background(), h.be, admin))
	plain.SetSize(120, 36)
	reloadAll := func() {
		h.reload()
		snap, err := h.be.Snapshot(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		other.Update(snap)
		plain.Update(snap)
	}
	reloadAll()
	stage := core.StageIntake
	if &h.board.cols[stage].cards[0] != &plain.cols[stage].cards[0] {
		t.Fatal("two unfiltered boards of one snapshot sorted their columns each")
	}
	if len(h.board.results) == 0 || &h.board.results[0] != &plain.results[0] {
		t.Fatal("two boards of one snapshot worked out the experiments' results each")
	}

	other.filter.SetValue("newsletter")
	other.rebuild()
	h.press("right", "down")
	focus := h.focused().ID
	if f, ok := plain.focused(); ok && f.ID == focus {
		t.Fatal("a board's focus moved with another session's keys")
	}

	if _, err := h.be.AddBrief(context.Background(), admin, core.Brief{Title: "Written elsewhere"}); err != nil {
		t.Fatal(err)
	}
	reloadAll()
	if got := h.focused().ID; got != focus {
		t.Errorf("after a write the focus is on #%d, want #%d", got, focus)
	}
	for s := range other.cols {
		for _, b := range other.cols[s].cards {
			if !strings.Contains(strings.ToLower(searchSource([]core.Brief{b}).String(0)), "newsletter") {
				t.Errorf("the filtered board shows #%d %q", b.ID, b.Title)
			}
		}
	}
	intake := plain.cols[core.StageIntake].cards
	if last := intake[len(intake)-1]; last.Title != "Written elsewhere" {
		t.Errorf("the unfiltered board's intake ends with %q, want the new brief", last.Title)
	}
}

// Ensure that a card kept between frames is drawn again when its brief
// changes, when the focus leaves it, and when the minute turns and it has
// become late, with no write in between.
func TestBoard_CardCache_Redraws(t *testing.T) {
	h := newHarness(t, false, admin)
	now := testNow
	h.board.common.Now = func() time.Time { return now }
	ctx := context.Background()
	br, err := h.be.AddBrief(ctx, admin, core.Brief{Title: "Spring launch", Due: testNow.Add(30 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.be.AddBrief(ctx, admin, core.Brief{Title: "Other card"}); err != nil {
		t.Fatal(err)
	}
	h.reload()
	if v := h.board.View(); !strings.Contains(v, "▌ Spring launch") || !strings.Contains(v, "! Nov 2") {
		t.Fatalf("the focused, due-soon card is not drawn so:\n%s", v)
	}

	br.Title = "Summer launch"
	if _, _, err := h.be.UpdateBrief(ctx, admin, br); err != nil {
		t.Fatal(err)
	}
	h.reload()
	if v := h.board.View(); !strings.Contains(v, "Summer launch") || strings.Contains(v, "Spring launch") {
		t.Fatalf("an edited card kept its old title:\n%s", v)
	}

	h.press("down")
	if v := h.board.View(); strings.Contains(v, "▌ Summer launch") || !strings.Contains(v, "▌ Other card") {
		t.Fatalf("the focus bar did not move to the next card:\n%s", v)
	}

	now = testNow.Add(time.Minute)
	if v := h.board.View(); !strings.Contains(v, "✗ Nov 2") {
		t.Fatalf("a minute past its due time the card is not late:\n%s", v)
	}
}

// Ensure that boards in the same state share one drawing of a snapshot,
// and a board whose cursor moved draws its own.
func TestBoard_SharedFrame(t *testing.T) {
	h := newHarness(t, true, admin)
	other := New(testCommon(context.Background(), h.be, admin))
	other.SetSize(120, 36)
	snap, err := h.be.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	other.Update(snap)
	first := other.View()
	if v := h.board.View(); v != first || unsafe.StringData(v) != unsafe.StringData(first) {
		t.Fatal("two boards in the same state drew a snapshot each")
	}
	h.press("down")
	if v := h.board.View(); v == first || !strings.Contains(v, "▌") {
		t.Fatal("a board whose cursor moved shows the shared frame")
	}
	if other.View() != first {
		t.Fatal("another session's cursor moved this board's frame")
	}
}

// Ensure that a board on a later clock does not take the frame a board
// drew earlier from the same snapshot: a card may have become late since.
func TestBoard_SharedFrame_LaterClock(t *testing.T) {
	h := newHarness(t, false, admin)
	ctx := context.Background()
	if _, err := h.be.AddBrief(ctx, admin, core.Brief{Title: "Spring launch", Due: testNow.Add(30 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	h.reload()
	later := New(testCommon(ctx, h.be, admin))
	later.common.Now = func() time.Time { return testNow.Add(24 * time.Hour) }
	later.SetSize(120, 36)
	snap, err := h.be.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	later.Update(snap)
	if v := h.board.View(); !strings.Contains(v, "! Nov 2") {
		t.Fatalf("the card is not due soon at first:\n%s", v)
	}
	if v := later.View(); !strings.Contains(v, "✗ Nov 2") {
		t.Fatalf("a day later the board shows the earlier frame:\n%s", v)
	}
}
