package board

import (
	"strings"
	"unicode/utf8"

	"github.com/tandem-ops/tandem/core"
)

// badgeWinningCombinations gives the card of each brief with a decided
// factorial test the combination its test declared the winner, in place
// of its past-results badge: the test made for the brief says more.
func badgeWinningCombinations(badges map[uint64]string, exps []core.Experiment) {
	for _, e := range exps {
		if bd, ok := combinationBadge(e); ok && e.BriefID != 0 {
			badges[e.BriefID] = bd
		}
	}
}

// combinationBadge is "★ h4·b7·c9": each slot's initial and the ID of the
// component the winning arm holds (`tandem component show 4`), in the
// test's slot order; false for a test that is not factorial or not
// decided.
func combinationBadge(e core.Experiment) (string, bool) {
	won, ok := core.WinningCombination(e)
	if !ok {
		return "", false
	}
	parts := make([]string, 0, len(e.Factors))
	for _, f := range e.Factors {
		initial, _ := utf8.DecodeRuneInString(strings.ToLower(f.Slot))
		parts = append(parts, string(initial)+won[f.Slot])
	}
	return "★ " + strings.Join(parts, "·"), true
}
