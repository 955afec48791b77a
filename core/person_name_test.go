package core

import (
	"strings"
	"testing"
)

// Ensure that names differing only by case (Unicode full case folding),
// spacing, composed or decomposed accents or the joiners and variation
// selectors a name may hold share a key, and names that differ otherwise
// do not.
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
		{"Σοφίας", "ΣΟΦΊΑΣ", true},                // final sigma folds to σ
		{"\u00c9va Lind", "E\u0301va Lind", true}, // composed and decomposed É
		{"\u00c9VA LIND", "e\u0301va lind", true},
		{"Straße", "STRASSE", true}, // full folding: ß is ss
		{"ad\u200dmin", "admin", true},
		{"❤\ufe0f Ana", "❤ ana", true},
		{"محمد\u200cزاده", "محمدزاده", true},
		{"Éva Lind", "Eva Lind", false},
		{"Ana Ruiz", "Ana Ruíz", false},
		{"Ana Ruiz", "AnaRuiz", false},
		{"Ana", "Anna", false},
	} {
		if got := SameName(tc.a, tc.b); got != tc.same {
			t.Errorf("SameName(%q, %q) is %v, want %v", tc.a, tc.b, got, tc.same)
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
	if err := DuplicateName(Person{Name: "ANA RUI\u0301Z"}, []Person{{ID: 3, Name: "Ana Ru\u00edz"}}); Field(err) != "name" {
		t.Fatalf("the same name decomposed: %v", err)
	}
	if err := DuplicateName(Person{Name: "Ana Ruíz"}, people); err != nil {
		t.Fatalf("a different name: %v", err)
	}
}
