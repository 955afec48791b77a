package core

import (
	"strings"
	"testing"
)

// Ensure that a day's total comes from its row without a segment when it
// has one, its segment rows breaking it down, and from the sum of its
// segment rows of one attribute otherwise, so no unit counts twice.
func TestSumAggregates(t *testing.T) {
	row := func(day, segment string, units, converting uint64) AggregateRow {
		return AggregateRow{Day: day, Experiment: "checkout", Variant: "control", Segment: segment, Units: units, ConvertingUnits: converting}
	}
	tests := []struct {
		name              string
		rows              []AggregateRow
		units, converting uint64
	}{
		{"total only", []AggregateRow{row("2026-11-01", "", 100, 10)}, 100, 10},
		{"segments only", []AggregateRow{row("2026-11-01", "mobile", 60, 4), row("2026-11-01", "desktop", 40, 6)}, 100, 10},
		{"total and its segments", []AggregateRow{row("2026-11-01", "mobile", 60, 4), row("2026-11-01", "", 100, 10), row("2026-11-01", "desktop", 40, 6)}, 100, 10},
		{"total and a partial breakdown", []AggregateRow{row("2026-11-01", "", 100, 10), row("2026-11-01", "device=mobile", 60, 4)}, 100, 10},
		{"two attributes without a total: the first by name", []AggregateRow{row("2026-11-01", "device=mobile", 60, 4), row("2026-11-01", "country=fr", 30, 3), row("2026-11-01", "country=de", 70, 7), row("2026-11-01", "device=desktop", 40, 6)}, 100, 10},
		{"days apart: one with a total, one without", []AggregateRow{row("2026-11-01", "", 100, 10), row("2026-11-01", "mobile", 60, 4), row("2026-11-02", "mobile", 5, 1), row("2026-11-02", "desktop", 5, 0)}, 110, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SumAggregates(tt.rows)
			if got.Exposures != tt.units || got.Converters != tt.converting {
				t.Fatalf("totals %d units / %d converting, want %d / %d", got.Exposures, got.Converters, tt.units, tt.converting)
			}
		})
	}
}

// Ensure that a segment names its attribute before "=", a segment that
// names none being a level of "segment", and that a day without a total
// refuses rows of a second attribute.
func TestAggregateRow_SegmentLevel(t *testing.T) {
	for segment, want := range map[string][2]string{
		"":              {"", ""},
		"mobile":        {"segment", "mobile"},
		"device=mobile": {"device", "mobile"},
		"Device=mobile": {"segment", "Device=mobile"}, // not an attribute key
		"device=":       {"segment", "device="},
		"a=b=c":         {"a", "b=c"},
		"plan=pro plus": {"plan", "pro plus"},
	} {
		attr, value := AggregateRow{Segment: segment}.SegmentLevel()
		if attr != want[0] || value != want[1] {
			t.Errorf("%q: %q, %q; want %q, %q", segment, attr, value, want[0], want[1])
		}
	}
	day := []AggregateRow{{Segment: "device=mobile"}}
	if c := SegmentConflict(day, AggregateRow{Segment: "device=desktop"}); c != "" {
		t.Errorf("same attribute refused: %s", c)
	}
	if c := SegmentConflict(day, AggregateRow{Segment: "country=fr"}); !strings.Contains(c, "rows by device and no row without a segment") {
		t.Errorf("second attribute without a total: %q", c)
	}
	if c := SegmentConflict(append(day, AggregateRow{}), AggregateRow{Segment: "country=fr"}); c != "" {
		t.Errorf("second attribute beside a total refused: %s", c)
	}
	if c := SegmentConflict(day, AggregateRow{}); c != "" {
		t.Errorf("a total refused: %s", c)
	}
}

// Ensure that a breakdown of rows by an attribute gives each level its
// rows, and "(none)" what each day's total holds beyond them, including a
// day sent without a breakdown; rows of other attributes are not levels.
func TestSegmentAggregates(t *testing.T) {
	row := func(day, segment string, units, converting uint64) AggregateRow {
		return AggregateRow{Day: day, Experiment: "checkout", Variant: "control", Segment: segment, Units: units, ConvertingUnits: converting}
	}
	rows := []AggregateRow{
		row("2026-11-01", "", 100, 10), row("2026-11-01", "device=mobile", 60, 4), row("2026-11-01", "device=desktop", 30, 5),
		row("2026-11-01", "country=fr", 20, 2),
		row("2026-11-02", "device=mobile", 8, 1), row("2026-11-02", "device=desktop", 2, 0),
		row("2026-11-03", "", 50, 5),
	}
	got := SegmentAggregates(rows, "device")
	want := map[string][2]uint64{"mobile": {68, 5}, "desktop": {32, 5}, SegmentNone: {10 + 50, 1 + 5}}
	if len(got) != len(want) {
		t.Fatalf("levels = %+v", got)
	}
	for level, w := range want {
		if g := got[level]; g.Exposures != w[0] || g.Converters != w[1] || !g.First.IsZero() {
			t.Errorf("%s: %d units / %d converting (first %v), want %d / %d", level, g.Exposures, g.Converters, g.First, w[0], w[1])
		}
	}
	if attrs := SegmentAttrs(rows); strings.Join(attrs, ",") != "country,device" {
		t.Errorf("attributes = %v", attrs)
	}
}

// Ensure that a day's segment rows may not break its total down into more
// units or converting units than it has, whichever comes first, and that
// a resent segment row replaces its own.
func TestSegmentConflict_OverTotal(t *testing.T) {
	row := func(segment string, units, converting uint64) AggregateRow {
		return AggregateRow{Day: "2026-11-25", Experiment: "agg", Variant: "a", Segment: segment, Units: units, ConvertingUnits: converting}
	}
	total := row("", 100, 10)
	tests := []struct {
		name     string
		day      []AggregateRow
		row      AggregateRow
		conflict bool
	}{
		{"a segment past the total", []AggregateRow{total}, row("device=mobile", 150, 5), true},
		{"segments summing past the total", []AggregateRow{total, row("device=mobile", 60, 5)}, row("device=desktop", 50, 5), true},
		{"converting past the total's", []AggregateRow{total, row("device=mobile", 60, 8)}, row("device=desktop", 40, 3), true},
		{"a total below its segments", []AggregateRow{row("device=mobile", 60, 5)}, row("", 50, 5), true},
		{"segments within the total", []AggregateRow{total, row("device=mobile", 60, 5)}, row("device=desktop", 40, 5), false},
		{"another attribute breaks it down again", []AggregateRow{total, row("device=mobile", 100, 10)}, row("region=eu", 100, 10), false},
		{"a resent row replaces its own", []AggregateRow{total, row("device=mobile", 90, 5)}, row("device=mobile", 95, 5), false},
		{"no total", []AggregateRow{row("device=mobile", 500, 5)}, row("device=desktop", 500, 5), false},
	}
	for _, tt := range tests {
		if got := SegmentConflict(tt.day, tt.row); (got != "") != tt.conflict {
			t.Errorf("%s: conflict %q, want one: %v", tt.name, got, tt.conflict)
		}
	}
}
