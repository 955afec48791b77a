package core

import (
	"fmt"
	"math"
	"time"
)

// ValidKey reports whether s can be an experiment or variant key: 1 to 63
// lower-case letters, digits, '.', '_' or '-', starting with a letter or
// digit; short and safe in a URL, a file name and an event line. It runs
// for every ingested event, so it is a loop, not a regular expression.
func ValidKey(s string) bool {
	if len(s) == 0 || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// Experiment tests creative variants against each other on live traffic.
type Experiment struct {
	Key      string    `json:"key"`
	Name     string    `json:"name"`
	BriefID  uint64    `json:"brief_id,omitempty"`
	Audience string    `json:"audience,omitempty"`
	Channel  string    `json:"channel,omitempty"`
	Variants []Variant `json:"variants"`
	Started  time.Time `json:"started,omitzero"`
	// Winner is the key of the declared winning variant, "" until declared.
	Winner string `json:"winner,omitempty"`
	// Decided is when the winner was declared.
	Decided time.Time `json:"decided,omitzero"`
}

// Variant is one arm of an experiment: a piece of copy with a traffic weight.
type Variant struct {
	Key     string  `json:"key"`
	Name    string  `json:"name,omitempty"`
	Copy    string  `json:"copy,omitempty"`
	Weight  float64 `json:"weight"`
	Control bool    `json:"control,omitempty"`
}

// Variant returns the variant with key, and whether it exists.
func (e Experiment) Variant(key string) (Variant, bool) {
	for _, v := range e.Variants {
		if v.Key == key {
			return v, true
		}
	}
	return Variant{}, false
}

// Validate returns an error naming every invalid field of e.
func (e Experiment) Validate() error {
	f := e.fields()
	if len(e.Variants) < 2 {
		f.add("variants", "has %d; an experiment needs at least 2", len(e.Variants))
	}
	if controls := e.controls(); len(e.Variants) >= 2 && controls != 1 {
		f.add("variants", "has %d controls; mark exactly one variant as control", controls)
	}
	return f.err()
}

// ValidateStored returns an error naming every invalid field of e as any
// stored experiment must hold it: Validate without the rules on how many
// variants and controls it has, as ingest creates an experiment from the
// first event naming it, with one variant and no control.
func (e Experiment) ValidateStored() error {
	f := e.fields()
	return f.err()
}

func (e Experiment) controls() int {
	n := 0
	for _, v := range e.Variants {
		if v.Control {
			n++
		}
	}
	return n
}

// fields checks every field of e on its own.
func (e Experiment) fields() *fieldErrors {
	f := &fieldErrors{record: "experiment"}
	if !ValidKey(e.Key) {
		f.add("key", "is not a key; use 1 to 63 lower-case letters, digits, '.', '_' or '-'")
	}
	f.name("name", e.Name, maxTitle, false)
	f.name("audience", e.Audience, maxName, false)
	f.name("channel", e.Channel, maxName, false)
	seen := make(map[string]bool, len(e.Variants))
	for i, v := range e.Variants {
		field := fmt.Sprintf("variants[%d]", i)
		switch {
		case !ValidKey(v.Key):
			f.add(field+".key", "is not a key; use 1 to 63 lower-case letters, digits, '.', '_' or '-'")
		case seen[v.Key]:
			f.add(field+".key", "%q is used twice", v.Key)
		}
		seen[v.Key] = true
		f.name(field+".name", v.Name, maxTitle, false)
		if !(v.Weight > 0 && v.Weight <= 1e6) {
			f.add(field+".weight", "is %g; use a positive weight up to 1e6", v.Weight)
		}
		f.maxLen(field+".copy", v.Copy, maxText)
	}
	if e.Winner != "" && !seen[e.Winner] {
		f.add("winner", "is not a variant of this experiment")
	}
	return f
}

// EventType is what an ingested event records.
type EventType string

// The event types: a unit saw a variant, converted, or produced revenue.
const (
	EventExposure   EventType = "exposure"
	EventConversion EventType = "conversion"
	EventRevenue    EventType = "revenue"
)

// Event is one observation from live traffic, as ingested from JSONL or CSV.
type Event struct {
	ID         string    `json:"id,omitempty"`
	TS         time.Time `json:"ts"`
	Experiment string    `json:"experiment"`
	Variant    string    `json:"variant"`
	Unit       string    `json:"unit"`
	Type       EventType `json:"type"`
	Value      float64   `json:"value,omitempty"`
}

// Event bounds. Values past ±MaxEventValue are not revenue but a unit
// mix-up or an attack: a square of 1e308 overflows the running sum of
// squares and would poison the variant's totals for good. Times must fall
// in [2000, 2100): nothing before 2000 is live-traffic data (an epoch-zero
// or seconds-as-milliseconds mistake lands there), and the event log
// stores nanoseconds, which end in 2262, so 2100 leaves room for deltas.
const (
	MaxEventValue = 1e12
	minEventUnix  = 946684800  // 2000-01-01T00:00:00Z
	maxEventUnix  = 4102444800 // 2100-01-01T00:00:00Z
)

// Validate returns an error naming every invalid field of ev. Its problems
// never quote the event's values, which may come from a file that should
// not be echoed.
func (ev Event) Validate() error {
	f := fieldErrors{record: "event"}
	switch sec := ev.TS.Unix(); {
	case ev.TS.IsZero():
		f.add("ts", "is missing; use an RFC 3339 time such as 2026-11-01T10:00:00Z")
	case sec < minEventUnix || sec >= maxEventUnix:
		f.add("ts", "is outside the years 2000 to 2099; check the time zone and that it is not in milliseconds")
	}
	if ev.ID != "" {
		f.id("id", ev.ID)
	}
	if !ValidKey(ev.Experiment) {
		f.add("experiment", "is not an experiment key; use 1 to 63 lower-case letters, digits, '.', '_' or '-'")
	}
	if !ValidKey(ev.Variant) {
		f.add("variant", "is not a variant key; use 1 to 63 lower-case letters, digits, '.', '_' or '-'")
	}
	f.id("unit", ev.Unit)
	switch ev.Type {
	case EventExposure, EventConversion, EventRevenue:
	default:
		f.add("type", "is not an event type; use exposure, conversion or revenue")
	}
	switch v := ev.Value; {
	case math.IsNaN(v) || math.IsInf(v, 0):
		f.add("value", "is not a number")
	case math.Abs(v) > MaxEventValue:
		f.add("value", "is beyond ±%g; check its unit", float64(MaxEventValue))
	case ev.Type == EventRevenue && v < 0:
		f.add("value", "is negative; revenue cannot be")
	}
	return f.err()
}

// VariantTotals are the running sums for one variant, kept up to date on
// ingest so that reading an experiment costs O(variants), not O(events).
type VariantTotals struct {
	// Exposures counts exposed units, each once.
	Exposures uint64 `json:"exposures"`
	// Converters counts converting units, each once.
	Converters uint64 `json:"converters"`
	// Conversions counts conversion events, a unit's repeats included.
	Conversions uint64 `json:"conversions"`
	// Revenue and RevenueSq sum revenue event values and their squares.
	Revenue   float64 `json:"revenue"`
	RevenueSq float64 `json:"revenue_sq"`
}

// Rate is converting units per exposed unit, 0 before any exposure.
func (t VariantTotals) Rate() float64 {
	if t.Exposures == 0 {
		return 0
	}
	return float64(t.Converters) / float64(t.Exposures)
}

// Unit flags record what a unit has done in one variant, so that it counts
// once however many events it sends.
const (
	UnitExposed byte = 1 << iota
	UnitConverted
)

// Fold adds ev to t given the unit's flags before the event, and returns
// the unit's flags after it.
func (t *VariantTotals) Fold(ev Event, unit byte) byte {
	switch ev.Type {
	case EventExposure:
		if unit&UnitExposed == 0 {
			t.Exposures++
		}
		unit |= UnitExposed
	case EventConversion:
		t.Conversions++
		if unit&UnitConverted == 0 {
			t.Converters++
		}
		unit |= UnitConverted
	case EventRevenue:
		t.Revenue += ev.Value
		t.RevenueSq += ev.Value * ev.Value
	}
	return unit
}
