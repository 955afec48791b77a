package main

import (
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
