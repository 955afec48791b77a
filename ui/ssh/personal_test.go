package ssh

import (
	"io"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that a person's own settings follow them over SSH: a key they
// remapped with `tandem me set` works in their cockpit.
func TestServer_PersonalSettings(t *testing.T) {
	ts := startServer(t, Options{})
	ana := ts.newKey(t, "ana", core.RoleCreative)
	if _, errOut, code := ts.runCommand(t, ana, "me set keys.inbox z"); code != 0 {
		t.Fatalf("me set: %d %s", code, errOut)
	}
	screen, in := ts.openCockpit(t, ana, 100, 30)
	screen.waitFor(t, "ana · creative")
	if _, err := io.WriteString(in, "z"); err != nil {
		t.Fatal(err)
	}
	screen.waitFor(t, "Inbox for ana")
}
