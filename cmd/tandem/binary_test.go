package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// buildBinary builds tandem into a temporary folder, which it returns with
// the binary's path; tests that run the binary skip under -short.
func buildBinary(tb testing.TB) (dir, bin string) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds the binary")
	}
	dir = tb.TempDir()
	bin = filepath.Join(dir, "tandem")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		tb.Fatalf("build: %v\n%s", err, out)
	}
	return dir, bin
}

// binaryWorkspace runs the built binary on a workspace of its own, as ana.
type binaryWorkspace struct {
	bin, db string
	env     []string
}

// newBinaryWorkspace is a workspace in dir for bin, with a HOME and config
// of its own.
func newBinaryWorkspace(dir, bin string) binaryWorkspace {
	return binaryWorkspace{bin: bin, db: filepath.Join(dir, "w.db"),
		env: []string{"HOME=" + dir, "USER=ana", "PATH=" + os.Getenv("PATH"), "XDG_CONFIG_HOME=" + dir}}
}

// command is tandem args on the workspace, not started.
func (w binaryWorkspace) command(args ...string) *exec.Cmd {
	cmd := exec.Command(w.bin, append([]string{"--db", w.db}, args...)...)
	cmd.Env = w.env
	return cmd
}

// run runs tandem args on the workspace and returns what it printed,
// failing the test with its stderr when it exits non-zero.
func (w binaryWorkspace) run(t *testing.T, args ...string) string {
	t.Helper()
	cmd := w.command(args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}
