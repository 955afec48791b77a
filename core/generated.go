package core

import (
	"encoding/json"
	"math"
	"strings"
	"time"
)

// Copy is one structured piece of generated copy.
type Copy struct {
	Headline  string `json:"headline"`
	Body      string `json:"body"`
	CTA       string `json:"cta"`
	Rationale string `json:"rationale"`
}

// Text is the copy as it would ship: headline, body and call to action.
func (c Copy) Text() string {
	return strings.TrimSpace(c.Headline + "\n" + c.Body + "\n" + c.CTA)
}

// Validate returns an error naming every missing or oversized part.
func (c Copy) Validate() error {
	f := fieldErrors{record: "copy"}
	f.required("headline", c.Headline)
	f.required("body", c.Body)
	f.required("cta", c.CTA)
	f.maxLen("headline", c.Headline, maxTitle)
	f.maxLen("body", c.Body, maxText)
	f.maxLen("cta", c.CTA, maxName)
	return f.err()
}

// Provenance records exactly how a variant was made, so it can be made
// again and audited.
type Provenance struct {
	Model            string   `json:"model"`
	Digest           string   `json:"digest"`
	Seed             int      `json:"seed"`
	Temperature      float64  `json:"temperature"`
	NumCtx           int      `json:"num_ctx"`
	PromptHash       string   `json:"prompt_hash"`
	GuidelineVersion uint64   `json:"guideline_version"`
	Sources          []string `json:"sources,omitempty"`
	TokensIn         int      `json:"tokens_in"`
	TokensOut        int      `json:"tokens_out"`
	Attempts         int      `json:"attempts"`
	// Truncated says the prompt filled the model's context window, so the
	// model may not have seen all of the brief and guidelines.
	Truncated bool `json:"truncated,omitempty"`
	// Duration is how long the generation took; JSON carries it as
	// duration_ms.
	Duration time.Duration `json:"-"`
	Cost     float64       `json:"cost"`
}

// provenanceJSON is Provenance as JSON holds it: the duration in
// milliseconds, and, read only, the nanoseconds records made before
// tandem spelled units in keys.
type provenanceJSON struct {
	provenanceFields
	DurationMS     *float64 `json:"duration_ms,omitempty"`
	LegacyDuration *int64   `json:"duration,omitempty"`
}

// provenanceFields is Provenance without its methods, so that encoding it
// does not recurse.
type provenanceFields Provenance

// MarshalJSON implements json.Marshaler.
func (p Provenance) MarshalJSON() ([]byte, error) {
	ms := float64(p.Duration) / float64(time.Millisecond)
	return json.Marshal(provenanceJSON{provenanceFields: provenanceFields(p), DurationMS: &ms})
}

// UnmarshalJSON implements json.Unmarshaler.
func (p *Provenance) UnmarshalJSON(b []byte) error {
	var v provenanceJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = Provenance(v.provenanceFields)
	switch {
	case v.DurationMS != nil:
		p.Duration = time.Duration(math.Round(*v.DurationMS * float64(time.Millisecond)))
	case v.LegacyDuration != nil:
		p.Duration = time.Duration(*v.LegacyDuration)
	}
	return nil
}

// GeneratedVariant is a variant the studio made for a brief.
type GeneratedVariant struct {
	ID         uint64     `json:"id"`
	BriefID    uint64     `json:"brief_id"`
	Copy       Copy       `json:"copy"`
	Lint       LintResult `json:"lint"`
	Provenance Provenance `json:"provenance"`
	Created    time.Time  `json:"created"`
}
