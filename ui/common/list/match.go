package list

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sahilm/fuzzy"
)

// matcher is a filter query: a value matches when it holds the query's
// characters in order, ignoring case, as sahilm/fuzzy matches. Whether a
// value matches is all the list needs for every row, and a plain
// subsequence scan answers that several times faster than fuzzy's scoring;
// fuzzy finds the characters to mark only for the rows on screen.
type matcher struct {
	query string
	runes []rune // lower case
}

func newMatcher(query string) matcher {
	runes := []rune(strings.ToLower(query))
	return matcher{query: query, runes: runes}
}

// matches reports whether value holds the query's characters in order.
func (q matcher) matches(value string) bool {
	n := 0
	for i := 0; i < len(value) && n < len(q.runes); {
		r, size := rune(value[i]), 1
		switch {
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r >= utf8.RuneSelf:
			r, size = utf8.DecodeRuneInString(value[i:])
			r = unicode.ToLower(r)
		}
		if r == q.runes[n] {
			n++
		}
		i += size
	}
	return n == len(q.runes)
}

// marked is the byte offsets of value the query matched, as fuzzy scores
// them (the best-placed characters, not the first).
func (q matcher) marked(value string) []int {
	found := fuzzy.Find(q.query, []string{value})
	if len(found) == 0 {
		return nil
	}
	return found[0].MatchedIndexes
}
