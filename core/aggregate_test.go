package core

import (
	"math"
	"strings"
	"testing"
)

// Ensure that a warehouse row is refused, naming the field, for each way
// it can be wrong, and that a good row adds what it says to its variant.
func TestAggregateRow_Validate(t *testing.T) {
	good := AggregateRow{Day: "2026-11-02", Experiment: "checkout", Variant: "control", Units: 100, ConvertingUnits: 12, Metric: AggregateMetric, Sum: 300, SumSq: 4000, ConvertingSum: 250}
	if err := good.Validate(); err != nil {
		t.Fatalf("good row: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(*AggregateRow)
		field string
	}{
		{"no day", func(r *AggregateRow) { r.Day = "" }, "day"},
		{"a time, not a day", func(r *AggregateRow) { r.Day = "2026-11-02T10:00:00Z" }, "day"},
		{"a day of 1970", func(r *AggregateRow) { r.Day = "1970-01-01" }, "day"},
		{"bad experiment", func(r *AggregateRow) { r.Experiment = "Checkout Flow" }, "experiment"},
		{"escape in variant", func(r *AggregateRow) { r.Variant = "a\x1b[31m" }, "variant"},
		{"bidi in segment", func(r *AggregateRow) { r.Segment = "mobile\u202e" }, ""},
		{"escape in segment", func(r *AggregateRow) { r.Segment = "mobile\x1b[2J" }, "segment"},
		{"long segment", func(r *AggregateRow) { r.Segment = strings.Repeat("s", 101) }, "segment"},
		{"attribute without a level", func(r *AggregateRow) { r.Segment = "device=" }, "segment"},
		{"level without an attribute", func(r *AggregateRow) { r.Segment = "=mobile" }, "segment"},
		{"more converting than units", func(r *AggregateRow) { r.ConvertingUnits = 101 }, "converting_units"},
		{"unknown metric", func(r *AggregateRow) { r.Metric = "clicks" }, "metric"},
		{"sum without metric", func(r *AggregateRow) { r.Metric = "" }, "metric"},
		{"NaN sum", func(r *AggregateRow) { r.Sum = math.NaN() }, "sum"},
		{"Inf sum_sq", func(r *AggregateRow) { r.SumSq = math.Inf(1) }, "sum"},
		{"negative sum", func(r *AggregateRow) { r.Sum = -1 }, "sum"},
		{"squares below sum²/n", func(r *AggregateRow) { r.SumSq = 899 }, "sum_sq"},
		{"converting sum above sum", func(r *AggregateRow) { r.ConvertingSum = 301 }, "converting_sum"},
		// Rows that would wrap a count or overflow a sum of squares.
		{"units past a billion", func(r *AggregateRow) { r.Units = math.MaxUint64 }, "units"},
		{"squares past the largest value", func(r *AggregateRow) { r.SumSq = 1.7e308 }, "sum_sq"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good
			tt.edit(&r)
			err := r.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if Field(err) != tt.field {
				t.Fatalf("error %v, want one on %s", err, tt.field)
			}
		})
	}
	tot := good.Totals()
	if tot.Exposures != 100 || tot.Converters != 12 || tot.Revenue != 300 || tot.RevenueSq != 4000 || tot.ConverterRevenue != 250 ||
		tot.First.Format("2006-01-02T15:04:05") != "2026-11-02T00:00:00" || tot.Last.Format("2006-01-02") != "2026-11-02" {
		t.Fatalf("totals = %+v", tot)
	}
}
