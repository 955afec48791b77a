package core

import (
	"strings"
	"testing"
)

// Ensure that names differing only by case (Unicode simple folding) or
// spacing share a key, and names that differ otherwise do not.
func TestNameKey(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"Ana Ruiz", "ana ruiz", true},
		{"Ana Ruiz", "  ANA   RUIZ ", true},
		{"Ana Ruiz", "Ana\tRuiz", true},
		{"Zoë", "ZOË", true},
		{"Kai", "\u212aai", true}, // KELVIN SIGN folds to k
		{"Σοφία", "σοφία", true},
		{"Ana Ruiz", "Ana Ruíz", false},
		{"Ana Ruiz", "AnaRuiz", false},
		{"Ana", "Anna", false},
	} {
		if got := NameKey(tc.a) == NameKey(tc.b); got != tc.same {
			t.Errorf("NameKey(%q) == NameKey(%q) is %v, want %v", tc.a, tc.b, got, tc.same)
		}
		if tc.same != strings.EqualFold(strings.Join(strings.Fields(tc.a), " "), strings.Join(strings.Fields(tc.b), " ")) {
			t.Errorf("%q and %q: NameKey disagrees with strings.EqualFold", tc.a, tc.b)
		}
	}
}

// Ensure that DuplicateName refuses a name another person has but for
// case and spacing, naming them, and lets a person keep their own.
func TestDuplicateName(t *testing.T) {
	people := []Person{{ID: 1, Name: "Ana Ruiz"}, {ID: 2, Name: "Bo Li"}}
	err := DuplicateName(Person{Name: "ana  ruiz"}, people)
	if Field(err) != "name" || !strings.Contains(err.Error(), `person 1's name, "Ana Ruiz"`) {
		t.Fatalf("near-duplicate: %v", err)
	}
	if err := DuplicateName(Person{ID: 1, Name: "ANA RUIZ"}, people); err != nil {
		t.Fatalf("renaming oneself in another case: %v", err)
	}
	if err := DuplicateName(Person{Name: "Ana Ruíz"}, people); err != nil {
		t.Fatalf("a different name: %v", err)
	}
}
