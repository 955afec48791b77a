package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that `experiment show --by` breaks results down by an attribute
// ingested from JSONL: the note says slices are exploratory, levels past
// 20 are counted and left out, no level has a verdict, and a bad
// attribute is a usage error.
func TestExperimentShow_By(t *testing.T) {
	be := mustOpenBackend(t)
	var lines []string
	for i := range 2400 { // smb has 300 units, 21 other audiences 100 each
		v := []string{"a", "b"}[i/24%2]
		aud := fmt.Sprint("aud-", i%24)
		if i%24 < 3 {
			aud = "smb"
		}
		lines = append(lines, fmt.Sprintf(`{"ts":"2026-11-01T10:00:00Z","experiment":"seg","variant":"%s","unit":"u%d","type":"exposure","attrs":{"audience":"%s"}}`, v, i, aud))
		if i%5 == 0 {
			lines = append(lines, fmt.Sprintf(`{"ts":"2026-11-01T10:05:00Z","experiment":"seg","variant":"%s","unit":"u%d","type":"conversion"}`, v, i))
		}
	}
	path := writeFile(t, "seg.jsonl", strings.Join(lines, "\n")+"\n")
	if code, out, errOut := run(t, be, admin, "ingest", "--create", path); code != 0 {
		t.Fatalf("ingest: %d %s %s", code, out, errOut)
	}
	code, out, errOut := run(t, be, admin, "experiment", "show", "seg", "--by", "audience")
	if code != 0 {
		t.Fatalf("show --by: %d %s", code, errOut)
	}
	for _, w := range []string{"by audience: slices are exploratory", "AUDIENCE  VARIANT", "smb       a", "2 more levels with fewer units are not shown"} {
		if !strings.Contains(out, w) {
			t.Errorf("show --by lacks %q:\n%s", w, out)
		}
	}
	code, out, _ = run(t, be, admin, "experiment", "show", "seg", "--by", "audience", "--json")
	var a core.Analysis
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil || a.Breakdown == nil {
		t.Fatalf("show --by --json: %d\n%s", code, out)
	}
	b := a.Breakdown
	if len(b.Levels) != core.MaxSegmentLevels || b.Omitted != 2 || b.Levels[0].Value != "smb" || b.Levels[0].Units != 300 || b.Note != core.SegmentNote {
		t.Fatalf("breakdown: %d levels, %d omitted, first %+v", len(b.Levels), b.Omitted, b.Levels[0])
	}
	if strings.Contains(out, `"verdict"`) && strings.Count(out, `"verdict"`) != len(a.Arms) {
		t.Errorf("a slice carries a verdict")
	}
	if code, _, errOut := run(t, be, admin, "experiment", "show", "seg", "--by", "Bad Attr"); code != ExitUsage || !strings.Contains(errOut, "not an attribute key") {
		t.Fatalf("bad --by: %d %s", code, errOut)
	}
}
