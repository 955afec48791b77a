package main

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkStart_Version measures a whole `tandem version` process: the
// cost of starting tandem (package init included; go-runewidth's width
// tables once took 30-77 ms of it) before anything is drawn.
func BenchmarkStart_Version(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "tandem")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	for b.Loop() {
		if out, err := exec.Command(bin, "version").CombinedOutput(); err != nil {
			b.Fatalf("tandem version: %v\n%s", err, out)
		}
	}
}
