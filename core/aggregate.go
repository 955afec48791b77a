package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AggregateRow is one day of one variant, and optionally one segment, as
// a warehouse query sums it: the units first exposed that day, those of
// them who converted (to date), and a metric's sum and sum of squares over
// those units (per unit, zeros included), and the sum over the converting
// ones (for revenue per converter). A row replaces any earlier row
// of the same day, variant and segment, so a nightly query may resend the
// last days.
type AggregateRow struct {
	Day             string  `json:"day"`
	Experiment      string  `json:"experiment"`
	Variant         string  `json:"variant"`
	Segment         string  `json:"segment,omitempty"`
	Units           uint64  `json:"units"`
	ConvertingUnits uint64  `json:"converting_units"`
	Metric          string  `json:"metric,omitempty"`
	Sum             float64 `json:"sum,omitempty"`
	SumSq           float64 `json:"sum_sq,omitempty"`
	ConvertingSum   float64 `json:"converting_sum,omitempty"`
}

// AggregateMetric is the one metric a row may carry: revenue per unit.
const AggregateMetric = "revenue"

// maxSegment bounds a segment's length.
const maxSegment = 100

// aggregateFields are the CSV columns and JSON keys of a row.
func aggregateFields() []string {
	return []string{"day", "experiment", "variant", "segment", "units", "converting_units", "metric", "sum", "sum_sq", "converting_sum"}
}

// maxAggregateUnits bounds one row's units, so that no sum of rows can
// wrap a count: a day of one variant, a billion units.
const maxAggregateUnits = 1_000_000_000

// Validate checks a row's fields.
func (r AggregateRow) Validate() error {
	f := fieldErrors{record: "aggregate"}
	if d, err := time.Parse(time.DateOnly, r.Day); err != nil {
		f.add("day", "is not a day such as 2026-11-01")
	} else if sec := d.Unix(); sec < minEventUnix || sec >= maxEventUnix {
		f.add("day", "is outside the years 2000 to 2099")
	}
	if !ValidKey(r.Experiment) {
		f.add("experiment", "is not an experiment key; use 1 to 63 lower-case letters, digits, '.', '_' or '-'")
	}
	if !ValidKey(r.Variant) {
		f.add("variant", "is not a variant key; use 1 to 63 lower-case letters, digits, '.', '_' or '-'")
	}
	if len(r.Segment) > maxSegment || strings.ContainsFunc(r.Segment, func(c rune) bool { return c < ' ' || c == 0x7f || c == 0xfffd }) {
		f.add("segment", "is longer than %d bytes or holds control characters", maxSegment)
	}
	if attr, level, ok := strings.Cut(r.Segment, "="); ok && (!ValidKey(attr) || level == "") {
		f.add("segment", "is not ATTR=LEVEL with an attribute key and a level, nor a bare level")
	}
	if r.Units > maxAggregateUnits {
		f.add("units", "is %d; a day of one variant has at most %d", r.Units, uint64(maxAggregateUnits))
	}
	if r.ConvertingUnits > r.Units {
		f.add("converting_units", "is more than units (%d)", r.Units)
	}
	switch {
	case r.Metric != "" && r.Metric != AggregateMetric:
		f.add("metric", "is not a metric rows may carry; use %s", AggregateMetric)
	case r.Metric == "" && (r.Sum != 0 || r.SumSq != 0 || r.ConvertingSum != 0):
		f.add("metric", "is required with sum, sum_sq and converting_sum; use %s", AggregateMetric)
	}
	switch {
	case slices.ContainsFunc([]float64{r.Sum, r.SumSq, r.ConvertingSum}, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }):
		f.add("sum", "is not a number")
	case r.Sum < 0 || math.Abs(r.Sum) > MaxEventValue*float64(max(r.Units, 1)):
		f.add("sum", "is negative or beyond ±%g a unit; revenue cannot be", float64(MaxEventValue))
	case r.SumSq > MaxEventValue*MaxEventValue*float64(max(r.Units, 1)):
		f.add("sum_sq", "is beyond (%g)² a unit; revenue cannot be", float64(MaxEventValue))
	case r.SumSq*float64(r.Units) < r.Sum*r.Sum*(1-1e-9):
		// Cauchy–Schwarz: the squares of n values sum to at least the
		// square of their sum over n.
		f.add("sum_sq", "is smaller than sum²/units; it must be the sum of each unit's squared %s", AggregateMetric)
	case r.ConvertingSum < 0 || r.ConvertingSum > r.Sum*(1+1e-9):
		f.add("converting_sum", "is negative or more than sum; it must be the sum over the converting units")
	}
	return f.err()
}

// Totals is what the row adds to its variant: its units exposed, its
// converting units (one conversion each), its revenue, all attributed,
// between the start and the end of its day.
func (r AggregateRow) Totals() VariantTotals {
	day, _ := time.Parse(time.DateOnly, r.Day)
	return VariantTotals{Exposures: r.Units, Converters: r.ConvertingUnits, Conversions: r.ConvertingUnits,
		Revenue: r.Sum, RevenueSq: r.SumSq, ConverterRevenue: r.ConvertingSum, First: day, Last: day.Add(24*time.Hour - time.Nanosecond)}
}

// Add adds other's counts to t and widens its span to other's.
func (t *VariantTotals) Add(other VariantTotals) {
	t.Exposures += other.Exposures
	t.Converters += other.Converters
	t.Conversions += other.Conversions
	t.Revenue += other.Revenue
	t.RevenueSq += other.RevenueSq
	t.ConverterRevenue += other.ConverterRevenue
	if !other.First.IsZero() {
		t.See(other.First)
	}
	if !other.Last.IsZero() {
		t.See(other.Last)
	}
}

// DecodeAggregateJSON decodes one JSONL line into a row and validates it.
func DecodeAggregateJSON(line []byte) (AggregateRow, error) {
	var r AggregateRow
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, fmt.Errorf("not a JSON aggregate row: %s", jsonProblem(err))
	}
	if dec.More() {
		return r, fmt.Errorf("not a JSON aggregate row: more than one value on the line")
	}
	return r, r.Validate()
}

// AggregateHeader maps a row's fields to CSV columns.
type AggregateHeader map[string]int

// ParseAggregateHeader reads the header row: it must name day,
// experiment, variant, units and converting_units; segment, metric, sum
// and sum_sq are optional.
func ParseAggregateHeader(record []string) (AggregateHeader, error) {
	h := AggregateHeader{}
	for i, name := range record {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if !slices.Contains(aggregateFields(), name) {
			return nil, fmt.Errorf("column %d is not an aggregate field; name the columns %s", i+1, strings.Join(aggregateFields(), ", "))
		}
		if _, dup := h[name]; dup {
			return nil, fmt.Errorf("column %d repeats the %s column", i+1, name)
		}
		h[name] = i
	}
	for _, need := range aggregateFields()[:6] {
		if _, ok := h[need]; !ok && need != "segment" {
			return nil, fmt.Errorf("the header has no %q column; it needs day, experiment, variant, units and converting_units", need)
		}
	}
	return h, nil
}

// Row decodes one CSV record by the header and validates it.
func (h AggregateHeader) Row(record []string) (AggregateRow, error) {
	if len(record) != len(h) {
		return AggregateRow{}, fmt.Errorf("has %d fields, the header has %d", len(record), len(h))
	}
	field := func(name string) string {
		if i, ok := h[name]; ok {
			return strings.TrimSpace(record[i])
		}
		return ""
	}
	r := AggregateRow{Day: field("day"), Experiment: field("experiment"), Variant: field("variant"), Segment: field("segment"), Metric: field("metric")}
	var err error
	for _, c := range []struct {
		name string
		to   *uint64
	}{{"units", &r.Units}, {"converting_units", &r.ConvertingUnits}} {
		if *c.to, err = strconv.ParseUint(field(c.name), 10, 64); err != nil {
			return r, &FieldError{Record: "aggregate", Field: c.name, Problem: "is not a whole number"}
		}
	}
	for _, c := range []struct {
		name string
		to   *float64
	}{{"sum", &r.Sum}, {"sum_sq", &r.SumSq}, {"converting_sum", &r.ConvertingSum}} {
		if v := field(c.name); v != "" {
			if *c.to, err = strconv.ParseFloat(v, 64); err != nil {
				return r, &FieldError{Record: "aggregate", Field: c.name, Problem: "is not a number"}
			}
		}
	}
	return r, r.Validate()
}
