package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// eventFields are the names events use in JSONL keys and CSV headers.
func eventFields() []string {
	return []string{"id", "ts", "experiment", "variant", "unit", "type", "value", "attrs"}
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
// It names the field and the kind of problem, never the line's text:
// encoding/json quotes numbers, keys and characters of its input.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the line ends before the JSON object does"
	case errors.As(err, &typ) && typ.Field == "value":
		return "value: is not a number, or is too large"
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Sprintf("%s: is a JSON %s; want a %s", typ.Field, jsonKind(typ.Value), typ.Type.Kind())
	case errors.As(err, &typ):
		return "the line is not a JSON object"
	case strings.Contains(err.Error(), "unknown field"):
		return "has a field events do not have; use " + strings.Join(eventFields(), ", ")
	case strings.Contains(err.Error(), "parsing time") || strings.Contains(err.Error(), "Time.UnmarshalJSON"):
		return "ts: use an RFC 3339 time such as 2026-11-01T10:00:00Z"
	}
	return "not a valid event object"
}

// jsonKind is the JSON type in an UnmarshalTypeError's Value, without the
// number it may quote ("number 1e400").
func jsonKind(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	return kind
}

// CSVHeader maps event fields to CSV columns; an attribute's column is
// under its key prefixed with attrColumn.
type CSVHeader map[string]int

// attrColumn prefixes attribute columns in a CSVHeader.
const attrColumn = "attrs."

// ParseCSVHeader reads the header row: it must name ts, experiment,
// variant, unit and type; id and value are optional; any other column is
// an attribute named by a key (such as audience), else an error.
func ParseCSVHeader(record []string) (CSVHeader, error) {
	h := CSVHeader{}
	for i, name := range record {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		known := name != "attrs"
		if known && !slices.Contains(eventFields(), name) {
			known = ValidKey(name)
			name = attrColumn + name
		}
		if !known {
			return nil, fmt.Errorf("column %d is not an event field or an attribute key; name the columns %s, and attributes by keys such as audience", i+1, strings.Join(eventFields()[:7], ", "))
		}
		if _, dup := h[name]; dup {
			return nil, fmt.Errorf("column %d repeats the %s column", i+1, name)
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
		return ev, &FieldError{Record: "event", Field: "ts", Problem: "is not an RFC 3339 time such as 2026-11-01T10:00:00Z"}
	}
	ev.TS = ts
	for name := range h {
		if k, ok := strings.CutPrefix(name, attrColumn); ok && field(name) != "" {
			if ev.Attrs == nil {
				ev.Attrs = map[string]string{}
			}
			ev.Attrs[k] = field(name)
		}
	}
	if v := field("value"); v != "" {
		if ev.Value, err = strconv.ParseFloat(v, 64); err != nil {
			return ev, &FieldError{Record: "event", Field: "value", Problem: "is not a number"}
		}
	}
	return ev, ev.Validate()
}
