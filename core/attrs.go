package core

import (
	"fmt"
	"slices"
)

// Attribute bounds: a few attributes an event, each value short enough to
// be a column of a breakdown.
const (
	MaxEventAttrs    = 8
	MaxAttrValueLen  = 63
	attrValueProblem = "use 1 to 63 printable characters without spaces"
)

// checkAttrs adds the problems of an event's attributes to f: at most
// MaxEventAttrs, each key a key (ValidKey), each value an identifier
// (IDProblem) of at most MaxAttrValueLen bytes. Like every event problem,
// none quotes a value.
func checkAttrs(f *fieldErrors, attrs map[string]string) {
	if len(attrs) > MaxEventAttrs {
		f.add("attrs", "has %d attributes; use at most %d", len(attrs), MaxEventAttrs)
		return
	}
	for _, k := range AttrKeys(attrs) {
		if !ValidKey(k) {
			f.add("attrs", "has a key that is not a key; use 1 to 63 lower-case letters, digits, '.', '_' or '-'")
			continue
		}
		if v := attrs[k]; IDProblem(v) != "" || len(v) > MaxAttrValueLen {
			f.add(fmt.Sprintf("attrs.%s", k), "is not an attribute value; %s", attrValueProblem)
		}
	}
}

// AttrKeys returns the keys of attrs in order, so that they are checked,
// stored and shown the same way every time.
func AttrKeys(attrs map[string]string) []string {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
