package core

import (
	"strings"
	"testing"
)

func TestDecodeEventJSON(t *testing.T) {
	tests := []struct {
		line, problem string
	}{
		{`{"ts":"2026-11-01T10:00:00Z","experiment":"spring-email","variant":"b","unit":"u-123","type":"revenue","value":12.5}`, ""},
		{`{"ts":"yesterday","experiment":"x","variant":"b","unit":"u","type":"exposure"}`, "RFC 3339"},
		{`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"click"}`, "event type"},
		{`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure","colour":"red"}`, "unknown field"},
		{`not json`, "not a JSON event"},
		{`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure"} {}`, "more than one"},
	}
	for _, tt := range tests {
		ev, err := DecodeEventJSON([]byte(tt.line))
		switch {
		case tt.problem == "" && err != nil:
			t.Errorf("%s: %v", tt.line, err)
		case tt.problem != "" && (err == nil || !strings.Contains(err.Error(), tt.problem)):
			t.Errorf("%s: err %v, want %q", tt.line, err, tt.problem)
		}
		if tt.problem == "" && (ev.Value != 12.5 || ev.Type != EventRevenue) {
			t.Errorf("decoded %+v", ev)
		}
	}
}

func TestCSVHeader(t *testing.T) {
	h, err := ParseCSVHeader([]string{"\ufeffts", "experiment", "variant", "unit", "type", "value"})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := h.Event([]string{"2026-11-01T10:00:00Z", "spring-email", "b", "u-1", "conversion", ""})
	if err != nil || ev.Type != EventConversion || ev.Unit != "u-1" {
		t.Fatalf("event = %+v, %v", ev, err)
	}
	for _, rec := range [][]string{
		{"2026-11-01T10:00:00Z", "spring-email", "b"},
		{"tuesday", "spring-email", "b", "u", "exposure", ""},
		{"2026-11-01T10:00:00Z", "spring-email", "b", "u", "revenue", "lots"},
	} {
		if _, err := h.Event(rec); err == nil {
			t.Errorf("record %v accepted", rec)
		}
	}
	for _, bad := range [][]string{{"ts", "experiment"}, {"ts", "experiment", "variant", "unit", "type", "colour"}, {"ts", "ts", "experiment", "variant", "unit", "type"}} {
		if _, err := ParseCSVHeader(bad); err == nil {
			t.Errorf("header %v accepted", bad)
		}
	}
}

func FuzzDecodeEventJSON(f *testing.F) {
	f.Add([]byte(`{"ts":"2026-11-01T10:00:00Z","experiment":"spring-email","variant":"b","unit":"u-123","type":"exposure"}`))
	f.Add([]byte(`{"ts":"2026-11-01T10:00:00Z","value":1e308,"type":"revenue"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		ev, err := DecodeEventJSON(line)
		if err == nil && ev.Validate() != nil {
			t.Fatalf("accepted an invalid event %+v", ev)
		}
	})
}

func FuzzCSVEvent(f *testing.F) {
	f.Add("2026-11-01T10:00:00Z,spring-email,b,u-1,exposure,")
	f.Add(",,,,,")
	h, _ := ParseCSVHeader([]string{"ts", "experiment", "variant", "unit", "type", "value"})
	f.Fuzz(func(t *testing.T, line string) {
		ev, err := h.Event(strings.Split(line, ","))
		if err == nil && ev.Validate() != nil {
			t.Fatalf("accepted an invalid event %+v", ev)
		}
	})
}
