package core

import "time"

// WorkingHours is when SLA clocks run: weekdays between Start and End
// o'clock in Location. Time outside them does not count against an SLA.
type WorkingHours struct {
	Start, End int // hours of the day, e.g. 9 and 17
	Location   *time.Location
	// Holidays are days the clock does not run, whatever the weekday.
	Holidays []time.Time
}

// DefaultWorkingHours is 9:00–17:00, Monday to Friday, UTC.
func DefaultWorkingHours() WorkingHours {
	return WorkingHours{Start: 9, End: 17, Location: time.UTC}
}

func (w WorkingHours) loc() *time.Location {
	if w.Location == nil {
		return time.UTC
	}
	return w.Location
}

// window returns the working window of t's day, and false on a weekend or
// holiday. A zero WorkingHours runs 09:00–17:00.
func (w WorkingHours) window(t time.Time) (from, to time.Time, ok bool) {
	if w.End <= w.Start {
		w.Start, w.End = 9, 17
	}
	t = t.In(w.loc())
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return time.Time{}, time.Time{}, false
	}
	y, m, d := t.Date()
	for _, h := range w.Holidays {
		if hy, hm, hd := h.Date(); hy == y && hm == m && hd == d {
			return time.Time{}, time.Time{}, false
		}
	}
	return time.Date(y, m, d, w.Start, 0, 0, 0, w.loc()), time.Date(y, m, d, w.End, 0, 0, 0, w.loc()), true
}

// nextDay returns midnight after t's day.
func (w WorkingHours) nextDay(t time.Time) time.Time {
	y, m, d := t.In(w.loc()).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, w.loc())
}

// Add returns the moment hours of working time after start.
func (w WorkingHours) Add(start time.Time, hours float64) time.Time {
	left := time.Duration(hours * float64(time.Hour))
	t := start
	for range 3660 { // ten years of days bounds a bad input
		from, to, ok := w.window(t)
		if ok {
			if t.Before(from) {
				t = from
			}
			if t.Before(to) {
				if avail := to.Sub(t); left <= avail {
					return t.Add(left)
				} else {
					left -= avail
				}
			}
		}
		t = w.nextDay(t)
	}
	return t
}

// Between returns the working time from a to b (negative when b is before a).
func (w WorkingHours) Between(a, b time.Time) time.Duration {
	if b.Before(a) {
		return -w.Between(b, a)
	}
	var total time.Duration
	t := a
	for range 3660 {
		if !t.Before(b) {
			break
		}
		if from, to, ok := w.window(t); ok {
			lo, hi := maxTime(t, from), minTime(b, to)
			if hi.After(lo) {
				total += hi.Sub(lo)
			}
		}
		t = w.nextDay(t)
	}
	return total
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
