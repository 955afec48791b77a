package main

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Ensure that `tandem serve` with a limit or timeout out of its range is
// refused before it listens: exit 2 and one line naming the flag and the
// range allowed, nothing on stdout.
func TestBinary_ServeRefusesBadFlags(t *testing.T) {
	dir, bin := buildBinary(t)
	w := newBinaryWorkspace(dir, bin)
	for _, tc := range []struct{ flag, value, allowed string }{
		{"--max-sessions", "-1", "use 1 to 100000"},
		{"--max-sessions", "0", "use 1 to 100000"},
		{"--commands-per-person", "0", "use 1 to 1000"},
		{"--command-rate", "-1", "use more than 0 and at most 10000"},
		{"--command-rate", "NaN", "use more than 0 and at most 10000"},
		{"--idle-timeout", "-5s", "use 1s to 168h"},
		{"--handshake-timeout", "0s", "use 1s to 10m"},
	} {
		t.Run(tc.flag+"="+tc.value, func(t *testing.T) {
			cmd := w.command("serve", "--listen", "127.0.0.1:0", tc.flag+"="+tc.value)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-done
				t.Fatalf("serve started: %q", stdout.String())
			}
			var exit *exec.ExitError
			said := stderr.String()
			if !errors.As(err, &exit) || exit.ExitCode() != 2 {
				t.Fatalf("exit %v, want 2; stderr %q", err, said)
			}
			if !strings.HasPrefix(said, "tandem: "+tc.flag+" ") || !strings.Contains(said, tc.allowed) || strings.Count(said, "\n") != 1 || stdout.Len() > 0 {
				t.Fatalf("stderr %q, stdout %q; want one line naming %s and %q", said, stdout.String(), tc.flag, tc.allowed)
			}
		})
	}
}
