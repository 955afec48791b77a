package core

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// NameKey is what two names share when they name the same person, by
// Unicode's canonical caseless match: the name with its whitespace
// trimmed and each run of it made one space, its default-ignorable code
// points (joiners, variation selectors) dropped as UTS #39 drops them
// from a look-alike skeleton, fully case-folded and in NFC. "Ana  Ruiz"
// and "ANA RUIZ", "Éva" composed and decomposed, "Straße" and "STRASSE",
// "ad‍min" and "admin" share a key. Capacity matches a brief's owner to
// a person by it, so no two people may share one.
func NameKey(name string) string {
	if isASCII(name) { // most names, and capacity keys every owner of every brief
		return strings.ToLower(strings.Join(strings.Fields(name), " "))
	}
	var b strings.Builder
	b.Grow(len(name))
	for i, word := range strings.Fields(norm.NFD.String(name)) {
		if i > 0 {
			b.WriteByte(' ')
		}
		for _, r := range word {
			if !ignorable(r) {
				b.WriteRune(r)
			}
		}
	}
	return norm.NFC.String(cases.Fold().String(b.String()))
}

// isASCII reports whether s is ASCII only, where full case folding is
// lower-casing and every form is NFC.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// SameName reports whether a and b name the same person: whether they
// share a NameKey.
func SameName(a, b string) bool { return NameKey(a) == NameKey(b) }

// NormalizeName returns name in NFC, the form names are stored in, so
// that a name typed with a combining accent is found by the same name
// typed with a precomposed one, byte for byte.
func NormalizeName(name string) string { return norm.NFC.String(name) }

// ignorable reports whether r draws nothing in a name that validated:
// a joiner, a format character or another blank code point.
func ignorable(r rune) bool { return unicode.Is(unicode.Cf, r) || blank(r) }

// DuplicateName returns a *FieldError on p's name when another of people
// (one with another ID) has the same NameKey, naming that person; nil
// when the name is p's own.
func DuplicateName(p Person, people []Person) error {
	key := NameKey(p.Name)
	for _, other := range people {
		if other.ID != p.ID && NameKey(other.Name) == key {
			return &FieldError{Record: "person", Field: "name", Problem: fmt.Sprintf(
				"is already person %d's name, %q, but for case, spacing or Unicode form; edit that person, or give a name that tells them apart", other.ID, other.Name)}
		}
	}
	return nil
}

// Normalize puts p's name and skills in NFC (see NormalizeName), as the
// store keeps them.
func (p *Person) Normalize() {
	p.Name = NormalizeName(p.Name)
	if p.Skills != nil {
		skills := make([]string, len(p.Skills)) // not the caller's array
		for i, s := range p.Skills {
			skills[i] = NormalizeName(s)
		}
		p.Skills = skills
	}
}
