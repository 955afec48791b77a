package board

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
)

// lockedErr is a refusal whose fix is at its end: cut at 80 columns, the
// person would never read what to do.
var lockedErr = errors.New("store: the workspace file is locked by another tandem process (pid 4242); " +
	"close that cockpit, or run `tandem serve` and connect to it with ssh, then try the move again")

// topText is the first n lines of view as one line of words.
func topText(view string, n int) string {
	lines := strings.Split(view, "\n")
	return strings.Join(strings.Fields(strings.Join(lines[:min(n, len(lines))], " ")), " ")
}

// stageNamesLine is the index of the line naming the stages, which
// follows the top lines.
func stageNamesLine(t *testing.T, view string) int {
	t.Helper()
	for i, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(l, "intake ") {
			return i
		}
	}
	t.Fatalf("no stage names:\n%s", view)
	return 0
}

// Ensure that at 80x24 a question or notice longer than the top line is
// shown whole, wrapped at words, with the summary still on screen and the
// focused card scrolled into the smaller card area.
func TestBoard_PromptGolden(t *testing.T) {
	for _, tc := range []struct {
		name  string
		who   core.Identity
		keys  []string
		msg   tea.Msg
		whole string
	}{
		// The fifth card of in production, moved into review over its limit.
		{name: "wip-prompt-80x24", who: admin, keys: []string{"right", "right", "down", "down", "down", "down", "m"},
			whole: "⚠ review is at its WIP limit (8). Move #16 there anyway? y/n"},
		{name: "long-notice-80x24", who: admin, keys: []string{"right", "right", "down", "down", "down", "down"},
			msg: errMsg{lockedErr}, whole: "✗ " + lockedErr.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, true, tc.who)
			h.board.SetSize(80, 24)
			h.press(tc.keys...)
			if tc.msg != nil {
				h.board.Update(tc.msg)
			}
			view := h.board.View()
			top := stageNamesLine(t, view)
			if top < 2 {
				t.Fatalf("the long text shares one line with the summary:\n%s", view)
			}
			if got := topText(view, top); !strings.Contains(got, tc.whole) || !strings.Contains(got, "60 briefs · stages 1–5 of 7 ▶") {
				t.Fatalf("the top lines read %q, want the whole of %q and the summary", got, tc.whole)
			}
			if !strings.Contains(view, "▌ Trial nudge") {
				t.Fatalf("the focused card is off screen:\n%s", view)
			}
			if n := strings.Count(view, "\n") + 1; n > 24 {
				t.Fatalf("the board takes %d lines of 24", n)
			}
			golden.RequireEqual(t, []byte(view))
		})
	}
}

// Ensure that a short notice shares the top line with the summary, and
// that once a long one expires the board has its one top line back.
func TestBoard_NoticeLines(t *testing.T) {
	h := newHarness(t, true, admin)
	h.board.SetSize(80, 24)
	h.board.setNotice(false, "moved #%d to review", 12)
	view := h.board.View()
	if top := stageNamesLine(t, view); top != 1 || !strings.Contains(view, "moved #12 to review") {
		t.Fatalf("a short notice takes %d lines:\n%s", top, view)
	}
	cards := h.board.visibleCards()

	h.board.Update(errMsg{lockedErr})
	if top := stageNamesLine(t, h.board.View()); top != 3 || h.board.visibleCards() != cards-1 {
		t.Fatalf("a three-line notice: stage names on line %d, %d cards:\n%s", top, h.board.visibleCards(), h.board.View())
	}

	now := h.board.common.Now()
	h.board.common.Now = func() time.Time { return now.Add(common.NoticeLife) }
	view = h.board.View()
	if top := stageNamesLine(t, view); top != 1 || strings.Contains(view, "locked") || h.board.visibleCards() != cards {
		t.Fatalf("after the notice expired the stage names are on line %d:\n%s", top, view)
	}
}

// Ensure that a notice longer than three lines ends with "…" on the third,
// keeps the summary on screen, and shows no control sequence it carried.
func TestBoard_NoticeTooLong(t *testing.T) {
	h := newHarness(t, true, admin)
	h.board.SetSize(80, 24)
	hostile := strings.Repeat("the store refused the write \x1b]52;c;cHduZWQ=\x07\u202e ", 12)
	h.board.Update(errMsg{errors.New(hostile)})
	view := h.board.View()
	if strings.ContainsAny(view, "\x1b\x07\u202e") {
		t.Fatalf("the notice printed a control character: %q", view)
	}
	lines := strings.Split(view, "\n")
	if !strings.HasSuffix(lines[2], "…") || !strings.Contains(lines[3], "60 briefs") || stageNamesLine(t, view) != 4 {
		t.Fatalf("a notice past three lines:\n%s", view)
	}
}

// Ensure that a click selects the card drawn under it while a two-line
// notice pushes the cards down, and a click on the stage names or their
// rule selects nothing.
func TestBoard_ClickUnderLongNotice(t *testing.T) {
	h := newHarness(t, true, core.Identity{Name: "vic", Role: core.RoleViewer})
	h.board.SetSize(80, 24)
	h.press("m") // refused: a viewer may not move briefs
	view := h.board.View()
	lines := strings.Split(view, "\n")
	rule := stageNamesLine(t, view) + 1
	if rule != 3 || !h.board.failed {
		t.Fatalf("want a two-line refusal above the stage names:\n%s", view)
	}
	click := func(x, y int) {
		h.board.Update(tea.MouseMsg{X: x, Y: y, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	}
	w := columnWidths(80, h.board.visibleColumns())[0]
	review := h.board.cols[core.StageReview]
	for k := range h.board.visibleCards() {
		want := review.cards[review.offset+k]
		title := rule + 1 + k*cardHeight
		if cell := []rune(lines[title])[3*w : 4*w]; !strings.Contains(string(cell), want.Title[:8]) {
			t.Fatalf("line %d of review reads %q, want card #%d %q", title, string(cell), want.ID, want.Title)
		}
		for y := title; y < title+3; y++ { // its title, owner and asset lines
			click(3*w+2, y)
			if got := h.focused(); got.ID != want.ID {
				t.Fatalf("a click on line %d of review's card %d focused #%d %q, want #%d %q", y, k, got.ID, got.Title, want.ID, want.Title)
			}
		}
	}
	focus := h.focused().ID
	for y := range rule + 1 {
		click(2, y)
		if h.focused().ID != focus {
			t.Fatalf("a click on line %d, above the cards, moved the focus", y)
		}
	}
	if !h.board.failed || h.board.freshNotice() == "" {
		t.Fatal("the notice went with the clicks")
	}
}

// Ensure that the detail shows a long notice whole above the brief.
func TestBoard_DetailLongNotice(t *testing.T) {
	h := newHarness(t, true, admin)
	h.board.SetSize(80, 24)
	h.press("enter")
	h.board.Update(errMsg{lockedErr})
	view := h.board.View()
	lines := strings.Split(view, "\n")
	if got := topText(view, 3); !strings.Contains(got, "✗ "+lockedErr.Error()) {
		t.Fatalf("the detail's notice reads %q:\n%s", got, view)
	}
	if !strings.HasPrefix(lines[3], "#") || len(lines) > 24 {
		t.Fatalf("the brief does not follow the notice in 24 lines:\n%s", view)
	}
}

// Ensure that at 80 columns the checklist's question and the suggested
// terms are read to their end: the keys to press and the reason's input.
func TestBoard_LongQuestions(t *testing.T) {
	h := newHarness(t, true, admin)
	h.board.SetSize(80, 24)
	b := h.focused()
	h.board.Update(checklistMsg{brief: b, to: core.StageReview,
		items: []string{"legal sign-off", "alt text on every image", "UTM parameters on links", "brand review"}})
	view := h.board.View()
	top := stageNamesLine(t, view)
	if got := topText(view, top); !strings.Contains(got, "brand review. Skip them? reason:") {
		t.Fatalf("the checklist question reads %q:\n%s", got, view)
	}
	h.press("esc")

	h.board.Update(tagsMsg{brief: b, suggestion: core.TagSuggestion{BriefID: b.ID, Channel: "email", Audience: "developers",
		AssetType: "landing page", Tags: []string{"q4", "launch", "webinar", "retention"}}})
	view = h.board.View()
	keys := h.board.keys
	want := keys.Confirm.Help().Key + " accepts, " + keys.Edit.Help().Key + " edits, " + keys.Cancel.Help().Key + " dismisses"
	if got := topText(view, stageNamesLine(t, view)); !strings.Contains(got, want) {
		t.Fatalf("the suggestion reads %q, want it to end %q", got, want)
	}
}
