package core

import "time"

// Kind says which kind of record a change touched.
type Kind string

// The kinds of change published on the feed.
const (
	KindBrief      Kind = "brief"
	KindPerson     Kind = "person"
	KindExperiment Kind = "experiment"
	KindEvents     Kind = "events"
	KindFlow       Kind = "approval_flow"
	KindDecision   Kind = "decision"
	KindReview     Kind = "review"
	KindUser       Kind = "user"
	KindGenerated  Kind = "generated"
	KindTaxonomy   Kind = "taxonomy"
	KindGuideline  Kind = "guideline"
	KindSettings   Kind = "settings"
	KindRetroNote  Kind = "retro_note"
	KindComponent  Kind = "component"
	KindTemplate   Kind = "template"
	// KindWebhook is an alert subscription, its queue or its delivery log.
	KindWebhook Kind = "webhook"
	// KindRun is a brief's run of its template's recipe (`tandem run`).
	KindRun Kind = "run"
	// KindWorkspace is a write that may touch anything: an import.
	KindWorkspace Kind = "workspace"
)

// Change is one committed write, as published to subscribers.
type Change struct {
	// Seq is the write's audit sequence number; it grows with every write.
	Seq    uint64    `json:"seq"`
	Kind   Kind      `json:"kind"`
	Action string    `json:"action"`
	ID     string    `json:"id"`
	Actor  string    `json:"actor"`
	Time   time.Time `json:"time"`
}
