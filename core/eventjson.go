package core

import (
	"strconv"
	"strings"
)

// maxInterned bounds an EventDecoder's table of repeated names, so a stream
// of ever-new experiment keys cannot grow it without end.
const maxInterned = 4096

// EventDecoder decodes JSONL event lines quickly. Lines in the plain shape
// producers write (known keys, strings without escapes, ASCII) are scanned
// by hand; anything else goes through DecodeEventJSON, so both paths give
// the same event and the same error for every line. Field strings are
// slices of the line, and experiment, variant and type names are shared
// across events. The zero value is ready to use; it is not safe for
// concurrent use.
type EventDecoder struct {
	names map[string]string
}

// Decode decodes one line and validates the event.
func (d *EventDecoder) Decode(line string) (Event, error) {
	if ev, ok := d.scan(line); ok {
		return ev, ev.Validate()
	}
	return DecodeEventJSON([]byte(line))
}

// scan decodes a line in the plain shape; false means the line needs
// encoding/json, to decode it or to word what is wrong with it.
func (d *EventDecoder) scan(s string) (Event, bool) {
	var ev Event
	i := skipSpace(s, 0)
	if i >= len(s) || s[i] != '{' {
		return ev, false
	}
	i = skipSpace(s, i+1)
	for {
		key, j, ok := plainString(s, i)
		if !ok {
			return ev, false
		}
		i = skipSpace(s, j)
		if i >= len(s) || s[i] != ':' {
			return ev, false
		}
		i = skipSpace(s, i+1)
		switch key {
		case "value":
			ev.Value, i, ok = plainNumber(s, i)
		case "attrs":
			i, ok = d.attrs(s, i, &ev)
		default:
			var v string
			v, i, ok = plainString(s, i)
			ok = ok && d.set(&ev, key, v)
		}
		if !ok {
			return ev, false
		}
		i = skipSpace(s, i)
		if i >= len(s) {
			return ev, false
		}
		if s[i] == '}' {
			return ev, skipSpace(s, i+1) == len(s)
		}
		if s[i] != ',' {
			return ev, false
		}
		i = skipSpace(s, i+1)
	}
}

// attrs reads a plain object of plain strings at s[i] into ev.Attrs, as
// encoding/json would: an empty object is an empty map, a repeated key
// keeps its last value, and a second attrs object adds to the first. Keys
// and values are interned: audiences and countries repeat on every line.
func (d *EventDecoder) attrs(s string, i int, ev *Event) (int, bool) {
	if i >= len(s) || s[i] != '{' {
		return i, false
	}
	if ev.Attrs == nil {
		ev.Attrs = map[string]string{}
	}
	i = skipSpace(s, i+1)
	if i < len(s) && s[i] == '}' {
		return i + 1, true
	}
	for {
		k, j, ok := plainString(s, i)
		if !ok {
			return i, false
		}
		i = skipSpace(s, j)
		if i >= len(s) || s[i] != ':' {
			return i, false
		}
		v, j, ok := plainString(s, skipSpace(s, i+1))
		if !ok {
			return i, false
		}
		ev.Attrs[d.intern(k)] = d.intern(v)
		i = skipSpace(s, j)
		switch {
		case i < len(s) && s[i] == '}':
			return i + 1, true
		case i >= len(s) || s[i] != ',':
			return i, false
		}
		i = skipSpace(s, i+1)
	}
}

// set stores a string field; false for a key encoding/json must judge.
func (d *EventDecoder) set(ev *Event, key, v string) bool {
	switch key {
	case "ts":
		// Time's JSON decoding is UnmarshalText on the quoted text.
		return ev.TS.UnmarshalText([]byte(v)) == nil
	case "experiment":
		ev.Experiment = d.intern(v)
	case "variant":
		ev.Variant = d.intern(v)
	case "type":
		ev.Type = EventType(d.intern(v))
	case "unit":
		ev.Unit = v
	case "id":
		ev.ID = v
	default:
		return false
	}
	return true
}

// intern returns a shared copy of a name seen before, so events do not keep
// their line alive through it.
func (d *EventDecoder) intern(v string) string {
	if s, ok := d.names[v]; ok {
		return s
	}
	if d.names == nil {
		d.names = make(map[string]string)
	}
	s := strings.Clone(v)
	if len(d.names) < maxInterned {
		d.names[s] = s
	}
	return s
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// plainString reads a JSON string at s[i] with no escapes, control or
// non-ASCII bytes, and returns its contents and the index after it.
func plainString(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return "", i, false
	}
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			return s[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return "", i, false
		}
	}
	return "", i, false
}

// plainNumber reads a JSON number at s[i] that fits a float64.
func plainNumber(s string, i int) (float64, int, bool) {
	start := i
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = skipDigits(s, i)
	default:
		return 0, i, false
	}
	if i < len(s) && s[i] == '.' {
		if j := skipDigits(s, i+1); j > i+1 {
			i = j
		} else {
			return 0, i, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if j := skipDigits(s, i); j > i {
			i = j
		} else {
			return 0, i, false
		}
	}
	v, err := strconv.ParseFloat(s[start:i], 64)
	return v, i, err == nil
}

func skipDigits(s string, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}
