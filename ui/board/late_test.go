package board

import (
	"regexp"
	"testing"
)

// Ensure that at 80x24, five columns of compact cards, a late or due-soon
// card names its owner beside the warning and the date, as every other
// card does: who to ask is what a late card is for.
func TestBoard_WarnedCardsKeepOwner(t *testing.T) {
	h := newHarness(t, true, admin)
	h.board.SetSize(80, 24)
	v := h.board.View()
	warned := regexp.MustCompile(`[✗!] [A-Z][a-z]{2} \d{1,2}`).FindAllString(v, -1)
	owned := regexp.MustCompile(`\p{L}(…)? [✗!] [A-Z][a-z]{2} \d{1,2}`).FindAllString(v, -1)
	if len(warned) < 5 || len(owned) != len(warned) {
		t.Fatalf("%d of %d late or due-soon cards name their owner:\n%s", len(owned), len(warned), v)
	}
}
