//go:build race

package core

// raceEnabled shortens the A/A simulation under the race detector, which
// slows it tenfold and checks memory, not statistics.
const raceEnabled = true
