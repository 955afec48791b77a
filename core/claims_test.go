package core

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Ensure that claim detection flags numeric, ranked, superlative and
// comparative statements and leaves plain copy, prices and dates alone.
func TestDetectClaims(t *testing.T) {
	tests := []struct {
		text, cue string // cue "" means no claim
	}{
		{"Teams ship 23 % more campaigns.", "23 %"},
		{"Save 40% on your first month", "40%"},
		{"Three times faster setup? Try 3x faster setup.", "3x faster"},
		{"The #1 planner for creative teams", "#1"},
		{"Rated number one by marketers", "number one"},
		{"The fastest way to plan a launch", "fastest"},
		{"Our most trusted templates", "most trusted"},
		{"Better than spreadsheets, easier than email", "Better than"},
		{"Plan launches in one place.", ""},
		{"Only $12 a month, billed yearly.", ""},
		{"Join us on 12 March at 10:00", ""},
		{"Get 2 seats free", ""},
		{"Best regards from the team", ""},
		{"Leading to fewer tickets, which we like", ""},
		{"More than 10,000 teams plan here", "More than 1"},
		{"Twice as fast to set up", "Twice as"},
		{"Cuts review time in half", "in half"},
		{"The best planner for teams", "best"}, // a superlative reads as a claim; an approver links or rewrites
		// Written with a no-break space, full-width forms or a hidden
		// zero-width space, a claim is still a claim.
		{"Teams ship 23\u00a0% more campaigns.", "23 %"},
		{"Save ２３％ today", "23%"},
		{"Save 40\u200b% today", "40%"},
		{"Ｎo. 1 for teams", "No. 1"},
	}
	for _, tt := range tests {
		got := DetectClaims(tt.text)
		switch {
		case tt.cue == "" && len(got) != 0:
			t.Errorf("%q: claims %+v, want none", tt.text, got)
		case tt.cue != "" && (len(got) != 1 || got[0].Cue != tt.cue):
			t.Errorf("%q: claims %+v, want one with cue %q", tt.text, got, tt.cue)
		}
	}
	if got := DetectClaims("Save 40% today. Plan in one place. The fastest planner!"); len(got) != 2 || got[0].Text != "Save 40% today." || got[1].Text != "The fastest planner!" {
		t.Errorf("one claim per sentence: %+v", got)
	}
	// A long claim is cut to what a link can hold, in bytes, whole runes.
	long := "Teams ship 23% more campaigns " + strings.Repeat("é", 200) + "."
	if got := DetectClaims(long); len(got) != 1 || len(got[0].Text) > maxClaimText || !utf8.ValidString(got[0].Text) || (ClaimLink{Claim: got[0].Text, Source: "s"}).Validate() != nil {
		t.Errorf("a long claim: %d bytes, valid %v", len(got[0].Text), utf8.ValidString(got[0].Text))
	}
}

// Ensure that a claim is supported by a source or by a declared treatment
// winner whose data holds, unsupported otherwise, and stale once a later
// experiment on the same channel and audience declared its control.
func TestClaimsOf(t *testing.T) {
	arms := []Variant{{Key: "a", Control: true}, {Key: "b"}}
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	won := Experiment{Key: "won", Channel: "email", Audience: "smb", Winner: "b", Decided: day(2), Variants: arms}
	lost := Experiment{Key: "lost", Channel: "email", Audience: "smb", Winner: "a", Decided: day(9), Variants: arms}
	other := Experiment{Key: "other", Channel: "web", Audience: "smb", Winner: "a", Decided: day(9), Variants: arms}
	results := map[string]Result{"won": {Evidence: EvidenceDeclared, Lift: 0.23}, "lost": {Evidence: EvidenceDeclared}, "other": {Evidence: EvidenceDeclared}}
	copy := "Teams ship 23% more campaigns. The fastest planner."
	link := func(claim, exp, src string) ClaimLink { return ClaimLink{Claim: claim, Experiment: exp, Source: src} }
	tests := []struct {
		name  string
		links []ClaimLink
		exps  []Experiment
		want  [2]ClaimState
	}{
		{"nothing linked", nil, []Experiment{won}, [2]ClaimState{ClaimUnsupported, ClaimUnsupported}},
		{"experiment and source", []ClaimLink{link("teams ship 23% more campaigns.", "won", ""), link("The fastest planner.", "", "G2 report 2026")},
			[]Experiment{won, other}, [2]ClaimState{ClaimSupported, ClaimSupported}},
		{"contradicted later", []ClaimLink{link("Teams ship 23% more campaigns.", "won", "")}, []Experiment{won, lost}, [2]ClaimState{ClaimStale, ClaimUnsupported}},
		{"a control winner backs nothing", []ClaimLink{link("Teams ship 23% more campaigns.", "lost", "")}, []Experiment{lost}, [2]ClaimState{ClaimUnsupported, ClaimUnsupported}},
	}
	for _, tt := range tests {
		got := ClaimsOf(copy, tt.links, tt.exps, results)
		if len(got) != 2 || got[0].State != tt.want[0] || got[1].State != tt.want[1] {
			t.Errorf("%s: %+v", tt.name, got)
		}
	}
	if got := ClaimsOf(copy, []ClaimLink{link("Teams ship 23% more campaigns.", "won", "")}, []Experiment{won}, results); got[0].Evidence != "experiment won: b declared winner, +23.0%" {
		t.Errorf("evidence = %q", got[0].Evidence)
	}
	// A claim may not state more than its experiment measured.
	over := "Teams ship 50% more campaigns."
	if got := ClaimsOf(over, []ClaimLink{link(over, "won", "")}, []Experiment{won}, results); got[0].State != ClaimUnsupported || got[0].Evidence != "claims 50%, but experiment won measured +23.0%" {
		t.Errorf("an overstated claim: %+v", got[0])
	}
}

// FuzzDetectClaims checks that any copy yields claims that are valid link
// targets, found again in the copy, and never a panic.
func FuzzDetectClaims(f *testing.F) {
	for _, s := range []string{"Teams ship 23% more.", "Ｎo. 1\u200b for teams!", "Best regards.\nThe fastest planner?", strings.Repeat("é", 300) + " 5%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, c := range DetectClaims(text) {
			if len(c.Text) > maxClaimText || !utf8.ValidString(c.Text) && utf8.ValidString(text) {
				t.Fatalf("claim %q from %q", c.Text, text)
			}
			if again := DetectClaims(text); len(again) == 0 {
				t.Fatalf("detection is not repeatable on %q", text)
			}
		}
	})
}
