package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that both teams' notes are written by period, listed for it (a
// month with its weeks), exported with the retro, and refused to viewers.
func TestRetroNotes(t *testing.T) {
	be := mustOpenBackend(t)
	femi := core.Identity{Name: "femi", Role: core.RoleMOps}
	ben := core.Identity{Name: "ben", Role: core.RoleCreative}
	if code, out, errOut := run(t, be, femi, "retro", "note", "2026-w47", "Brief", "the", "winner", "sooner\x1b]0;owned\x07"); code != ExitUsage ||
		!strings.Contains(errOut, "control character (U+001B)") || strings.Contains(out+errOut, "\x1b") {
		t.Fatalf("a note with an escape sequence: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := run(t, be, femi, "retro", "note", "2026-w47", "Brief", "the", "winner", "sooner"); code != 0 || !strings.Contains(out, "noted on 2026-W47 for MOps") {
		t.Fatalf("mops note: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := run(t, be, ben, "retro", "note", "2026-11", "Legal slot on Tuesdays"); code != 0 {
		t.Fatalf("creative note: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, be, core.Identity{Name: "vic", Role: core.RoleViewer}, "retro", "note", "2026-W47", "hi"); code == 0 || !strings.Contains(errOut, "write retro notes") {
		t.Fatalf("viewer note: %d %q", code, errOut)
	}
	if code, _, _ := run(t, be, femi, "retro", "note", "2026-W60", "x"); code != ExitUsage {
		t.Fatalf("a bad period is not a usage error: %d", code)
	}

	code, out, _ := run(t, be, admin, "retro", "notes", "2026-11", "--json")
	var notes []core.RetroNote
	if err := json.Unmarshal([]byte(out), &notes); err != nil || code != 0 || len(notes) != 2 {
		t.Fatalf("the month's notes: %d %q %v", code, out, err)
	}
	if code, out, _ := run(t, be, admin, "retro", "notes", "2026-W46"); code != 0 || !strings.Contains(out, "Legal slot") || strings.Contains(out, "winner") {
		t.Fatalf("the week before's notes: %q", out)
	}
	code, out, _ = run(t, be, admin, "retro", "export", "2026-W47")
	if code != 0 || !strings.Contains(out, "## Notes") || !strings.Contains(out, "- **MOps** (femi, ") || !strings.Contains(out, "Brief the winner sooner") {
		t.Fatalf("export: %d %q", code, out)
	}
}
