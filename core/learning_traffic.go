package core

import (
	"math"
	"time"
)

// LearningWindowDays are the complete days before today that a cell's
// traffic is read from.
const LearningWindowDays = 28

// minShapeDays is how many complete days of an experiment's own traffic
// its weekday shape needs: a full week, so every weekday is seen.
const minShapeDays = 7

// LearningDays returns the complete UTC days of the learning window before
// now's day: [from, to), LearningWindowDays long.
func LearningDays(now time.Time) (from, to time.Time) {
	to = now.UTC().Truncate(24 * time.Hour)
	return to.AddDate(0, 0, -LearningWindowDays), to
}

// DailyUnits are an experiment's units by the UTC day of their first
// exposure over the learning window, oldest first (see LearningDays): at
// most LearningWindowDays values.
type DailyUnits []uint64

// weekdayRates are units per day on each weekday, Sunday first as
// time.Weekday counts.
type weekdayRates [7]float64

// flatRates is the same rate every day.
func flatRates(perDay float64) weekdayRates {
	var r weekdayRates
	for i := range r {
		r[i] = perDay
	}
	return r
}

// mean is the average units per day over a week.
func (r weekdayRates) mean() float64 {
	var sum float64
	for _, v := range r {
		sum += v
	}
	return sum / 7
}

// workdays and weekend are the mean rates of Monday to Friday and of
// Saturday and Sunday.
func (r weekdayRates) workdays() float64 {
	return (r[time.Monday] + r[time.Tuesday] + r[time.Wednesday] + r[time.Thursday] + r[time.Friday]) / 5
}

func (r weekdayRates) weekend() float64 {
	return (r[time.Saturday] + r[time.Sunday]) / 2
}

func (r weekdayRates) add(o weekdayRates) weekdayRates {
	for i := range r {
		r[i] += o[i]
	}
	return r
}

// scaled is r times f.
func (r weekdayRates) scaled(f float64) weekdayRates {
	for i := range r {
		r[i] *= f
	}
	return r
}

// dailyRates are an experiment's units per day on each weekday over the
// days it ran in the window (from its first day with units to its last),
// each weekday's mean over its own days; ok is false with fewer than
// minShapeDays such days, where a weekday shape would be a guess.
func dailyRates(days DailyUnits, from time.Time) (r weekdayRates, ok bool) {
	first, last := -1, -1
	for i, u := range days {
		if u > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 || last-first+1 < minShapeDays {
		return r, false
	}
	var seen [7]int
	for i := first; i <= last; i++ {
		wd := from.AddDate(0, 0, i).Weekday()
		r[wd] += float64(days[i])
		seen[wd]++
	}
	for wd := range r {
		r[wd] /= float64(seen[wd]) // a full week was seen, so every weekday was
	}
	return r, true
}

// daysToCollect is how many days from start a test needs to collect need
// units at rates per weekday, whole weeks first and then day by day (the
// first day only from start's time of day on); +Inf when the rates are
// all zero.
func daysToCollect(start time.Time, r weekdayRates, need float64) float64 {
	weekly := 7 * r.mean()
	if !(need > 0) {
		return 0
	}
	if !(weekly > 0) {
		return math.Inf(1)
	}
	weeks := math.Floor(need / weekly)
	need -= weeks * weekly
	days := 7 * weeks
	t := start.UTC().Add(time.Duration(weeks) * 7 * 24 * time.Hour)
	// need < weekly, so at most eight days (a part day and seven whole
	// ones) cover it.
	for range 8 {
		if need <= 0 {
			break
		}
		end := t.Truncate(24 * time.Hour).Add(24 * time.Hour)
		part := end.Sub(t).Hours() / 24
		rate := r[t.Weekday()]
		if rate*part >= need {
			return days + need/rate
		}
		need -= rate * part
		days += part
		t = end
	}
	return days
}
