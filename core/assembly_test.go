package core

import (
	"strings"
	"testing"
)

// Ensure that every combination is assembled in slot order, the
// channel's length applies to the assembled text (parts within it can
// make a whole past it), and a combination that breaks a rule is kept
// and marked with the rule.
func TestCombine(t *testing.T) {
	g := BrandGuideline{MaxLength: map[string]int{"sms": 40}, Banned: []string{"synergy"}}
	heads := []Component{{ID: 1, Slot: "headline", Text: "Save time"}, {ID: 2, Slot: "headline", Text: "Synergy now"}}
	bodies := []Component{{ID: 3, Slot: "body", Text: "Plan in one place."}}
	ctas := []Component{{ID: 4, Slot: "cta", Text: "Try"}, {ID: 5, Slot: "cta", Text: "Start your free trial"}}
	got := Combine([][]Component{heads, bodies, ctas}, "sms", g)
	want := []struct {
		ids   [3]uint64
		rules []string
	}{
		{[3]uint64{1, 3, 4}, nil},
		{[3]uint64{1, 3, 5}, []string{"length"}},
		{[3]uint64{2, 3, 4}, []string{"banned"}},
		{[3]uint64{2, 3, 5}, []string{"banned", "length"}},
	}
	if len(got) != len(want) {
		t.Fatalf("%d combinations, want %d", len(got), len(want))
	}
	for i, w := range want {
		a := got[i]
		if ids := [3]uint64{a.Components["headline"], a.Components["body"], a.Components["cta"]}; ids != w.ids {
			t.Errorf("combination %d holds %v, want %v", i, ids, w.ids)
		}
		var rules []string
		for _, f := range a.Breaks {
			rules = append(rules, f.Rule)
		}
		if strings.Join(rules, ",") != strings.Join(w.rules, ",") {
			t.Errorf("combination %v breaks %v, want %v", w.ids, rules, w.rules)
		}
		if a.Text != Assemble([]Component{heads[(w.ids[0] - 1)], bodies[0], ctas[w.ids[2]-4]}) {
			t.Errorf("combination %v text %q", w.ids, a.Text)
		}
	}
	if n := len(Combine([][]Component{heads, {}}, "sms", g)); n != 0 {
		t.Errorf("a slot with no components gives %d combinations", n)
	}
}

func TestComponentText(t *testing.T) {
	for in, want := range map[string]string{
		"  Save\n time\t today ":            "Save time today",
		"Save\u200b time\x1b[31m":           "Save time[31m",
		"Spring\u0087 sale\u2028ends":       "Spring sale ends",
		"\x00\x01":                          "",
		"Café ☕ — 50% off":                  "Café ☕ — 50% off",
		"bad \xff byte":                     "bad byte",
		"unassigned \U000CD31C code point ": "unassigned code point",
	} {
		if got := ComponentText(in); got != want {
			t.Errorf("ComponentText(%q) = %q, want %q", in, got, want)
		}
	}
}

// Ensure that a generation names every slot it cannot make.
func TestCheckSlotCounts(t *testing.T) {
	for _, tc := range []struct {
		counts []SlotCount
		want   string
	}{
		{[]SlotCount{{"headline", 4}, {"body", 3}, {"cta", 3}}, ""},
		{nil, "slot: is required"},
		{[]SlotCount{{"footer", 1}}, "not a slot the studio generates"},
		{[]SlotCount{{"cta", 11}}, "ask for 1 to 10"},
		{[]SlotCount{{"cta", 2}, {"CTA", 2}}, "given twice"},
		{[]SlotCount{{"headline", 10}, {"body", 10}, {"cta", 3}}, "makes 300 combinations"},
	} {
		err := CheckSlotCounts(tc.counts)
		if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.counts, err, tc.want)
		}
	}
}
