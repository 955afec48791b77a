package kpi

import (
	"time"
)

// MaxPeriod is the longest period a report covers once clamped to the
// data: ten years of weeks is already more than any workspace has.
const MaxPeriod = 10 * 365 * 24 * time.Hour

// Clamp narrows [from, to) to the span the data covers (from the earliest
// time any brief, stage change, review, decision or experiment names to
// the latest such time or now, a week either side) and to at most
// MaxPeriod ending at to, so a
// report over `--since 0001-01-01` costs what the data costs, not what
// the calendar does. A period wholly outside the data becomes the empty
// period at the data's nearer edge. ok is false when the input holds no
// time at all.
func Clamp(in Input, from, to, now time.Time) (time.Time, time.Time, bool) {
	first, last, ok := span(in)
	if !ok {
		return from, from, false
	}
	if now.After(last) {
		last = now
	}
	first, last = first.AddDate(0, 0, -7), last.AddDate(0, 0, 7)
	if from.Before(first) {
		from = first
	}
	if to.After(last) {
		to = last
	}
	if to.Sub(from) > MaxPeriod {
		from = to.Add(-MaxPeriod)
	}
	if !from.Before(to) {
		return from, from, true
	}
	return from, to, true
}

// span returns the earliest and latest time in the input.
func span(in Input) (first, last time.Time, ok bool) {
	see := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if !ok || t.Before(first) {
			first = t
		}
		if !ok || t.After(last) {
			last = t
		}
		ok = true
	}
	for _, b := range in.Briefs {
		see(b.Created)
		see(b.Start)
		see(b.Due)
		see(b.Updated)
	}
	for _, c := range in.History {
		see(c.Time)
	}
	for _, r := range in.Reviews {
		see(r.StageStarted)
		see(r.Updated)
	}
	for _, d := range in.Decisions {
		see(d.Time)
	}
	for _, e := range in.Experiments {
		see(e.Started)
	}
	return first, last, ok
}
