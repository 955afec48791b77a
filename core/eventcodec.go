package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// eventFields are the names events use in JSONL keys and CSV headers.
func eventFields() []string {
	return []string{"id", "ts", "experiment", "variant", "unit", "type", "value"}
}

// DecodeEventJSON decodes one JSONL line into an event and validates it.
// Unknown keys are an error, so a misspelt field is caught, not dropped.
func DecodeEventJSON(line []byte) (Event, error) {
	var ev Event
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		return ev, fmt.Errorf("not a JSON event: %s", jsonProblem(err))
	}
	if dec.More() {
		return ev, fmt.Errorf("not a JSON event: more than one value on the line")
	}
	return ev, ev.Validate()
}

// jsonProblem words a decoding error for a person reading an input file.
func jsonProblem(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	if strings.Contains(msg, "parsing time") || strings.Contains(msg, "Event.ts") {
		return "ts must be an RFC 3339 time such as 2026-11-01T10:00:00Z"
	}
	return msg
}

// CSVHeader maps event fields to CSV columns.
type CSVHeader map[string]int

// ParseCSVHeader reads the header row: it must name ts, experiment,
// variant, unit and type; id and value are optional; other columns are an
// error.
func ParseCSVHeader(record []string) (CSVHeader, error) {
	h := CSVHeader{}
	for i, name := range record {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		known := false
		for _, f := range eventFields() {
			known = known || f == name
		}
		if !known {
			return nil, fmt.Errorf("unknown column %q; use %s", name, strings.Join(eventFields(), ", "))
		}
		if _, dup := h[name]; dup {
			return nil, fmt.Errorf("column %q appears twice", name)
		}
		h[name] = i
	}
	for _, need := range []string{"ts", "experiment", "variant", "unit", "type"} {
		if _, ok := h[need]; !ok {
			return nil, fmt.Errorf("the header has no %q column; it needs ts, experiment, variant, unit and type", need)
		}
	}
	return h, nil
}

// Event decodes one CSV record by the header and validates it.
func (h CSVHeader) Event(record []string) (Event, error) {
	field := func(name string) string {
		if i, ok := h[name]; ok && i < len(record) {
			return strings.TrimSpace(record[i])
		}
		return ""
	}
	if len(record) != len(h) {
		return Event{}, fmt.Errorf("has %d fields, the header has %d", len(record), len(h))
	}
	ev := Event{ID: field("id"), Experiment: field("experiment"), Variant: field("variant"), Unit: field("unit"), Type: EventType(field("type"))}
	ts, err := time.Parse(time.RFC3339Nano, field("ts"))
	if err != nil {
		return ev, fmt.Errorf("ts %q: use an RFC 3339 time such as 2026-11-01T10:00:00Z", field("ts"))
	}
	ev.TS = ts
	if v := field("value"); v != "" {
		if ev.Value, err = strconv.ParseFloat(v, 64); err != nil {
			return ev, fmt.Errorf("value %q is not a number", v)
		}
	}
	return ev, ev.Validate()
}
