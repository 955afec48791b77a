package core

import (
	"math/rand/v2"
	"testing"
	"time"
)

// ev is an event of the experiment "x" at minute m.
func ev(m int, variant, unit string, typ EventType, value float64) Event {
	return Event{TS: time.Date(2026, 11, 1, 10, m, 0, 0, time.UTC), Experiment: "x", Variant: variant, Unit: unit, Type: typ, Value: value}
}

// Ensure that CountEvents follows the definitions: a unit counts once
// exposed, its conversions and revenue only after the exposure (and within
// the window), revenue is summed per unit before squaring, and units
// exposed to two variants are counted as such.
func TestCountEvents(t *testing.T) {
	tests := []struct {
		name   string
		window time.Duration
		events []Event
		want   map[string]VariantTotals
	}{
		{"a conversion of a unit never exposed is unattributed", 0, []Event{
			ev(0, "a", "u1", EventExposure, 0), ev(1, "a", "u1", EventConversion, 0),
			ev(2, "a", "u2", EventConversion, 0), ev(3, "a", "u2", EventRevenue, 5),
		}, map[string]VariantTotals{"a": {Exposures: 1, Converters: 1, Conversions: 1, Unattributed: 2, UnattributedRevenue: 5}}},
		{"a conversion before the exposure is unattributed, one after counts", 0, []Event{
			ev(5, "a", "u1", EventExposure, 0), ev(1, "a", "u1", EventConversion, 0), ev(6, "a", "u1", EventConversion, 0),
		}, map[string]VariantTotals{"a": {Exposures: 1, Converters: 1, Conversions: 1, Unattributed: 1}}},
		{"revenue split over three events is one unit's revenue", 0, []Event{
			ev(0, "a", "u1", EventExposure, 0), ev(0, "a", "u2", EventExposure, 0),
			ev(1, "a", "u1", EventRevenue, 10), ev(2, "a", "u1", EventRevenue, 10), ev(3, "a", "u1", EventRevenue, 10),
		}, map[string]VariantTotals{"a": {Exposures: 2, Revenue: 30, RevenueSq: 900}}},
		{"the window bounds attribution", 5 * time.Minute, []Event{
			ev(0, "a", "u1", EventExposure, 0), ev(5, "a", "u1", EventConversion, 0), ev(6, "a", "u1", EventRevenue, 7),
		}, map[string]VariantTotals{"a": {Exposures: 1, Converters: 1, Conversions: 1, Unattributed: 1, UnattributedRevenue: 7}}},
		{"a unit exposed to two variants is cross-exposed in both", 0, []Event{
			ev(0, "a", "u1", EventExposure, 0), ev(1, "b", "u1", EventExposure, 0), ev(2, "b", "u1", EventConversion, 0),
			ev(0, "a", "u2", EventExposure, 0),
		}, map[string]VariantTotals{
			"a": {Exposures: 2, Cross: CrossTotals{Units: 1}},
			"b": {Exposures: 1, Converters: 1, Conversions: 1, Cross: CrossTotals{Units: 1, Converters: 1, Conversions: 1}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CountEvents(tt.events, tt.window)
			for k, want := range tt.want {
				g := got[k]
				g.First, g.Last = time.Time{}, time.Time{}
				if g != want {
					t.Errorf("%s = %+v\nwant %+v", k, g, want)
				}
			}
		})
	}
}

// Ensure that First and Last span the variant's events whatever their
// order, so runtime counts from the data.
func TestCountEvents_Span(t *testing.T) {
	got := CountEvents([]Event{ev(30, "a", "u1", EventExposure, 0), ev(10, "a", "u2", EventConversion, 0), ev(20, "a", "u3", EventExposure, 0)}, 0)["a"]
	if !got.First.Equal(ev(10, "", "", "", 0).TS) || !got.Last.Equal(ev(30, "", "", "", 0).TS) {
		t.Fatalf("span = %s .. %s", got.First, got.Last)
	}
}

// Ensure that counting one unit's events incrementally, in any order,
// with Move and a recount when an earlier exposure arrives, gives the
// totals CountEvents gives from scratch: the store counts this way.
func TestUnitCount_IncrementalMatchesCountEvents(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	types := []EventType{EventExposure, EventConversion, EventRevenue}
	for trial := range 200 {
		var events []Event
		for range 1 + rng.IntN(8) {
			events = append(events, ev(rng.IntN(30), "a", "u1", types[rng.IntN(3)], float64(rng.IntN(5))))
		}
		window := time.Duration(rng.IntN(3)) * 10 * time.Minute
		var tot VariantTotals
		var u UnitCount
		var seen []Event
		for _, e := range events {
			before := u
			seen = append(seen, e)
			ts := e.TS.UnixNano()
			switch {
			case e.Type != EventExposure:
				u.Count(e.Type, ts, e.Value, window)
			case u.Exposed == 0 || ts < u.Exposed:
				u.Exposed = ts
				u.Uncount()
				for _, s := range seen {
					u.Count(s.Type, s.TS.UnixNano(), s.Value, window)
				}
			}
			tot.Move(before, u)
		}
		want := CountEvents(events, window)["a"]
		want.First, want.Last = time.Time{}, time.Time{}
		if tot != want {
			t.Fatalf("trial %d: incremental %+v, from scratch %+v (events %v)", trial, tot, want, events)
		}
	}
}

// Ensure that WithoutCross leaves out exactly the cross-exposed units.
func TestVariantTotals_WithoutCross(t *testing.T) {
	all := CountEvents([]Event{
		ev(0, "a", "u1", EventExposure, 0), ev(1, "b", "u1", EventExposure, 0), ev(2, "a", "u1", EventRevenue, 4),
		ev(0, "a", "u2", EventExposure, 0), ev(2, "a", "u2", EventRevenue, 3),
	}, 0)["a"].WithoutCross()
	if all.Exposures != 1 || all.Revenue != 3 || all.RevenueSq != 9 {
		t.Fatalf("without cross = %+v", all)
	}
}
