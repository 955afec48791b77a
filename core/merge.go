package core

import (
	"fmt"
	"strings"
)

// FieldOf is one field of a record of type T, as a three-way merge sees
// it: a canonical text to compare and show, and how to copy the field from
// one record to another.
type FieldOf[T any] struct {
	// Name is the field's name as the CLI and JSON spell it.
	Name string
	// Text is the field's value as compared and shown; two records whose
	// Texts are equal hold the same value.
	Text func(T) string
	// Take copies the field from src into dst.
	Take func(dst *T, src T)
}

// FieldConflict is one field both sides of an edit changed, to different
// values.
type FieldConflict struct {
	Field  string `json:"field"`
	Base   string `json:"base"`   // the value the edit started from
	Theirs string `json:"theirs"` // the value stored since
	Mine   string `json:"mine"`   // the value the edit wants
}

// Merge3 merges mine, an edit made from base, with theirs, the record as
// stored now. A field only one side changed takes that side's value; a
// field both changed to the same value keeps it; a field both changed to
// different values is a conflict and keeps mine in the result, so the
// caller can show both. took lists the fields taken from theirs.
func Merge3[T any](fields []FieldOf[T], base, theirs, mine T) (merged T, took []string, conflicts []FieldConflict) {
	merged = mine
	for _, f := range fields {
		b, t, m := f.Text(base), f.Text(theirs), f.Text(mine)
		switch {
		case t == b || t == m:
		case m == b:
			f.Take(&merged, theirs)
			took = append(took, f.Name)
		default:
			conflicts = append(conflicts, FieldConflict{Field: f.Name, Base: b, Theirs: t, Mine: m})
		}
	}
	return merged, took, conflicts
}

// Changed lists the fields in which b differs from a.
func Changed[T any](fields []FieldOf[T], a, b T) []string {
	var out []string
	for _, f := range fields {
		if f.Text(a) != f.Text(b) {
			out = append(out, f.Name)
		}
	}
	return out
}

// Merged says which fields a saved edit took from changes others made
// after the version it was made from. The zero Merged took nothing.
type Merged struct {
	// Record names the record, e.g. "brief 18".
	Record string `json:"record,omitempty"`
	// From is the version the edit was made from; Version the one it
	// saved.
	From    uint64 `json:"from,omitempty"`
	Version uint64 `json:"version,omitempty"`
	// Fields are those taken from the others' changes, By who made them.
	Fields []string `json:"fields,omitempty"`
	By     []string `json:"by,omitempty"`
}

// String says what was merged ("merged with bo's change to title"), ""
// when nothing was.
func (m Merged) String() string {
	if len(m.Fields) == 0 {
		return ""
	}
	change := "change"
	if len(m.Fields) > 1 {
		change = "changes"
	}
	return fmt.Sprintf("merged with %s %s to %s", possessive(m.By), change, strings.Join(m.Fields, ", "))
}

func possessive(names []string) string {
	switch len(names) {
	case 0:
		return "others'"
	case 1:
		return names[0] + "'s"
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + "'s"
}

// ConflictError refuses an edit made from an older version of a record
// when someone else changed the same fields since, to other values. No
// field is saved: the editor decides, per field, whether to keep theirs
// or to save again from the current version.
type ConflictError struct {
	// Record names the record, e.g. "brief 18".
	Record string
	// From is the version the edit was made from, Current the one stored.
	From, Current uint64
	// By are who made the changes since From.
	By     []string
	Fields []FieldConflict
	// Detail says what changed when no field conflicts, e.g. that a
	// moved brief's stage is as the mover saw it.
	Detail string
	// Hint says how to keep one's own values, e.g. "tandem brief edit 18
	// --if-version 4 …"; a sentence the transport may replace.
	Hint string
}

// Error implements error. It is one line: the fields with both values
// (or Detail), then what to do.
func (e *ConflictError) Error() string {
	var parts []string
	for _, f := range e.Fields {
		if f.Theirs == f.Mine {
			parts = append(parts, fmt.Sprintf("%s is %q already", f.Field, f.Theirs))
		} else {
			parts = append(parts, fmt.Sprintf("%s is %q there, %q here", f.Field, f.Theirs, f.Mine))
		}
	}
	if e.Detail != "" {
		parts = append(parts, e.Detail)
	}
	what := ""
	if len(parts) > 0 {
		what = ": " + strings.Join(parts, "; ")
	}
	by := ""
	if len(e.By) > 0 {
		by = ", by " + strings.Join(e.By, ", ")
	}
	hint := e.Hint
	if hint == "" {
		hint = fmt.Sprintf("read it again and edit from version %d", e.Current)
	}
	return fmt.Sprintf("conflict: %s changed since version %d (now %d%s)%s; nothing was saved: %s",
		e.Record, e.From, e.Current, by, what, hint)
}

// FieldNames lists the conflicting fields.
func (e *ConflictError) FieldNames() []string {
	out := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		out[i] = f.Field
	}
	return out
}
