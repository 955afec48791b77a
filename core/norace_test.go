//go:build !race

package core

// raceEnabled is false without the race detector: the A/A simulation runs
// in full.
const raceEnabled = false
