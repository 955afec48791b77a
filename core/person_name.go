package core

import (
	"fmt"
	"strings"
	"unicode"
)

// NameKey is what two names share when they name the same person: the
// name with its whitespace trimmed and each run of it made one space, and
// every letter case-folded as strings.EqualFold folds it ("Ana  Ruiz",
// "ana ruiz" and "ANA RUIZ" share a key). Capacity matches a brief's
// owner to a person by it, so no two people may share one.
func NameKey(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for i, word := range strings.Fields(name) {
		if i > 0 {
			b.WriteByte(' ')
		}
		for _, r := range word {
			b.WriteRune(foldRune(r))
		}
	}
	return b.String()
}

// foldRune returns the smallest rune of r's simple case-folding orbit, so
// that runes strings.EqualFold takes as equal fold to the same one.
func foldRune(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

// DuplicateName returns a *FieldError on p's name when another of people
// (one with another ID) has the same NameKey, naming that person; nil
// when the name is p's own.
func DuplicateName(p Person, people []Person) error {
	key := NameKey(p.Name)
	for _, other := range people {
		if other.ID != p.ID && NameKey(other.Name) == key {
			return &FieldError{Record: "person", Field: "name", Problem: fmt.Sprintf(
				"is already person %d's name, %q, but for case or spacing; edit that person, or give a name that tells them apart", other.ID, other.Name)}
		}
	}
	return nil
}
