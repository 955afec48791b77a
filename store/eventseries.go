package store

import (
	"math"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// SeriesPoint is a variant's units in one hour: units first exposed in it,
// and exposed units whose first attributed conversion falls in it.
type SeriesPoint struct {
	Hour       time.Time `json:"hour"`
	Exposures  uint64    `json:"exposures"`
	Converters uint64    `json:"converters"`
}

// seriesDelta is what some events change in one hour of a series. A unit
// whose first exposure or conversion moves earlier leaves one hour for
// another, so a delta may be negative; the stored sum never is.
type seriesDelta struct {
	exposures, converters int64
}

// seriesDeltas are the hours an arm's events changed.
type seriesDeltas struct {
	hours    map[int64]*seriesDelta
	lastHour int64
	last     *seriesDelta
}

func newSeriesDeltas() *seriesDeltas {
	return &seriesDeltas{hours: map[int64]*seriesDelta{}, lastHour: math.MinInt64}
}

// move moves a unit's place in the series from before to after.
func (d *seriesDeltas) move(before, after core.UnitCount) {
	if before.Exposed != after.Exposed {
		if before.Exposed != 0 {
			d.at(before.Exposed).exposures--
		}
		if after.Exposed != 0 {
			d.at(after.Exposed).exposures++
		}
	}
	if before.Converted != after.Converted {
		if before.Converted != 0 {
			d.at(before.Converted).converters--
		}
		if after.Converted != 0 {
			d.at(after.Converted).converters++
		}
	}
}

// at returns the delta of the hour of ts, in Unix nanoseconds.
func (d *seriesDeltas) at(ts int64) *seriesDelta {
	hour := ts / int64(time.Hour)
	if hour == d.lastHour {
		return d.last
	}
	pt, ok := d.hours[hour]
	if !ok {
		pt = &seriesDelta{}
		d.hours[hour] = pt
	}
	d.lastHour, d.last = hour, pt
	return pt
}

// add applies delta to a stored point; uint64 arithmetic wraps, so a
// negative delta subtracts.
func (p *SeriesPoint) add(delta seriesDelta) {
	p.Exposures += uint64(delta.exposures)
	p.Converters += uint64(delta.converters)
}
