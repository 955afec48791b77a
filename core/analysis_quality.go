package core

import (
	"fmt"
	"time"
)

// CrossExposureThreshold is the share of units exposed to more than one
// variant past which an experiment is flagged: GrowthBook's 1 %.
const CrossExposureThreshold = 0.01

// DataQuality says what the counting left out or could not separate.
type DataQuality struct {
	// Unattributed counts conversion and revenue events from units not
	// exposed to their variant before them (or outside the conversion
	// window); UnattributedRevenue is their revenue. Neither is in any
	// rate or mean.
	Unattributed        uint64  `json:"unattributed"`
	UnattributedRevenue float64 `json:"unattributed_revenue"`
	// CrossExposed counts exposures of units exposed to more than one
	// variant, once per variant; CrossShare is their share of exposures.
	CrossExposed uint64  `json:"cross_exposed"`
	CrossShare   float64 `json:"cross_share"`
	// CrossFlagged is whether CrossShare is past the threshold.
	CrossFlagged bool `json:"cross_flagged"`
	// CrossExcluded is whether those units were left out of the analysis.
	CrossExcluded bool `json:"cross_excluded"`
	// Lines say the above in words, one data-quality line each.
	Lines []string `json:"lines,omitempty"`
}

// qualityOf sums an experiment's unattributed events and cross-exposed
// units over its variants.
func qualityOf(e Experiment, totals map[string]VariantTotals) DataQuality {
	q := DataQuality{CrossExcluded: e.ExcludeCrossExposed}
	var exposures uint64
	for _, v := range e.Variants {
		t := totals[v.Key]
		q.Unattributed += t.Unattributed
		q.UnattributedRevenue += t.UnattributedRevenue
		q.CrossExposed += t.Cross.Units
		exposures += t.Exposures
	}
	if !finite(q.UnattributedRevenue) {
		q.UnattributedRevenue = 0
	}
	if exposures > 0 {
		q.CrossShare = float64(q.CrossExposed) / float64(exposures)
	}
	q.CrossFlagged = q.CrossShare > CrossExposureThreshold
	if q.Unattributed > 0 {
		line := fmt.Sprintf("%d conversion or revenue events came from units not exposed to that variant before them", q.Unattributed)
		if q.UnattributedRevenue > 0 {
			line += fmt.Sprintf(" (revenue %.2f)", q.UnattributedRevenue)
		}
		q.Lines = append(q.Lines, line+"; they are left out: check that exposures are logged before conversions")
	}
	switch {
	case q.CrossExposed > 0 && q.CrossExcluded:
		q.Lines = append(q.Lines, fmt.Sprintf("%d exposures (%.1f %%) were of units that saw more than one variant; they are left out", q.CrossExposed, 100*q.CrossShare))
	case q.CrossFlagged:
		q.Lines = append(q.Lines, fmt.Sprintf("%d exposures (%.1f %%, over %g %%) were of units that saw more than one variant: check the assignment, or leave them out with --exclude-cross", q.CrossExposed, 100*q.CrossShare, 100*CrossExposureThreshold))
	}
	return q
}

// withoutCross returns the totals without cross-exposed units.
func withoutCross(totals map[string]VariantTotals) map[string]VariantTotals {
	out := make(map[string]VariantTotals, len(totals))
	for k, t := range totals {
		out[k] = t.WithoutCross()
	}
	return out
}

// runtimeOf is the experiment's start (set, else its earliest event) and
// how long it has run: to its latest event, or now if that is earlier. An
// experiment whose totals carry no times (none yet) runs from its set
// start to now.
func runtimeOf(e Experiment, totals map[string]VariantTotals, now time.Time) (time.Time, time.Duration) {
	start, end := e.Started, time.Time{}
	for _, v := range e.Variants {
		t := totals[v.Key]
		if e.Started.IsZero() && !t.First.IsZero() && (start.IsZero() || t.First.Before(start)) {
			start = t.First
		}
		if t.Last.After(end) {
			end = t.Last
		}
	}
	if end.IsZero() || end.After(now) {
		end = now
	}
	if start.IsZero() || end.Before(start) {
		return start, 0
	}
	return start, end.Sub(start)
}
