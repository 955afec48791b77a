package main

import (
	"os/exec"
	"testing"
)

// BenchmarkStart_Version measures a whole `tandem version` process: the
// cost of starting tandem (package init included; go-runewidth's width
// tables once took 30-77 ms of it) before anything is drawn.
func BenchmarkStart_Version(b *testing.B) {
	_, bin := buildBinary(b)
	for b.Loop() {
		if out, err := exec.Command(bin, "version").CombinedOutput(); err != nil {
			b.Fatalf("tandem version: %v\n%s", err, out)
		}
	}
}
