package core

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestDecodeEventJSON(t *testing.T) {
	tests := []struct {
		line, problem string
	}{
		{`{"ts":"2026-11-01T10:00:00Z","experiment":"spring-email","variant":"b","unit":"u-123","type":"revenue","value":12.5}`, ""},
		{`{"ts":"yesterday","experiment":"x","variant":"b","unit":"u","type":"exposure"}`, "RFC 3339"},
		{`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"click"}`, "event type"},
		{`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure","colour":"red"}`, "field events do not have"},
		{`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"revenue","value":1e400}`, "value: is not a number"},
		{`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"revenue","value":1e308}`, "event value: is beyond"},
		{`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"revenue","value":-1e13}`, "event value: is beyond"},
		{`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"revenue","value":"NaN"}`, "value: is not a number"},
		{`{"ts":"1970-01-01T00:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure"}`, "event ts: is outside"},
		{`{"ts":"2100-01-01T00:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure"}`, "event ts: is outside"},
		{`{"id":"\nssh-ed25519 AAAAC3Nz\n","ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure"}`, "event id: has a control character"},
		{`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u\u202e","type":"exposure"}`, "event unit: has an invisible formatting character"},
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

// Ensure that the hand-written decoder and encoding/json agree, on the plain
// lines it scans itself and on every line it hands over.
func TestEventDecoder(t *testing.T) {
	lines := []string{
		`{"ts":"2026-11-01T10:00:00Z","experiment":"spring-email","variant":"b","unit":"u-123","type":"revenue","value":12.5}`,
		` {"id":"e-9", "ts" : "2026-11-01T10:00:00.123456789-05:30","experiment":"x","variant":"b","unit":"u","type":"exposure"}` + "\r",
		`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"caf\u00e9","type":"exposure"}`,
		`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"café","type":"exposure"}`,
		`{"TS":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure"}`,
		`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"revenue","value":1e400}`,
		`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"revenue","value":01}`,
		`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"revenue","value":null}`,
		`{"ts":"2026-11-01T24:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure"}`,
		`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure","unit":"v"}`,
		`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure"}{}`,
		`{}`, `{"ts":1}`, `[]`, ``, `{"unit":"u",}`,
	}
	var d EventDecoder
	for _, line := range lines {
		want, werr := DecodeEventJSON([]byte(line))
		got, err := d.Decode(line)
		if !reflect.DeepEqual(got, want) || fmt.Sprint(err) != fmt.Sprint(werr) {
			t.Errorf("%s:\n got %+v, %v\nwant %+v, %v", line, got, err, want, werr)
		}
	}
	if _, ok := d.scan(lines[1]); !ok {
		t.Errorf("the plain line %s went to encoding/json", lines[1])
	}
}

// Ensure that ValidKey is the documented pattern.
func TestValidKey(t *testing.T) {
	pattern := regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)
	for _, k := range []string{"", "a", "spring-email", "v1.2_b", "-a", ".a", "A", "a b", "é", strings.Repeat("a", 63), strings.Repeat("a", 64), "a\n"} {
		if ValidKey(k) != pattern.MatchString(k) {
			t.Errorf("ValidKey(%q) = %v", k, ValidKey(k))
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
		{"2026-11-01T10:00:00Z", "spring-email", "b", "u", "revenue", "NaN"},
		{"2026-11-01T10:00:00Z", "spring-email", "b", "u", "revenue", "-Inf"},
		{"2026-11-01T10:00:00Z", "spring-email", "b", "u", "revenue", "1e308"},
		{"2026-11-01T10:00:00Z", "spring-email", "b", "u", "revenue", "1e400"},
		{"1969-12-31T23:59:59Z", "spring-email", "b", "u", "exposure", ""},
		{"2026-11-01T10:00:00Z", "spring-email", "b", "u\x1b[2J", "exposure", ""},
	} {
		if _, err := h.Event(rec); err == nil {
			t.Errorf("record %v accepted", rec)
		}
	}
	// Ensure that no error quotes the input: an attacker ingested
	// /etc/shadow as CSV and read it back from the error lines.
	secret := "root:$6$saltsalt$hash:19000:0:99999:7:::"
	if _, err := ParseCSVHeader([]string{secret}); err == nil || strings.Contains(err.Error(), "root") {
		t.Errorf("header error %v", err)
	}
	for _, i := range []int{0, 1, 2, 4, 5} { // column 3, the unit, may be any id
		rec := []string{"2026-11-01T10:00:00Z", "spring-email", "b", "u", "revenue", "1"}
		rec[i] = secret
		if _, err := h.Event(rec); err == nil || strings.Contains(err.Error(), "root") || strings.Contains(err.Error(), "salt") {
			t.Errorf("column %d: error %v", i, err)
		}
	}
	for _, bad := range [][]string{{"ts", "experiment"}, {"ts", "experiment", "variant", "unit", "type", "Colour!"}, {"ts", "experiment", "variant", "unit", "type", "attrs"},
		{"ts", "ts", "experiment", "variant", "unit", "type"}, {"ts", "experiment", "variant", "unit", "type", "audience", "Audience"}} {
		if _, err := ParseCSVHeader(bad); err == nil {
			t.Errorf("header %v accepted", bad)
		}
	}
}

func FuzzDecodeEventJSON(f *testing.F) {
	f.Add([]byte(`{"ts":"2026-11-01T10:00:00Z","experiment":"spring-email","variant":"b","unit":"u-123","type":"exposure"}`))
	f.Add([]byte(`{"ts":"2026-11-01T10:00:00Z","value":1e308,"type":"revenue"}`))
	f.Add([]byte(` { "id" : "e-1", "unit":"u", "value" : -0.5e-3 ,"ts":"2026-11-01T10:00:00.5+02:00"} `))
	f.Add([]byte(`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"revenue","value":1e400}`))
	f.Add([]byte(`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"revenue","value":NaN}`))
	f.Add([]byte(`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"revenue","value":-Infinity}`))
	f.Add([]byte(`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"revenue","value":1000000000001}`))
	f.Add([]byte(`{"ts":"0001-01-01T00:00:01Z","experiment":"x","variant":"b","unit":"u","type":"exposure"}`))
	f.Add([]byte(`{"id":"\nssh-ed25519 AAAA\n","ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure"}`))
	f.Add([]byte(`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure","attrs":{"audience":"smb","country":"FR"}}`))
	f.Add([]byte(`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure","attrs":{"Audience":"a b","n":1}}`))
	f.Add([]byte(`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure","attrs":{},"attrs":{"a":"1","a":"2"}}`))
	f.Add([]byte(`{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure","attrs":null}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		ev, err := DecodeEventJSON(line)
		if err == nil && ev.Validate() != nil {
			t.Fatalf("accepted an invalid event %+v", ev)
		}
		if err == nil && (math.IsNaN(ev.Value) || math.Abs(ev.Value) > MaxEventValue) {
			t.Fatalf("accepted value %g", ev.Value)
		}
		var d EventDecoder
		fast, ferr := d.Decode(string(line))
		if !reflect.DeepEqual(fast, ev) || fmt.Sprint(ferr) != fmt.Sprint(err) {
			t.Fatalf("EventDecoder gave %+v, %v; encoding/json gave %+v, %v", fast, ferr, ev, err)
		}
	})
}

func FuzzCSVEvent(f *testing.F) {
	f.Add("2026-11-01T10:00:00Z,spring-email,b,u-1,exposure,")
	f.Add(",,,,,")
	f.Add("2026-11-01T10:00:00Z,spring-email,b,u-1,revenue,NaN")
	f.Add("2026-11-01T10:00:00Z,spring-email,b,u-1,revenue,+Inf")
	f.Add("2026-11-01T10:00:00Z,spring-email,b,u-1,revenue,1e308")
	f.Add("2026-11-01T10:00:00Z,spring-email,b,u-1,revenue,0x1p1000")
	f.Add("1999-12-31T23:59:59Z,spring-email,b,u-1,exposure,")
	h, _ := ParseCSVHeader([]string{"ts", "experiment", "variant", "unit", "type", "value"})
	f.Fuzz(func(t *testing.T, line string) {
		ev, err := h.Event(strings.Split(line, ","))
		if err == nil && ev.Validate() != nil {
			t.Fatalf("accepted an invalid event %+v", ev)
		}
		if err == nil && (math.IsNaN(ev.Value) || math.Abs(ev.Value) > MaxEventValue) {
			t.Fatalf("accepted value %g", ev.Value)
		}
	})
}

// Ensure that events carry attributes from JSONL (both decoders agree)
// and from extra CSV columns, validated like identifiers, and that no
// attribute problem quotes the value.
func TestEventAttrs(t *testing.T) {
	line := `{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"b","unit":"u","type":"exposure","attrs":{"audience":"smb","country":"FR"}}`
	var d EventDecoder
	fast, err := d.Decode(line)
	slow, serr := DecodeEventJSON([]byte(line))
	if err != nil || serr != nil || !reflect.DeepEqual(fast, slow) || fast.Attrs["audience"] != "smb" || fast.Attrs["country"] != "FR" {
		t.Fatalf("JSONL attrs: %+v %v / %+v %v", fast, err, slow, serr)
	}
	if _, ok := d.scan(line); !ok {
		t.Error("a plain attrs line left the fast path")
	}
	h, err := ParseCSVHeader([]string{"ts", "experiment", "variant", "unit", "type", "Audience"})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := h.Event([]string{"2026-11-01T10:00:00Z", "x", "b", "u", "exposure", "smb"})
	if err != nil || !reflect.DeepEqual(ev.Attrs, map[string]string{"audience": "smb"}) {
		t.Fatalf("CSV attrs: %+v %v", ev, err)
	}
	if ev, err = h.Event([]string{"2026-11-01T10:00:00Z", "x", "b", "u", "exposure", ""}); err != nil || ev.Attrs != nil {
		t.Fatalf("an empty cell is an attribute: %+v %v", ev, err)
	}
	base := Event{TS: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC), Experiment: "x", Variant: "b", Unit: "u", Type: EventExposure}
	many := map[string]string{}
	for i := range MaxEventAttrs + 1 {
		many[fmt.Sprint("k", i)] = "v"
	}
	for _, tt := range []struct {
		attrs map[string]string
		field string
	}{
		{map[string]string{"Audience": "smb"}, "attrs"},
		{map[string]string{"audience": "small business"}, "attrs.audience"},
		{map[string]string{"audience": "secret\u202e"}, "attrs.audience"},
		{map[string]string{"audience": strings.Repeat("x", MaxAttrValueLen+1)}, "attrs.audience"},
		{map[string]string{"audience": ""}, "attrs.audience"},
		{many, "attrs"},
	} {
		ev := base
		ev.Attrs = tt.attrs
		err := ev.Validate()
		if Field(err) != tt.field || strings.Contains(fmt.Sprint(err), "small business") {
			t.Errorf("attrs %q: %v, want field %s", tt.attrs, err, tt.field)
		}
	}
}

// BenchmarkDecodeAttrs measures decoding a JSONL line with attributes by
// the fast scanner and by encoding/json.
func BenchmarkDecodeAttrs(b *testing.B) {
	line := `{"ts":"2026-11-01T10:00:00Z","experiment":"spring-email","variant":"b","unit":"u-123","type":"exposure","attrs":{"audience":"smb","country":"FR"}}`
	b.Run("tandem", func(b *testing.B) {
		var d EventDecoder
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.Decode(line); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := DecodeEventJSON([]byte(line)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
