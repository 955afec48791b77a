package core

import (
	"fmt"
	"slices"
	"time"
)

// TagRetroAction marks a brief filed as a retro's action on a stalled
// brief. tandem sets it itself, so the taxonomy need not list it.
const TagRetroAction = "retro-action"

// UnblockBrief is the action brief a retro files for a brief stalled for
// d: owned and aimed like it, due in three days at now.
func UnblockBrief(stalled Brief, d time.Duration, now time.Time) Brief {
	return Brief{
		Title:     "Unblock: " + stalled.Title,
		Objective: fmt.Sprintf("Retro action: #%d has sat %.0f days in %s. Find what blocks it and clear it.", stalled.ID, d.Hours()/24, stalled.Stage),
		Owner:     stalled.Owner, Channel: stalled.Channel, Audience: stalled.Audience, Campaign: stalled.Campaign,
		Tags: []string{TagRetroAction}, Due: now.AddDate(0, 0, 3), EstimateHours: 1,
	}
}

// OpenDuplicate returns the open brief among briefs (not yet live) that
// b would duplicate: the same title, and for a retro action the same tag.
func OpenDuplicate(b Brief, briefs []Brief) (Brief, bool) {
	for _, o := range briefs {
		if o.Stage < StageLive && o.Title == b.Title && (!slices.Contains(b.Tags, TagRetroAction) || slices.Contains(o.Tags, TagRetroAction)) {
			return o, true
		}
	}
	return Brief{}, false
}
