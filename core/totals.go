package core

import "time"

// VariantTotals are the running sums for one variant, kept up to date on
// ingest so that reading an experiment costs O(variants), not O(events).
// They follow the definitions of an experiment's metrics: a unit counts
// once it is exposed to the variant, and its conversions and revenue
// count only after that exposure (within the experiment's conversion
// window, if it has one). Everything else is unattributed: counted, never
// folded in.
type VariantTotals struct {
	// Exposures counts exposed units, each once.
	Exposures uint64 `json:"exposures"`
	// Converters counts exposed units with an attributed conversion.
	Converters uint64 `json:"converters"`
	// Conversions counts attributed conversion events, repeats included.
	Conversions uint64 `json:"conversions"`
	// Revenue sums attributed revenue; RevenueSq sums the square of each
	// unit's revenue, so the variance is over units (zeros included), not
	// over revenue events.
	Revenue   float64 `json:"revenue"`
	RevenueSq float64 `json:"revenue_sq"`
	// ConverterRevenue sums the revenue of converting units: with Revenue
	// and Converters it gives the covariance a ratio metric such as
	// revenue per converter needs (the delta method).
	ConverterRevenue float64 `json:"converter_revenue"`
	// Unattributed counts conversion and revenue events from units not
	// exposed to the variant before them (or outside the conversion
	// window); UnattributedRevenue sums their revenue.
	Unattributed        uint64  `json:"unattributed,omitempty"`
	UnattributedRevenue float64 `json:"unattributed_revenue,omitempty"`
	// Cross is the part of the counts above from units exposed to other
	// variants of the experiment too.
	Cross CrossTotals `json:"cross,omitzero"`
	// First and Last are the times of the variant's earliest and latest
	// events, so that runtime counts from the data, backfills included.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
}

// CrossTotals are the counts of a variant's units that were exposed to
// more than one variant.
type CrossTotals struct {
	Units            uint64  `json:"units"`
	Converters       uint64  `json:"converters"`
	Conversions      uint64  `json:"conversions"`
	Revenue          float64 `json:"revenue"`
	RevenueSq        float64 `json:"revenue_sq"`
	ConverterRevenue float64 `json:"converter_revenue"`
}

// Rate is converting units per exposed unit, 0 before any exposure.
func (t VariantTotals) Rate() float64 {
	if t.Exposures == 0 {
		return 0
	}
	return float64(t.Converters) / float64(t.Exposures)
}

// WithoutCross returns the totals without the units exposed to more than
// one variant.
func (t VariantTotals) WithoutCross() VariantTotals {
	t.Exposures -= t.Cross.Units
	t.Converters -= t.Cross.Converters
	t.Conversions -= t.Cross.Conversions
	t.Revenue -= t.Cross.Revenue
	t.RevenueSq = max(0, t.RevenueSq-t.Cross.RevenueSq)
	t.ConverterRevenue -= t.Cross.ConverterRevenue
	t.Cross = CrossTotals{}
	return t
}

// See widens First and Last to include an event at ts.
func (t *VariantTotals) See(ts time.Time) {
	if t.First.IsZero() || ts.Before(t.First) {
		t.First = ts
	}
	if ts.After(t.Last) {
		t.Last = ts
	}
}

// UnitCount is what one unit adds to one variant's totals. Times are Unix
// nanoseconds, 0 for none (events are in the years 2000 to 2099).
type UnitCount struct {
	// Exposed is the unit's first exposure to the variant.
	Exposed int64
	// Converted is the unit's first attributed conversion.
	Converted    int64
	Conversions  uint32
	Unattributed uint32
	Revenue      float64
	// UnattributedRevenue is revenue of the unit before its exposure, or
	// outside the window.
	UnattributedRevenue float64
	// Cross marks a unit exposed to another variant of the experiment too.
	Cross bool
}

// Attributed reports whether an event at ts counts for a unit first
// exposed at exposed: after the exposure and, with a window, at most
// window after it.
func Attributed(exposed, ts int64, window time.Duration) bool {
	return exposed != 0 && ts >= exposed && (window <= 0 || ts-exposed <= int64(window))
}

// Count adds a conversion or revenue event at ts to u, attributed or not
// by u's exposure. Exposures are not counted here: they set Exposed, and
// the unit's other events are then counted again (Uncount, Count).
func (u *UnitCount) Count(typ EventType, ts int64, value float64, window time.Duration) {
	switch {
	case typ == EventExposure:
	case !Attributed(u.Exposed, ts, window):
		u.Unattributed++
		if typ == EventRevenue {
			u.UnattributedRevenue += value
		}
	case typ == EventConversion:
		u.Conversions++
		if u.Converted == 0 || ts < u.Converted {
			u.Converted = ts
		}
	case typ == EventRevenue:
		u.Revenue += value
	}
}

// Uncount clears what Count added, keeping the exposure.
func (u *UnitCount) Uncount() {
	*u = UnitCount{Exposed: u.Exposed, Cross: u.Cross}
}

// Move changes t from counting a unit as before to counting it as after.
// Sums move by after − before, so an unchanged sum moves by exactly 0.
func (t *VariantTotals) Move(before, after UnitCount) {
	t.Exposures += flag(after.Exposed != 0) - flag(before.Exposed != 0)
	t.Converters += flag(after.Converted != 0) - flag(before.Converted != 0)
	t.Conversions += uint64(after.Conversions) - uint64(before.Conversions)
	t.Unattributed += uint64(after.Unattributed) - uint64(before.Unattributed)
	t.UnattributedRevenue += after.UnattributedRevenue - before.UnattributedRevenue
	t.Revenue += after.Revenue - before.Revenue
	t.RevenueSq += after.Revenue*after.Revenue - before.Revenue*before.Revenue
	t.ConverterRevenue += after.converterRevenue() - before.converterRevenue()
	b, a := before.cross(), after.cross()
	t.Cross.Units += flag(a.Exposed != 0) - flag(b.Exposed != 0)
	t.Cross.Converters += flag(a.Converted != 0) - flag(b.Converted != 0)
	t.Cross.Conversions += uint64(a.Conversions) - uint64(b.Conversions)
	t.Cross.Revenue += a.Revenue - b.Revenue
	t.Cross.RevenueSq += a.Revenue*a.Revenue - b.Revenue*b.Revenue
	t.Cross.ConverterRevenue += a.converterRevenue() - b.converterRevenue()
	if t.RevenueSq < 0 || t.Cross.RevenueSq < 0 { // rounding of a cancelled square
		t.RevenueSq, t.Cross.RevenueSq = max(0, t.RevenueSq), max(0, t.Cross.RevenueSq)
	}
}

// converterRevenue is u's revenue if it converted, else 0.
func (u UnitCount) converterRevenue() float64 {
	if u.Converted == 0 {
		return 0
	}
	return u.Revenue
}

// cross is the part of u counted in CrossTotals.
func (u UnitCount) cross() UnitCount {
	if !u.Cross {
		return UnitCount{}
	}
	return u
}

// flag is 1 for true; uint64 arithmetic wraps, so subtracting it works.
func flag(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// CountEvents counts one experiment's stored events (no duplicates) by
// the definitions, from scratch and in any order: each unit's first
// exposure to each variant, then its conversion and revenue events
// against it. It is the reference the store's incremental counting is
// tested against, and what `tandem check` replays the log with.
func CountEvents(events []Event, window time.Duration) map[string]VariantTotals {
	type key struct{ unit, variant string }
	units := map[key]*UnitCount{}
	variantsOf := map[string]int{}
	out := map[string]VariantTotals{}
	for _, ev := range events {
		k := key{ev.Unit, ev.Variant}
		u := units[k]
		if u == nil {
			u = &UnitCount{}
			units[k] = u
		}
		if ev.Type == EventExposure {
			if u.Exposed == 0 {
				variantsOf[ev.Unit]++
			}
			if ts := ev.TS.UnixNano(); u.Exposed == 0 || ts < u.Exposed {
				u.Exposed = ts
			}
		}
		t := out[ev.Variant]
		t.See(ev.TS)
		out[ev.Variant] = t
	}
	for _, ev := range events {
		units[key{ev.Unit, ev.Variant}].Count(ev.Type, ev.TS.UnixNano(), ev.Value, window)
	}
	for k, u := range units {
		u.Cross = u.Exposed != 0 && variantsOf[k.unit] > 1
		t := out[k.variant]
		t.Move(UnitCount{}, *u)
		out[k.variant] = t
	}
	return out
}
