package core

import "time"

// Snapshot is the workspace as the views show it, read in one transaction
// after each change so that views render from memory and never block on
// the store. It is also the message that carries it to the views. Sessions
// share snapshots: treat every slice and map in one as read-only.
type Snapshot struct {
	Briefs []Brief
	// BriefsByID indexes Briefs; it is shared by every session that holds
	// the snapshot and must not be changed.
	BriefsByID  map[uint64]Brief
	People      []Person
	Experiments []Experiment
	// Totals holds each experiment's per-variant totals by experiment key.
	Totals    map[string]map[string]VariantTotals
	Taxonomy  Taxonomy
	WIPLimits WIPLimits
	Reviews   []Review
	Flows     []ApprovalFlow
	Guideline BrandGuideline
	// Webhooks are the alert subscriptions and how their deliveries stand.
	Webhooks []Webhook
	// Runs are the briefs' runs of their templates' recipes, by brief ID.
	Runs []Run
	// Hours and Holidays are the calendar SLAs and capacity use.
	Hours    WorkingHours
	Holidays []time.Time
	// Guards are the workspace's default experiment guards.
	Guards Guards
	// Seq is the audit sequence number the snapshot was read at, and
	// Change the write that made it (zero before any write).
	Seq    uint64
	Change Change
}

// ByID returns the briefs by ID, indexing them when the snapshot was made
// by hand rather than read.
func (s Snapshot) ByID() map[uint64]Brief {
	if s.BriefsByID != nil {
		return s.BriefsByID
	}
	return BriefsByID(s.Briefs)
}

// BriefsByID indexes briefs by ID.
func BriefsByID(briefs []Brief) map[uint64]Brief {
	m := make(map[uint64]Brief, len(briefs))
	for _, b := range briefs {
		m[b.ID] = b
	}
	return m
}
