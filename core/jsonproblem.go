package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// JSONProblem words an error from decoding JSON a person gave (a file,
// stdin, a line of an export) into one of tandem's records: the key, by
// its path in their JSON ("rules.max_length"), and what it must be. It
// never names Go's types or fields, nor quotes the input's text beyond
// an unknown key.
func JSONProblem(err error) string {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		when   *time.ParseError
	)
	switch {
	case errors.Is(err, io.EOF):
		return "the input is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON stops before its end (cut short?)"
	case errors.As(err, &syntax):
		return fmt.Sprintf("not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Sprintf("%s must be %s", typ.Field, jsonWants(typ.Type, typ.Value))
	case errors.As(err, &typ):
		return "must be " + jsonWants(typ.Type, typ.Value)
	case errors.As(err, &when), strings.HasPrefix(err.Error(), "Time.UnmarshalJSON"):
		return "a time must be an RFC 3339 string, such as 2026-11-01T10:00:00Z"
	}
	msg := err.Error()
	if quoted, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		if key, err := strconv.Unquote(quoted); err == nil {
			return fmt.Sprintf("unknown key %q", key)
		}
	}
	if strings.HasPrefix(msg, "json: ") {
		return "not JSON of the expected shape"
	}
	return msg // from an UnmarshalJSON of tandem's own, in its words
}

// jsonWants names the kind of JSON value a Go type takes. given is the
// JSON the input had ("number", or "number 1e400" when a number did not
// fit).
func jsonWants(t reflect.Type, given string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	outOfRange := strings.HasPrefix(given, "number ")
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if outOfRange {
			return "a whole number, in range"
		}
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number of 0 or more"
	case reflect.Float32, reflect.Float64:
		if outOfRange {
			return "a number, in range"
		}
		return "a number"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a base64 string"
		}
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "another kind of value"
}
