package list

import (
	"strings"
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

// matches reports whether lower, a value in lower case, holds the
// query's characters in order. Each is found with strings.IndexByte (or
// IndexRune), which scans far faster than a loop over the bytes.
func (q matcher) matches(lower string) bool {
	for _, r := range q.runes {
		var i int
		if r < utf8.RuneSelf {
			i = strings.IndexByte(lower, byte(r))
		} else {
			i = strings.IndexRune(lower, r)
		}
		if i < 0 {
			return false
		}
		lower = lower[i+utf8.RuneLen(r):]
	}
	return true
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
