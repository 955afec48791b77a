package core

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Text limits keep records small enough to render and store cheaply.
// They count bytes as stored (UTF-8): an accented letter is 2, an emoji 4.
const (
	maxTitle = 200
	maxText  = 4000
	maxName  = 80
)

// Limits of a brief's text fields and of every name (owner, channel, tag,
// skill…), in bytes as stored, for forms to check and say.
const (
	MaxTitleBytes = maxTitle
	MaxTextBytes  = maxText
	MaxNameBytes  = maxName
	MaxTags       = 32
)

// Brief is a request for content. It carries the performance context MOps
// knows at intake (objective, audience, channel, KPI target) into the work
// CreativeOps plans and delivers.
type Brief struct {
	ID uint64 `json:"id"`
	// Version counts the writes to the brief: 1 when filed, one more on
	// every edit or move. An edit states the version it was made from.
	Version       uint64    `json:"version,omitempty"`
	Title         string    `json:"title"`
	Objective     string    `json:"objective,omitempty"`
	Audience      string    `json:"audience,omitempty"`
	Channel       string    `json:"channel,omitempty"`
	Campaign      string    `json:"campaign,omitempty"`
	KPITarget     string    `json:"kpi_target,omitempty"`
	AssetType     string    `json:"asset_type,omitempty"`
	Skill         string    `json:"skill,omitempty"`
	Tags          []string  `json:"tags,omitempty"`
	Stage         Stage     `json:"stage"`
	Owner         string    `json:"owner,omitempty"`
	Start         time.Time `json:"start,omitzero"`
	Due           time.Time `json:"due,omitzero"`
	EstimateHours float64   `json:"estimate_hours,omitempty"`
	Created       time.Time `json:"created,omitzero"`
	Updated       time.Time `json:"updated,omitzero"`
	// Template and TemplateVersion name the brief template the brief was
	// made from, if any; the store keeps them as filed.
	Template        string `json:"template,omitempty"`
	TemplateVersion uint64 `json:"template_version,omitempty"`
	// Checklist is the template's checklist, ticked as the work goes; its
	// required items gate the move into review.
	Checklist []ChecklistItem `json:"checklist,omitempty"`
}

// HasEstimate reports whether the brief says how many hours it needs. A
// brief without one is flagged in planning rather than counted as zero.
func (b Brief) HasEstimate() bool { return b.EstimateHours > 0 }

// Undated reports whether the brief asks for hours but has no due date,
// while open: capacity cannot place its hours in any week, so it is
// flagged on the board and in capacity rather than left out silently.
func (b Brief) Undated() bool {
	return b.HasEstimate() && b.Due.IsZero() && b.Stage < StageApproved
}

// Late reports whether the brief is past due at now and not yet live.
func (b Brief) Late(now time.Time) bool {
	return !b.Due.IsZero() && b.Stage < StageLive && now.After(b.Due)
}

// AtRisk reports whether the brief is due within the given window at now and
// not yet approved.
func (b Brief) AtRisk(now time.Time, window time.Duration) bool {
	return !b.Due.IsZero() && b.Stage < StageApproved && !b.Late(now) && b.Due.Sub(now) <= window
}

// Normalize trims free text, puts it in NFC (see NormalizeName) and sorts
// and de-duplicates tags, so that equal briefs encode to equal bytes.
func (b *Brief) Normalize() {
	for _, f := range []*string{&b.Title, &b.Objective, &b.Audience, &b.Channel, &b.Campaign, &b.KPITarget, &b.AssetType, &b.Skill, &b.Owner} {
		*f = NormalizeName(strings.TrimSpace(*f))
	}
	tags := b.Tags[:0:0]
	for _, t := range b.Tags {
		if t = strings.ToLower(NormalizeName(strings.TrimSpace(t))); t != "" {
			tags = append(tags, t)
		}
	}
	slices.Sort(tags)
	b.Tags = slices.Compact(tags)
	if len(b.Tags) == 0 {
		b.Tags = nil
	}
}

// maxEstimateHours bounds a brief's estimate: a year of one person's work.
const maxEstimateHours = 2000

// Validate returns an error naming every invalid field of b.
func (b Brief) Validate() error {
	f := fieldErrors{record: "brief"}
	f.name("title", b.Title, maxTitle, true)
	f.text("objective", b.Objective, maxText)
	for name, v := range map[string]string{"audience": b.Audience, "channel": b.Channel, "campaign": b.Campaign, "asset_type": b.AssetType, "skill": b.Skill, "owner": b.Owner, "kpi_target": b.KPITarget} {
		f.name(name, v, maxName, false)
	}
	if !b.Stage.Valid() {
		f.add("stage", "is %d; use a board stage", b.Stage)
	}
	if !(b.EstimateHours >= 0 && b.EstimateHours <= maxEstimateHours) { // NaN fails too
		f.add("estimate", "is %g hours; use 0 to %d", b.EstimateHours, maxEstimateHours)
	}
	if !b.Start.IsZero() && !b.Due.IsZero() && b.Due.Before(b.Start) {
		f.add("due", "is before start (%s); set a due date on or after the start", b.Start.Format(time.DateOnly))
	}
	if len(b.Tags) > MaxTags {
		f.add("tags", "has %d tags; at most %d are allowed", len(b.Tags), MaxTags)
	}
	for i, t := range b.Tags {
		f.name(fmt.Sprintf("tags[%d]", i), t, maxName, true)
	}
	f.name("template", b.Template, maxName, false)
	if (b.Template == "") != (b.TemplateVersion == 0) {
		f.add("template_version", "is %d for template %q; a template and its version go together", b.TemplateVersion, b.Template)
	}
	checkChecklist(&f, b.Checklist)
	return f.err()
}
