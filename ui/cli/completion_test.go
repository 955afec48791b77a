package cli

import (
	"strings"
	"testing"
)

// Ensure that the shell completes brief ids with their titles, experiment
// keys, people for --owner and stages for brief move.
func TestCompletion(t *testing.T) {
	be := mustOpenBackend(t)
	run(t, be, admin, "brief", "add", "--title", "Spring launch")
	run(t, be, admin, "experiment", "add", "spring", "--variants", "a,b", "--name", "Spring test")
	run(t, be, admin, "person", "add", "Ana Ruiz", "--lane", "in-house", "--hours", "40")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "brief", "show", ""}, "1\tSpring launch"},
		{[]string{"__complete", "experiment", "declare", ""}, "spring\tSpring test"},
		{[]string{"__complete", "brief", "add", "--owner", ""}, "Ana Ruiz\tin-house"},
		{[]string{"__complete", "brief", "move", "1", ""}, "in-production"},
	} {
		code, out, errOut := run(t, be, admin, tc.args...)
		if code != 0 || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d, out %q, err %q", tc.args, code, out, errOut)
		}
	}
	if code, out, _ := run(t, be, admin, "completion", "bash"); code != 0 || !strings.Contains(out, "bash completion") {
		t.Fatalf("completion bash: %d", code)
	}
}
