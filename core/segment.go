package core

import (
	"cmp"
	"slices"
	"time"
)

// MaxSegmentLevels is how many values of an attribute a breakdown shows:
// the largest by units; the rest are counted, not shown.
const MaxSegmentLevels = 20

// SegmentNone is the level of units that never gave the attribute.
const SegmentNone = "(none)"

// SegmentNote is what every breakdown says: its slices are for finding
// where to look next, not for deciding.
const SegmentNote = "slices are exploratory: with many slices some differ by chance, and their intervals do not account for it; no winner is declared from a slice"

// Breakdown is an experiment's results by one attribute of its units.
type Breakdown struct {
	Attr   string    `json:"attr"`
	Note   string    `json:"note"`
	Levels []Segment `json:"levels"`
	// Omitted counts the levels past MaxSegmentLevels, left out.
	Omitted int `json:"omitted_levels"`
}

// Segment is one value of the attribute: each arm's numbers on its units,
// with lifts and intervals as the experiment's rule computes them, but no
// verdict.
type Segment struct {
	Value string       `json:"value"`
	Units uint64       `json:"units"`
	Arms  []SegmentArm `json:"arms"`
}

// SegmentArm is one arm in a segment.
type SegmentArm struct {
	Variant        string    `json:"variant"`
	Control        bool      `json:"control,omitempty"`
	Units          uint64    `json:"units"`
	Converters     uint64    `json:"converters"`
	Rate           *float64  `json:"rate"`
	Lift           *Lift     `json:"lift"`
	RevenuePerUnit *float64  `json:"revenue_per_unit"`
	Revenue        *MeanLift `json:"revenue"`
}

// BreakDown analyzes e's slices by the attribute attr, given each
// value's variant totals: the MaxSegmentLevels largest by units, each with
// the experiment's rule and guards (def unless its own) for its lifts and
// intervals, and no verdict or winner.
func BreakDown(e Experiment, attr string, levels map[string]map[string]VariantTotals, now time.Time, def Guards) Breakdown {
	b := Breakdown{Attr: attr, Note: SegmentNote, Levels: make([]Segment, 0, min(len(levels), MaxSegmentLevels))}
	var order []segmentLevel
	order, b.Omitted = largestLevels(levels)
	e.Winner = "" // a slice never has one
	for _, l := range order {
		a := Analyze(e, levels[l.value], now, def)
		s := Segment{Value: l.value, Units: l.units, Arms: make([]SegmentArm, len(a.Arms))}
		for i, arm := range a.Arms {
			s.Arms[i] = SegmentArm{Variant: arm.Variant.Key, Control: arm.Variant.Control, Units: arm.Totals.Exposures, Converters: arm.Totals.Converters,
				Rate: arm.Rate, Lift: arm.Lift, RevenuePerUnit: arm.RevenuePerUnit, Revenue: arm.Revenue}
		}
		b.Levels = append(b.Levels, s)
	}
	return b
}

// segmentLevel is one value of an attribute and its units.
type segmentLevel struct {
	value string
	units uint64
}

// largestLevels orders an attribute's values by units, largest first (ties
// by value), keeping MaxSegmentLevels, and counts the values left out.
func largestLevels(levels map[string]map[string]VariantTotals) ([]segmentLevel, int) {
	order := make([]segmentLevel, 0, len(levels))
	for v, totals := range levels {
		var n uint64
		for _, t := range totals {
			n += t.Exposures
		}
		order = append(order, segmentLevel{v, n})
	}
	slices.SortFunc(order, func(x, y segmentLevel) int {
		if c := cmp.Compare(y.units, x.units); c != 0 {
			return c
		}
		return cmp.Compare(x.value, y.value)
	})
	if len(order) > MaxSegmentLevels {
		return order[:MaxSegmentLevels], len(order) - MaxSegmentLevels
	}
	return order, 0
}
