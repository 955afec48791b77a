package core

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Claim is a numeric or comparative statement in copy, which a reader
// takes as fact and which needs evidence: "23 % more sign-ups", "the
// fastest way", "#1 for teams".
type Claim struct {
	// Text is the sentence that makes the claim, as written.
	Text string `json:"text"`
	// Cue is the words that make it a claim.
	Cue string `json:"cue"`
}

// claimCues match what makes a sentence a claim: a percentage, a multiple
// ("3x", "2 times"), a rank ("#1", "number one"), a superlative, or a
// comparison against others. Bare numbers (prices, dates, counts of
// items) are not claims.
var claimCues = regexp.MustCompile(`(?i)(\d+(?:[.,]\d+)?\s*(?:%|percent\b|per cent\b)` +
	`|\b\d+(?:[.,]\d+)?\s*(?:x|times)\s+(?:more|less|faster|better|cheaper|higher|lower|as)\b` +
	`|#\s?1\b|\bnumber\s+one\b|\bno\.\s?1\b` +
	`|\b(?:fastest|best|cheapest|quickest|easiest|leading|lowest|highest|smartest|safest|most\s+(?:popular|trusted|loved|used|secure|reliable|powerful))\b` +
	`|\b(?:better|faster|cheaper|easier|more\s+\w+|less\s+\w+)\s+than\b|\b(?:more|fewer|less)\s+than\s+\d` +
	`|\btwice\s+as\b|\b(?:in\s+half|half\s+the)\b` +
	`|\bunlike\s+(?:any|other)\b|\bthan\s+any\b)`)

// notClaims are set phrases that contain a cue but claim nothing.
var notClaims = regexp.MustCompile(`(?i)\b(?:best\s+(?:regards|wishes)|all\s+the\s+best|leading\s+(?:to|up\s+to)|at\s+best)\b`)

// maxClaimText bounds a claim's sentence, as stored with its evidence.
const maxClaimText = 200

// DetectClaims returns the claims in text, one per sentence, in order.
// The text is normalised first (NormalizeClaim), so a claim written with
// full-width digits, no-break spaces or hidden characters is still found,
// and each claim's Text is the normalised sentence links are made to.
func DetectClaims(text string) []Claim {
	var out []Claim
	for _, s := range sentences(NormalizeClaim(text)) {
		if cue := claimCues.FindString(notClaims.ReplaceAllString(s, "")); cue != "" {
			out = append(out, Claim{Text: cutBytes(s, maxClaimText), Cue: strings.TrimSpace(cue)})
		}
	}
	return out
}

// NormalizeClaim is text as claims are matched and linked: compatibility
// forms folded (NFKC: "２３％" is "23%", a no-break space a space), format
// characters such as zero-width spaces dropped, and runs of spaces made
// one; line breaks are kept, as they end sentences.
func NormalizeClaim(text string) string {
	text = norm.NFKC.String(text)
	var b strings.Builder
	b.Grow(len(text))
	space := false
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Cf, r):
			continue
		case r != '\n' && unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 && r != '\n' {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// SameClaim reports whether two claim texts are the same claim: equal
// once normalised, in any case.
func SameClaim(a, b string) bool { return strings.EqualFold(NormalizeClaim(a), NormalizeClaim(b)) }

// cutBytes is s cut to at most n bytes, at a rune boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// sentences splits text at sentence ends and line breaks, trimmed.
func sentences(text string) []string {
	var out []string
	start := 0
	rs := []rune(text)
	for i, r := range rs {
		end := r == '\n' || r == '!' || r == '?' ||
			(r == '.' && (i+1 == len(rs) || rs[i+1] == ' ' || rs[i+1] == '\n') && !(i > 0 && (rs[i-1] == 'o' || rs[i-1] == 'O') && i > 1 && rs[i-2] == 'N'))
		if end {
			if s := strings.TrimSpace(string(rs[start : i+1])); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
	}
	if s := strings.TrimSpace(string(rs[start:])); s != "" {
		out = append(out, s)
	}
	return out
}

// ClaimLink ties a claim to its evidence: a decided experiment, or a
// source a person attaches (a study, a report, legal's sign-off).
type ClaimLink struct {
	Claim      string    `json:"claim"`
	Experiment string    `json:"experiment,omitempty"`
	Source     string    `json:"source,omitempty"`
	Actor      string    `json:"actor"`
	Time       time.Time `json:"time"`
}

// Validate returns an error naming every invalid field of l.
func (l ClaimLink) Validate() error {
	f := fieldErrors{record: "claim link"}
	f.name("claim", l.Claim, maxClaimText, true)
	f.name("source", l.Source, maxText, false)
	if (l.Experiment == "") == (l.Source == "") {
		f.add("evidence", "names neither or both; link an experiment or a source")
	}
	if l.Experiment != "" && !ValidKey(l.Experiment) {
		f.add("experiment", "is not a key; use 1 to 63 lower-case letters, digits, '.', '_' or '-'")
	}
	return f.err()
}

// ClaimState is how far a claim is backed.
type ClaimState string

// The claim states.
const (
	ClaimSupported   ClaimState = "supported"
	ClaimUnsupported ClaimState = "unsupported"
	// ClaimStale: its experiment has been contradicted by a later decided
	// experiment on the same channel and audience.
	ClaimStale ClaimState = "stale"
)

// ClaimStatus is one claim in a review's copy with its evidence.
type ClaimStatus struct {
	Claim
	State ClaimState `json:"state"`
	// Evidence says what backs it, or why it is not backed, in words.
	Evidence string `json:"evidence"`
}

// ClaimsOf checks every claim in copy against the links: a source backs a
// claim; an experiment backs it while its declared winner is a treatment
// whose result still holds (results, by key), and goes stale once a later
// decided experiment on the same channel and audience declared its
// control the winner.
func ClaimsOf(copy string, links []ClaimLink, experiments []Experiment, results map[string]Result) []ClaimStatus {
	byKey := make(map[string]Experiment, len(experiments))
	for _, e := range experiments {
		byKey[e.Key] = e
	}
	var out []ClaimStatus
	for _, c := range DetectClaims(copy) {
		st := ClaimStatus{Claim: c, State: ClaimUnsupported, Evidence: "no evidence linked"}
		for _, l := range links {
			if !SameClaim(l.Claim, c.Text) {
				continue
			}
			if l.Source != "" {
				st.State, st.Evidence = ClaimSupported, "source: "+l.Source
				break
			}
			st.State, st.Evidence = experimentBacks(c, byKey[l.Experiment], l.Experiment, experiments, results)
			if st.State == ClaimSupported {
				break
			}
		}
		out = append(out, st)
	}
	return out
}

// experimentBacks says whether experiment e backs claim c, and how: a
// percentage claimed must not exceed the lift the experiment measured.
func experimentBacks(c Claim, e Experiment, key string, all []Experiment, results map[string]Result) (ClaimState, string) {
	r, holds := results[key]
	switch {
	case e.Key == "":
		return ClaimUnsupported, "experiment " + key + " no longer exists"
	case e.Winner == "" || !holds || r.Evidence != EvidenceDeclared:
		return ClaimUnsupported, "experiment " + key + " has no declared winner whose data holds"
	}
	if v, ok := e.Variant(e.Winner); !ok || v.Control {
		return ClaimUnsupported, "experiment " + key + " declared its control the winner"
	}
	for _, later := range all {
		if later.Key == e.Key || later.Winner == "" || !later.Decided.After(e.Decided) ||
			!strings.EqualFold(later.Channel, e.Channel) || !strings.EqualFold(later.Audience, e.Audience) {
			continue
		}
		if v, ok := later.Variant(later.Winner); ok && v.Control {
			return ClaimStale, "experiment " + key + " was contradicted by " + later.Key + ", decided later on the same channel and audience"
		}
	}
	if pct, ok := claimedPercent(c.Cue); ok && pct > 100*r.Lift+0.5 {
		return ClaimUnsupported, fmt.Sprintf("claims %g%%, but experiment %s measured %+.1f%%", pct, key, 100*r.Lift)
	}
	return ClaimSupported, fmt.Sprintf("experiment %s: %s declared winner, %+.1f%%", key, e.Winner, 100*r.Lift)
}

// claimedPercent is the percentage a cue such as "23 %" or "2,5%" states.
func claimedPercent(cue string) (float64, bool) {
	lower := strings.ToLower(strings.TrimSpace(cue))
	num, ok := "", false
	for _, unit := range []string{"%", "per cent", "percent"} {
		if num, ok = strings.CutSuffix(lower, unit); ok {
			break
		}
	}
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(num), ",", "."), 64)
	return v, err == nil && finite(v)
}
