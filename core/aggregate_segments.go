package core

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// AggregateSegmentAttr is the attribute a segment that names none breaks
// down: the rows segmented "mobile" and "desktop" are levels of it.
const AggregateSegmentAttr = "segment"

// SegmentLevel is the attribute a row's segment breaks down and its value:
// "device=mobile" is a level of device, "mobile" of AggregateSegmentAttr;
// a row without a segment has neither.
func (r AggregateRow) SegmentLevel() (attr, value string) {
	if r.Segment == "" {
		return "", ""
	}
	if a, v, ok := strings.Cut(r.Segment, "="); ok && ValidKey(a) && v != "" {
		return a, v
	}
	return AggregateSegmentAttr, r.Segment
}

// SumAggregates adds one variant's rows up, a day at a time: a day's row
// without a segment is its total and the day's segment rows break it
// down; a day without one is the sum of its rows of one attribute (the
// first by name, should a workspace hold several), so no unit counts
// twice.
func SumAggregates(rows []AggregateRow) VariantTotals {
	var t VariantTotals
	for _, day := range aggregateDays(rows) {
		attr := day[0].segmentAttr()
		for _, r := range day[1:] {
			attr = min(attr, r.segmentAttr()) // "" for the total, when there is one
		}
		for _, r := range day {
			if r.segmentAttr() == attr {
				t.Add(r.Totals())
			}
		}
	}
	return t
}

func (r AggregateRow) segmentAttr() string {
	attr, _ := r.SegmentLevel()
	return attr
}

// SegmentAggregates breaks one variant's rows down by attr, a day at a
// time, as raw events with that attribute break down: each level's units
// from the rows of that attribute, and under SegmentNone the rest of the
// day's total (SumAggregates) that they do not cover, such as a day sent
// without a breakdown. Totals carry no first and last times, as raw
// events' levels do not.
func SegmentAggregates(rows []AggregateRow, attr string) map[string]VariantTotals {
	out := map[string]VariantTotals{}
	add := func(level string, t VariantTotals) {
		t.First, t.Last = time.Time{}, time.Time{}
		if t.Exposures == 0 && t.Converters == 0 && t.Revenue == 0 {
			return
		}
		sum := out[level]
		sum.Add(t)
		out[level] = sum
	}
	for _, day := range aggregateDays(rows) {
		rest := SumAggregates(day)
		for _, r := range day {
			if a, v := r.SegmentLevel(); a == attr && attr != "" {
				add(v, r.Totals())
				rest = rest.without(r.Totals())
			}
		}
		add(SegmentNone, rest)
	}
	return out
}

// without is t less part's counts and sums, none below zero: what a
// day's total holds that its segment rows do not.
func (t VariantTotals) without(part VariantTotals) VariantTotals {
	less := func(a, b uint64) uint64 { return a - min(a, b) }
	t.Exposures, t.Converters, t.Conversions = less(t.Exposures, part.Exposures), less(t.Converters, part.Converters), less(t.Conversions, part.Conversions)
	t.Revenue, t.RevenueSq, t.ConverterRevenue = max(0, t.Revenue-part.Revenue), max(0, t.RevenueSq-part.RevenueSq), max(0, t.ConverterRevenue-part.ConverterRevenue)
	return t
}

// SegmentAttrs are the attributes rows break down, in order.
func SegmentAttrs(rows []AggregateRow) []string {
	var out []string
	for _, r := range rows {
		if a := r.segmentAttr(); a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}

// SegmentConflict says why row cannot join a day's stored rows of its
// variant, "" if it can: a day without a total may hold segment rows of
// one attribute only, since their sum is its total.
func SegmentConflict(day []AggregateRow, row AggregateRow) string {
	if over := segmentsOverTotal(day, row); over != "" {
		return over
	}
	attr := row.segmentAttr()
	if attr == "" || slices.ContainsFunc(day, func(r AggregateRow) bool { return r.Segment == "" }) {
		return ""
	}
	for _, r := range day {
		if other := r.segmentAttr(); other != attr {
			return "the day already has rows by " + other + " and no row without a segment, whose total the segments break down; send that day's total too (a row without segment), or rows by " + other + " only"
		}
	}
	return ""
}

// segmentsOverTotal says how a day's rows, with row in place of its
// segment's, would break its total down into more units or converting
// units than it has; "" when they do not, or the day has no total.
func segmentsOverTotal(day []AggregateRow, row AggregateRow) string {
	latest := map[string]AggregateRow{} // a resent row replaces its segment's
	for _, r := range day {
		latest[r.Segment] = r
	}
	latest[row.Segment] = row
	total, ok := latest[""]
	if !ok {
		return ""
	}
	units, converting := map[string]uint64{}, map[string]uint64{}
	for seg, r := range latest {
		if seg != "" {
			attr := r.segmentAttr()
			units[attr] += r.Units
			converting[attr] += r.ConvertingUnits
		}
	}
	for _, attr := range slices.Sorted(maps.Keys(units)) {
		if units[attr] > total.Units || converting[attr] > total.ConvertingUnits {
			return fmt.Sprintf("its rows by %s would add up to %d units (%d converting), more than the day's total of %d (%d); segments break the total down",
				attr, units[attr], converting[attr], total.Units, total.ConvertingUnits)
		}
	}
	return ""
}

// aggregateDays groups rows by day, in day order.
func aggregateDays(rows []AggregateRow) [][]AggregateRow {
	sorted := slices.SortedStableFunc(slices.Values(rows), func(x, y AggregateRow) int { return cmp.Compare(x.Day, y.Day) })
	var out [][]AggregateRow
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j].Day == sorted[i].Day {
			j++
		}
		out = append(out, sorted[i:j])
		i = j
	}
	return out
}
