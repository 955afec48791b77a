package ssh

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
)

// Ensure that the defaults are valid, and that New refuses a limit or
// timeout out of range, naming it and the range, where it once served on
// the default instead.
func TestOptions_Validate(t *testing.T) {
	if err := DefaultOptions().Validate(); err != nil {
		t.Fatalf("the defaults: %v", err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "t.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	be := backend.New(st)
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{MaxSessions: -1}, "--max-sessions -1: use 1 to 100000"},
		{Options{CommandsPerPerson: -3}, "--commands-per-person -3: use 1 to 1000"},
		{Options{CommandRate: -1}, "--command-rate -1: use more than 0"},
		{Options{CommandRate: math.NaN()}, "--command-rate NaN"},
		{Options{IdleTimeout: -5 * time.Second}, "--idle-timeout -5s: use 1s to 168h"},
		{Options{HandshakeTimeout: time.Millisecond}, "--handshake-timeout 1ms: use 1s to 10m"},
		{Options{CockpitsPerPerson: -1}, "CockpitsPerPerson -1"},
		{Options{StreamDeadline: -time.Second}, "command deadlines"},
	} {
		tc.opts.HostKeyPath = filepath.Join(t.TempDir(), "host")
		if _, err := New(be, tc.opts); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("New(%+v): %v; want %q", tc.opts, err, tc.want)
		}
	}
}
