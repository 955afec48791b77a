package board

import (
	"context"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that a card's badge claims only what its experiment holds: a
// declared or significant result shows its arrow, a lead shows "~", and
// an experiment with a sample-ratio mismatch gives no badge at all.
func TestBoard_BadgeEvidence(t *testing.T) {
	start := testNow.AddDate(0, 0, -10)
	exp := func(key string, winner string) core.Experiment {
		return core.Experiment{Key: key, Channel: key, Started: start, Winner: winner,
			Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}
	}
	totals := func(na, ca, nb, cb uint64) map[string]core.VariantTotals {
		return map[string]core.VariantTotals{"a": {Exposures: na, Converters: ca, First: start, Last: testNow}, "b": {Exposures: nb, Converters: cb, First: start, Last: testNow}}
	}
	tests := []struct {
		name   string
		exp    core.Experiment
		totals map[string]core.VariantTotals
		want   string
	}{
		{"significant", exp("sig", ""), totals(10000, 400, 10000, 520), "▲+30%"},
		{"declared", exp("decl", "b"), totals(10000, 400, 10000, 520), "★▲+30%"},
		{"declared control", exp("kept", "a"), totals(10000, 400, 10000, 402), "★ control"},
		{"significant loser", exp("lost", ""), totals(10000, 520, 10000, 400), "▼-23%"},
		{"inconclusive lead", exp("lead", ""), totals(5000, 200, 5000, 210), "~+5%"},
		{"sample-ratio mismatch", exp("srm", ""), totals(10000, 400, 11000, 600), ""},
		{"data error", exp("broken", ""), totals(1200, 1620, 1200, 100), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(testCommon(context.Background(), nil, admin))
			m.applySnapshot(core.Snapshot{
				Briefs:      []core.Brief{{ID: 1, Title: "Card", Channel: tt.exp.Key}},
				Experiments: []core.Experiment{tt.exp},
				Totals:      map[string]map[string]core.VariantTotals{tt.exp.Key: tt.totals},
				Guards:      core.DefaultGuards(),
			})
			if got := m.badges[1]; got != tt.want {
				t.Errorf("badge = %q, want %q", got, tt.want)
			}
		})
	}
}

// Ensure that the card of a brief whose factorial test is decided shows
// the winning combination, slot initials and component IDs in the test's
// slot order, and that an undecided one keeps its usual badge.
func TestBoard_WinningCombinationBadge(t *testing.T) {
	start := testNow.AddDate(0, 0, -10)
	factorial := func(winner string) core.Experiment {
		return core.Experiment{Key: "combo", BriefID: 1, Started: start, Winner: winner,
			Factors: []core.Factor{{Slot: "headline", Levels: []string{"4", "5"}}, {Slot: "Body", Levels: []string{"7"}}, {Slot: "cta", Levels: []string{"9", "12"}}},
			Variants: []core.Variant{
				{Key: "f01", Weight: 1, Control: true, Components: map[string]string{"headline": "4", "Body": "7", "cta": "9"}},
				{Key: "f02", Weight: 1, Components: map[string]string{"headline": "5", "Body": "7", "cta": "12"}},
			}}
	}
	for name, tt := range map[string]struct {
		exp  core.Experiment
		want string
	}{
		"decided":   {factorial("f02"), "★ h5·b7·c12"},
		"undecided": {factorial(""), ""},
	} {
		t.Run(name, func(t *testing.T) {
			m := New(testCommon(context.Background(), nil, admin))
			m.applySnapshot(core.Snapshot{Briefs: []core.Brief{{ID: 1, Title: "Card"}, {ID: 2, Title: "Other"}}, Experiments: []core.Experiment{tt.exp}, Guards: core.DefaultGuards()})
			if got := m.badges[1]; got != tt.want {
				t.Errorf("badge = %q, want %q", got, tt.want)
			}
			if got, ok := m.badges[2]; ok {
				t.Errorf("another brief's card shows %q", got)
			}
		})
	}
}
