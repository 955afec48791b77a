package core

import (
	"errors"
	"fmt"
	"strings"
)

// FieldError says which field of a record is invalid and why. Validation
// returns one per bad field, joined with errors.Join.
type FieldError struct {
	// Record names the type, e.g. "brief".
	Record string
	// Field is the field's name as a person knows it: the CLI flag without
	// its dashes where there is one ("due", "estimate", "hours").
	Field string
	// Problem says what is wrong in words a person can act on.
	Problem string
}

// Error implements error.
func (e *FieldError) Error() string {
	return fmt.Sprintf("%s %s: %s", e.Record, e.Field, e.Problem)
}

// fieldErrors collects the problems of one record while it is validated.
type fieldErrors struct {
	record string
	errs   []error
}

func (f *fieldErrors) add(field, format string, args ...any) {
	f.errs = append(f.errs, &FieldError{Record: f.record, Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (f *fieldErrors) required(field, value string) {
	if strings.TrimSpace(value) == "" {
		f.add(field, "is required")
	}
}

func (f *fieldErrors) maxLen(field, value string, n int) {
	if len(value) > n {
		f.add(field, "is %d bytes long; at most %d are allowed", len(value), n)
	}
}

// id checks a required identifier (a unit, an event id) by IDProblem.
func (f *fieldErrors) id(field, value string) {
	if value == "" {
		f.add(field, "is required")
	} else if p := IDProblem(value); p != "" {
		f.add(field, "%s", p)
	}
}

// name checks a name, title or term by NameProblem; an empty (or blank)
// value passes unless required.
func (f *fieldErrors) name(field, value string, limit int, required bool) {
	switch {
	case strings.TrimSpace(value) == "" && required:
		f.add(field, "is required")
	case value == "":
	default:
		if p := NameProblem(value, limit); p != "" {
			f.add(field, "%s", p)
		}
	}
}

// text checks free text by TextProblem.
func (f *fieldErrors) text(field, value string, limit int) {
	if p := TextProblem(value, limit); p != "" {
		f.add(field, "%s", p)
	}
}

func (f *fieldErrors) err() error { return errors.Join(f.errs...) }

// Field returns the name of the first invalid field in err, or "" when err
// holds no FieldError.
func Field(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}
