package core

import (
	"strings"
	"testing"
)

// Ensure that ParseGuideline takes a guideline, or {} for no rules, and
// refuses null (which would wipe every rule by accident), controls and
// bidi controls in the voice, terms that are not names, and numbers out
// of range, naming the field and never echoing the bad value.
func TestParseGuideline_Hostile(t *testing.T) {
	for _, tc := range []struct {
		name, in, field, problem string
	}{
		{"full", `{"voice":"warm,\n\tplain","banned":["synergy"],"required":["Acme®"],"preferred":{"utilize":"use"},"max_length":{"email":60,"sms":160},"reading_level":8}`, "", ""},
		{"no rules", `{}`, "", ""},
		{"highest level and length", `{"max_length":{"web":100000},"reading_level":20}`, "", ""},
		{"null", "null", "", "the input is null; give the guideline as a JSON object"},
		{"null with spaces", " null\n", "", "the input is null"},
		{"empty", "", "", "the input is empty"},
		{"array", `[]`, "", "see `tandem guideline show --json`"},
		{"voice with controls and bidi", `{"voice":"a\u0000b\u001b[31m\u202e"}`, "voice", "control character (U+0000) at byte 1"},
		{"voice with a bidi override", `{"voice":"ok\u202e"}`, "voice", "bidi control (U+202E)"},
		{"banned escape", `{"banned":["ok","x\u001b[2J"]}`, "banned[1]", "control character (U+001B)"},
		{"banned empty", `{"banned":[""]}`, "banned[0]", "is required"},
		{"banned blank", `{"banned":["\u2800"]}`, "banned[0]", "invisible character (U+2800"},
		{"required newline", `{"required":["a\nb"]}`, "required[0]", "control character (U+000A)"},
		{"preferred term bidi", `{"preferred":{"a\u202eb":"c"}}`, "preferred term 1", "formatting character (U+202E"},
		{"preferred replacement blank", `{"preferred":{"a":"\u3164"}}`, "preferred term 1's replacement", "invisible character (U+3164"},
		{"max_length channel escape", `{"max_length":{"e\u001b]0;x\u0007":10}}`, "max_length channel 1", "control character (U+001B)"},
		{"max_length zero", `{"max_length":{"email":0}}`, "max_length[email]", "use a length from 1 to 100000"},
		{"max_length negative", `{"max_length":{"email":-5}}`, "max_length[email]", "is -5"},
		{"max_length huge", `{"max_length":{"email":100001}}`, "max_length[email]", "is 100001"},
		{"max_length beyond int", `{"max_length":{"email":1e99}}`, "", "max_length"},
		{"reading level 1e99", `{"reading_level":1e99}`, "reading_level", "use a grade level from 1 to 20, or 0 for none"},
		{"reading level negative", `{"reading_level":-1}`, "reading_level", "is -1"},
		{"reading level below grade 1", `{"reading_level":0.5}`, "reading_level", "is 0.5"},
		{"reading level 21", `{"reading_level":21}`, "reading_level", "is 21"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseGuideline([]byte(tc.in))
			switch {
			case tc.problem == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.problem == "":
				return
			case err == nil || !strings.Contains(err.Error(), tc.problem):
				t.Fatalf("err = %v, want %q", err, tc.problem)
			case Field(err) != tc.field:
				t.Fatalf("err = %v, on field %q, want %q", err, Field(err), tc.field)
			case strings.ContainsAny(err.Error(), "\x00\x1b\u202e\u2800\u3164"):
				t.Fatalf("the error quotes the bad value: %q", err)
			}
		})
	}
}

// Ensure that the guideline the store checks on import is held to the
// same rules as one parsed: a stored voice with an escape is refused.
func TestBrandGuideline_Validate(t *testing.T) {
	if err := (BrandGuideline{Voice: "x\x1b]0;pwned\x07"}).Validate(); Field(err) != "voice" {
		t.Fatalf("voice with an OSC: %v", err)
	}
	if err := (BrandGuideline{ReadingLevel: 8, MaxLength: map[string]int{"email": 60}}).Validate(); err != nil {
		t.Fatalf("a plain guideline: %v", err)
	}
}
