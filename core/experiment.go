package core

import (
	"fmt"
	"math"
	"slices"
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
	// Started is the start set with `experiment add --start`; zero means
	// the experiment starts at its earliest event.
	Started time.Time `json:"started,omitzero"`
	// ConversionWindow bounds how long after a unit's exposure its
	// conversions and revenue count; 0 means no bound.
	ConversionWindow time.Duration `json:"conversion_window_ns,omitempty"`
	// ExcludeCrossExposed leaves units exposed to more than one variant
	// out of the analysis.
	ExcludeCrossExposed bool `json:"exclude_cross_exposed,omitempty"`
	// Metrics are the primary, guardrail and secondary metrics; none
	// means the default (see MetricsOr).
	Metrics []Metric `json:"metrics,omitempty"`
	// Factors are a factorial test's slots and their components (IDs);
	// each variant holds one component of each.
	Factors []Factor `json:"factors,omitempty"`
	// Guards are this experiment's guards and decision rule; nil uses the
	// workspace default. They cannot change once units are exposed.
	Guards *Guards `json:"guards,omitempty"`
	// Winner is the key of the declared winning variant, "" until declared.
	Winner string `json:"winner,omitempty"`
	// Override is the reason given for declaring a winner the analysis
	// did not name; "" when it did. It is part of the audited record.
	Override string `json:"override,omitempty"`
	// Decided is when the winner was declared.
	Decided time.Time `json:"decided,omitzero"`
	// Hypothesis is what the experiment expects, and why.
	Hypothesis string `json:"hypothesis,omitempty"`
	// Template and TemplateVersion name the experiment template it was
	// set up from, if any.
	Template        string `json:"template,omitempty"`
	TemplateVersion uint64 `json:"template_version,omitempty"`
}

// Variant is one arm of an experiment: a piece of copy with a traffic weight.
type Variant struct {
	Key     string  `json:"key"`
	Name    string  `json:"name,omitempty"`
	Copy    string  `json:"copy,omitempty"`
	Weight  float64 `json:"weight"`
	Control bool    `json:"control,omitempty"`
	// Components are the components the arm holds in a factorial test:
	// slot → component ID, as the experiment's Factors list them.
	Components map[string]string `json:"components,omitempty"`
}

// maxConversionWindow is the longest conversion window: a year.
const maxConversionWindow = 365 * 24 * time.Hour

// GuardsOr returns the experiment's own guards, or def when it has none.
func (e Experiment) GuardsOr(def Guards) Guards {
	if e.Guards != nil {
		return *e.Guards
	}
	return def
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

// maxOverride bounds the reason given for an override.
const maxOverride = 500

// MaxVariants is the most variants an experiment has: more arms than this
// split any traffic too thin to learn from.
const MaxVariants = 50

// Validate returns an error naming every invalid field of e.
func (e Experiment) Validate() error {
	f := e.fields()
	if len(e.Variants) < 2 || len(e.Variants) > MaxVariants {
		f.add("variants", "has %d; an experiment has 2 to %d", len(e.Variants), MaxVariants)
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
	f.text("hypothesis", e.Hypothesis, maxText)
	f.name("template", e.Template, maxName, false)
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
	if len(e.Override) > maxOverride {
		f.add("override", "is %d bytes long; at most %d are allowed", len(e.Override), maxOverride)
	}
	if e.Winner != "" && !seen[e.Winner] {
		f.add("winner", "is not a variant of this experiment")
	}
	if e.ConversionWindow < 0 || e.ConversionWindow > maxConversionWindow {
		f.add("window", "is %s; use a duration from 0 (none) to 365 days", e.ConversionWindow)
	}
	if e.Guards != nil {
		e.Guards.check(f)
	}
	e.checkMetrics(f)
	e.checkFactors(f)
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
	// Attrs are the unit's attributes, such as its audience or country,
	// which results can be broken down by; a unit has the first value
	// any of its events gives for a key.
	Attrs map[string]string `json:"attrs,omitempty"`
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
	checkAttrs(&f, ev.Attrs)
	return f.err()
}

// checkFactors adds the problems of a factorial test's design to f: valid
// slots and components, and every variant holding one listed component of
// every slot.
func (e Experiment) checkFactors(f *fieldErrors) {
	if len(e.Factors) == 0 {
		return
	}
	if err := checkFactors(e.Factors, MaxFactorialArms); err != nil {
		f.errs = append(f.errs, err)
	}
	for i, v := range e.Variants {
		if len(v.Components) != len(e.Factors) {
			f.add(fmt.Sprintf("variants[%d].components", i), "holds %d components; a factorial arm holds one per slot (%d)", len(v.Components), len(e.Factors))
			continue
		}
		for _, fc := range e.Factors {
			if !slices.Contains(fc.Levels, v.Components[fc.Slot]) {
				f.add(fmt.Sprintf("variants[%d].components", i), "holds no listed component of slot %q", fc.Slot)
			}
		}
	}
}
