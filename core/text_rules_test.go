package core

import (
	"fmt"
	"strings"
	"testing"
)

// Ensure that a title, and every name-like field beside it (a person, a
// campaign, an experiment, a template), refuses text that is invisible or
// could change what a terminal shows, naming the character, and takes
// legitimate text of any script.
func TestNameRules_Hostile(t *testing.T) {
	records := map[string]func(s string) error{
		"brief title":     func(s string) error { return Brief{Title: s}.Validate() },
		"brief campaign":  func(s string) error { return Brief{Title: "ok", Campaign: s}.Validate() },
		"person name":     func(s string) error { return Person{Name: s, Lane: LaneInHouse}.Validate() },
		"experiment name": func(s string) error { return Experiment{Key: "exp", Name: s, Variants: twoVariants()}.Validate() },
		"template name": func(s string) error {
			return Template{Kind: TemplateBrief, Name: s, Brief: &BriefTemplate{}}.Validate()
		},
		"approval flow": func(s string) error { return ApprovalFlow{Name: s, Stages: oneStage()}.Validate() },
	}
	for _, tc := range []struct {
		name, value, problem string
	}{
		{"zero-width only", "\u200b\u200b", "invisible formatting character (U+200B"},
		{"escape sequence", "\x1b[31m", "control character (U+001B) at byte 0"},
		{"bidi override", "a\u202eb", "invisible formatting character (U+202E"},
		{"bell", "\a", "control character (U+0007)"},
		{"hangul filler", "\u3164", "invisible character (U+3164"},
		{"combining mark alone", "\u0301", "no visible character"},
		{"joiner at the start", "\u200cabc", "joiner (U+200C) at byte 0"},
		{"joiner at the end", "abc\u200d", "joiner (U+200D) at byte 3"},
		{"doubled joiner", "a\u200c\u200cb", "joiner (U+200C) at byte 1"},
		{"joiner beside a space", "ad\u200d min", "joiner (U+200D) at byte 2"},
		{"joiner beside punctuation", "a\u200c.b", "joiner (U+200C) at byte 1"},
		{"joiner before an emoji at the start", "\u200d💻", "joiner (U+200D) at byte 0"},
		{"non-joiner between emoji", "👩\u200c💻", "joiner (U+200C) at byte 4"},
		{"zero-width space between letters", "ad\u200bmin", "invisible formatting character (U+200B"},
		{"word joiner", "ad\u2060min", "invisible formatting character (U+2060"},
		{"byte order mark", "ad\ufeffmin", "invisible formatting character (U+FEFF"},
		{"Mongolian vowel separator", "\u180e", "invisible formatting character (U+180E"},
		{"braille blank", "\u2800", "invisible character (U+2800"},
		{"combining grapheme joiner", "\u034f", "invisible character (U+034F"},
		{"combining grapheme joiner inside", "a\u034fb", "invisible character (U+034F"},
		{"halfwidth hangul filler", "\uffa0", "invisible character (U+FFA0"},
		{"hangul choseong filler", "\u115f\u1160", "invisible character (U+115F"},
		{"Khmer inherent vowel", "\u17b4", "invisible character (U+17B4"},
		{"variation selector alone", "\ufe0f", "invisible character (U+FE0F"},
		{"variation selector after a space", "a \ufe0f", "invisible character (U+FE0F"},
		{"Persian with a non-joiner", "علی محمد‌زاده", ""},
		{"Sinhala with a joiner", "ශ්‍රී ලංකා", ""},
		{"Devanagari half-form", "क्\u200dष", ""},
		{"joiner between Latin letters", "ad\u200dmin", "has a joiner (U+200D) at byte 2 that joins nothing"},
		{"emoji presentation and keycap", "❤️ team 1️⃣", ""},
		{"accents, emoji, CJK", "Café ☕ 春", ""},
		{"joined emoji", "Launch 👩‍💻 🏳️‍🌈", ""},
		{"right-to-left script", "שלום עולם", ""},
	} {
		for record, validate := range records {
			t.Run(fmt.Sprintf("%s/%s", tc.name, record), func(t *testing.T) {
				err := validate(tc.value)
				switch {
				case tc.problem == "" && err != nil:
					t.Fatalf("%q refused: %v", tc.value, err)
				case tc.problem != "" && (err == nil || !strings.Contains(err.Error(), tc.problem)):
					t.Fatalf("%q: %v; want %q", tc.value, err, tc.problem)
				}
			})
		}
	}
}

// Ensure that free text (an objective, a comment) keeps its lines, tabs
// and any script, and refuses controls and bidi controls, naming them.
func TestTextProblem(t *testing.T) {
	for _, tc := range []struct {
		value, problem string
	}{
		{"Lift repeat orders.\n\tCafé ☕ 春, 👩‍💻", ""},
		{strings.Repeat("a", maxText), ""},
		{"ok\x1b[2J", "control character (U+001B) at byte 2"},
		{"ok\a", "control character (U+0007)"},
		{"overprint\rok", "control character (U+000D)"},
		{"a\u202eb", "bidi control (U+202E) at byte 1"},
		{"a\u2066b\u2069", "bidi control (U+2066)"},
		{"ok\xff", "not valid UTF-8"},
		{strings.Repeat("a", maxText+1), fmt.Sprintf("at most %d", maxText)},
	} {
		if got := TextProblem(tc.value, maxText); (tc.problem == "") != (got == "") || !strings.Contains(got, tc.problem) {
			t.Errorf("TextProblem(%q) = %q, want %q", tc.value, got, tc.problem)
		}
	}
	d := Decision{BriefID: 1, Actor: "cy", Kind: DecisionComment, Comment: "looks good\u202e"}
	if Field(d.Validate()) != "comment" {
		t.Errorf("a comment with a bidi override: %v", d.Validate())
	}
}

func twoVariants() []Variant {
	return []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}
}

func oneStage() []ApprovalStage {
	return []ApprovalStage{{Name: "brand", Mode: ModeSequential, Approvers: []string{"cy"}, Rule: RuleAll, SLAHours: 8}}
}
