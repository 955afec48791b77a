package core

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// LintSeverity ranks a brand-lint finding.
type LintSeverity string

// The severities: errors block approval in spirit, warnings are advice.
const (
	LintError   LintSeverity = "error"
	LintWarning LintSeverity = "warning"
)

// LintFinding is one brand-rule problem in a piece of copy.
type LintFinding struct {
	Rule     string       `json:"rule"`
	Severity LintSeverity `json:"severity"`
	// Pos and Len locate the problem in the copy, in bytes; Len is 0 for
	// problems of the whole text.
	Pos     int    `json:"pos"`
	Len     int    `json:"len"`
	Message string `json:"message"`
}

// LintResult is the findings and a 0–100 score (100: no findings).
type LintResult struct {
	Score    int           `json:"score"`
	Findings []LintFinding `json:"findings"`
}

// MarshalJSON implements json.Marshaler: findings are [] when there are
// none, never null, whether the result was computed just now or read back.
func (r LintResult) MarshalJSON() ([]byte, error) {
	type plain LintResult // without this method
	if r.Findings == nil {
		r.Findings = []LintFinding{}
	}
	return json.Marshal(plain(r))
}

// Penalties per finding, so the score means the same everywhere.
const (
	penaltyBanned   = 25
	penaltyRequired = 20
	penaltyLength   = 15
	penaltyPrefer   = 5
	penaltyReading  = 10
)

// Lint checks copy for channel against the brand guideline: banned terms,
// preferred wording, required claims, the channel's length limit and the
// reading level. It is pure and offline.
func Lint(text, channel string, g BrandGuideline) LintResult {
	var r LintResult
	lower := strings.ToLower(text)
	penalty := 0
	add := func(f LintFinding, p int) {
		r.Findings = append(r.Findings, f)
		penalty += p
	}
	for _, term := range g.Banned {
		for _, pos := range termPositions(lower, strings.ToLower(term)) {
			add(LintFinding{Rule: "banned", Severity: LintError, Pos: pos, Len: len(term), Message: fmt.Sprintf("%q is banned by the brand guidelines", term)}, penaltyBanned)
		}
	}
	for _, from := range sortedKeys(g.Preferred) {
		for _, pos := range termPositions(lower, strings.ToLower(from)) {
			add(LintFinding{Rule: "preferred", Severity: LintWarning, Pos: pos, Len: len(from), Message: fmt.Sprintf("say %q rather than %q", g.Preferred[from], from)}, penaltyPrefer)
		}
	}
	for _, claim := range g.Required {
		if !strings.Contains(lower, strings.ToLower(claim)) {
			add(LintFinding{Rule: "required", Severity: LintError, Message: fmt.Sprintf("missing the required %q", claim)}, penaltyRequired)
		}
	}
	if limit, ok := g.MaxLength[channel]; ok && len([]rune(text)) > limit {
		add(LintFinding{Rule: "length", Severity: LintError, Message: fmt.Sprintf("%d characters; %s allows %d", len([]rune(text)), channel, limit)}, penaltyLength)
	}
	if g.ReadingLevel > 0 {
		if grade, ok := ReadingGrade(text); ok && grade > g.ReadingLevel+1 {
			add(LintFinding{Rule: "reading-level", Severity: LintWarning, Message: fmt.Sprintf("reads at grade %.1f; aim for %.0f or lower", grade, g.ReadingLevel)}, penaltyReading)
		}
	}
	r.Score = max(100-penalty, 0)
	return r
}

// termPositions finds whole-word occurrences of term in text (both lower
// case): term neither preceded nor followed by a letter or a digit. It
// reports what the pattern `(^|[^\pL\pN])term($|[^\pL\pN])` finds, a
// match's boundary characters included, without compiling one per term:
// every session's approval queue lints every review on every write.
func termPositions(text, term string) []int {
	if term == "" {
		return nil
	}
	var out []int
	from := 0 // where the next match may begin: the last one's end
	for search := 0; search < len(text); {
		i := strings.Index(text[search:], term)
		if i < 0 {
			break
		}
		pos := search + i
		end, ok := wholeWordAt(text, term, pos, from)
		if !ok {
			search = pos + 1
			continue
		}
		out = append(out, pos)
		from, search = end, end
	}
	return out
}

// wholeWordAt reports whether term at pos stands on its own, with its
// leading boundary at or after from, and where the match ends, past the
// trailing boundary character.
func wholeWordAt(text, term string, pos, from int) (end int, ok bool) {
	if pos > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:pos])
		if pos-size < from || isWordRune(r) {
			return 0, false
		}
	}
	end = pos + len(term)
	if end == len(text) {
		return end, true
	}
	r, size := utf8.DecodeRuneInString(text[end:])
	if isWordRune(r) {
		return 0, false
	}
	return end + size, true
}

// isWordRune is a letter or a digit of any script.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ReadingGrade is the Flesch–Kincaid grade level of text, and false for
// text too short to grade (fewer than ten words).
func ReadingGrade(text string) (float64, bool) {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	if len(words) < 10 {
		return 0, false
	}
	sentences := max(strings.Count(text, ".")+strings.Count(text, "!")+strings.Count(text, "?"), 1)
	syllables := 0
	for _, w := range words {
		syllables += countSyllables(w)
	}
	n := float64(len(words))
	return 0.39*n/float64(sentences) + 11.8*float64(syllables)/n - 15.59, true
}

// countSyllables estimates syllables as vowel groups, less a silent final e.
func countSyllables(word string) int {
	w := strings.ToLower(word)
	count, prevVowel := 0, false
	for _, r := range w {
		v := strings.ContainsRune("aeiouy", r)
		if v && !prevVowel {
			count++
		}
		prevVowel = v
	}
	if strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "le") && count > 1 {
		count--
	}
	return max(count, 1)
}
