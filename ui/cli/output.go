package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/tandem-ops/tandem/ui/sanitize"
)

// writeJSON writes v as indented JSON and a newline, with every control,
// bidi and invisible character in its strings escaped (encoding/json
// escapes only those below U+0020), so that the JSON prints safely and
// still decodes to v.
func writeJSON(w io.Writer, v any) error {
	jw := sanitize.NewJSONWriter(w)
	enc := json.NewEncoder(jw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return jw.Flush()
}

// orEmpty is s, or an empty list for nil: JSON lists are [] when empty,
// never null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// table writes rows as aligned columns. Every cell is sanitized: cells hold
// user text, which must never reach a terminal raw.
func table(w io.Writer, header []string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	writeRow := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, sanitize.Line(c))
		}
		fmt.Fprintln(tw)
	}
	writeRow(header)
	for _, r := range rows {
		writeRow(r)
	}
	return tw.Flush()
}
