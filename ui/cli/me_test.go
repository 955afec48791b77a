package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that a person keeps their own theme, keys and colours in the
// workspace, checked as the config file is, and that workspace settings
// are not theirs to set.
func TestMe(t *testing.T) {
	be := mustOpenBackend(t)
	vic := core.Identity{Name: "vic", Role: core.RoleViewer}
	for _, args := range [][]string{{"me", "set", "theme", "light"}, {"me", "set", "keys.inbox", "z"}, {"me", "set", "color.primary", "#FFAA00"}} {
		if code, _, errOut := run(t, be, vic, args...); code != 0 {
			t.Fatalf("%v: exit %d, %s", args, code, errOut)
		}
	}
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"me", "set", "theme", "neon"}, "theme"},
		{[]string{"me", "set", "model", "llama3.2"}, "not a personal setting"},
		{[]string{"me", "set", "sla_hours", "2"}, "not a personal setting"},
		{[]string{"me", "set", "color.primary", "red"}, "color.primary"},
	} {
		if code, _, errOut := run(t, be, vic, tc.args...); code != ExitUsage || !strings.Contains(errOut, tc.says) {
			t.Errorf("%v: exit %d, %q", tc.args, code, errOut)
		}
	}
	// A remap is checked with the keys set before it: z is the inbox now.
	if code, _, errOut := run(t, be, vic, "me", "set", "keys.help", "z"); code != ExitUsage || !strings.Contains(errOut, `clashes with your settings`) || !strings.Contains(errOut, `"z" is also`) {
		t.Errorf("a clashing remap: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, be, vic, "me", "set", "keys.board.move_next", "M"); code != 0 {
		t.Errorf("a view's remap: exit %d, %q", code, errOut)
	}
	run(t, be, vic, "me", "unset", "keys.board.move_next")
	run(t, be, vic, "me", "unset", "color.primary")
	code, out, _ := run(t, be, vic, "me", "show", "--json")
	var got map[string]string
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 0 || got["theme"] != "light" || got["keys.inbox"] != "z" || len(got) != 2 {
		t.Fatalf("me show: exit %d, %q", code, out)
	}
	// Another person's settings are their own.
	if _, out, _ := run(t, be, admin, "me", "show"); strings.Contains(out, "light") {
		t.Fatalf("ana sees vic's settings: %q", out)
	}
	// They export and import with the workspace, and check clean.
	code, export, errOut := run(t, be, admin, "export")
	if code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	into := mustOpenBackend(t)
	var out2, err2 bytes.Buffer
	if code := Run(context.Background(), into, Call{Identity: admin, Args: []string{"import", "-"}}, strings.NewReader(export), &out2, &err2); code != 0 {
		t.Fatalf("import: exit %d, %s", code, err2.String())
	}
	if code, out, errOut := run(t, into, vic, "me", "show"); code != 0 || !strings.Contains(out, "theme = light") {
		t.Fatalf("after import: exit %d, %q %s", code, out, errOut)
	}
}
