package backend

import (
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that a record's lines decode as events in either format: CSV by
// the default columns with a header record skipped, several JSONL lines
// in one record, and a bad line refused on its own with a reason.
func TestRecordDecoder(t *testing.T) {
	tests := []struct {
		name, format string
		columns      []string
		value        string
		events       int
		problems     []string
	}{
		{"jsonl, two lines", "jsonl", nil, `{"ts":"2026-11-01T10:00:00Z","experiment":"e","variant":"a","unit":"u1","type":"exposure"}` + "\n\n" +
			`{"ts":"2026-11-01T10:00:01Z","experiment":"e","variant":"a","unit":"u1","type":"conversion"}`, 2, nil},
		{"jsonl, not json", "", nil, "not json\x1b[31m", 0, []string{"not a JSON event"}},
		{"csv, default columns", "csv", nil, "2026-11-01T10:00:00Z,e,a,u1,revenue,12.5,", 1, nil},
		{"csv, header skipped", "csv", nil, strings.Join(DefaultKafkaColumns(), ","), 0, nil},
		{"csv, own columns", "csv", []string{"unit", "ts", "experiment", "variant", "type"}, "u1,2026-11-01T10:00:00Z,e,a,exposure", 1, nil},
		{"csv, short row", "csv", nil, "2026-11-01T10:00:00Z,e,a", 0, []string{"has 3 fields"}},
		{"csv, bad quote", "csv", nil, `2026-11-01T10:00:00Z,"e,a,u1,exposure,,`, 0, []string{"not a CSV record"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := newRecordDecoder(tt.format, tt.columns)
			if err != nil {
				t.Fatal(err)
			}
			var events []core.Event
			var problems []string
			d.decode([]byte(tt.value), func(ev core.Event, err error) {
				if err != nil {
					problems = append(problems, err.Error())
					return
				}
				events = append(events, ev)
			})
			if len(events) != tt.events || len(problems) != len(tt.problems) {
				t.Fatalf("events %+v, problems %q", events, problems)
			}
			for i, p := range tt.problems {
				if !strings.Contains(problems[i], p) {
					t.Errorf("problem %q lacks %q", problems[i], p)
				}
			}
		})
	}
	if _, err := newRecordDecoder("xml", nil); err == nil {
		t.Fatal("format xml accepted")
	}
	if _, err := newRecordDecoder("csv", []string{"ts", "bogus column"}); err == nil {
		t.Fatal("bad columns accepted")
	}
}
