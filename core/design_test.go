package core

import (
	"fmt"
	"slices"
	"testing"
)

func factorsOf(levels ...int) []Factor {
	out := make([]Factor, len(levels))
	for i, n := range levels {
		out[i].Slot = fmt.Sprintf("s%d", i)
		for l := range n {
			out[i].Levels = append(out[i].Levels, fmt.Sprintf("c%d-%d", i, l))
		}
	}
	return out
}

// Ensure that designs are full when they fit, else balanced fractions
// that estimate every main effect without repeating an arm, and that
// they say which interactions they confound.
func TestBuildDesign(t *testing.T) {
	tests := []struct {
		levels  []int
		maxArms int
		arms    int
		full    bool
		minEff  float64
		aliased bool
	}{
		{[]int{3, 2, 2}, 12, 12, true, 1, false},
		{[]int{4, 3, 3}, 12, 12, false, 0.85, true},
		{[]int{2, 2, 2, 2}, 8, 8, false, 1, true},   // a regular 2^(4-1) fraction: its interactions alias in pairs (AB = CD)
		{[]int{4, 4, 4, 4}, 16, 16, false, 1, true}, // an orthogonal array
		{[]int{3, 3}, 100, 9, true, 1, false},
	}
	for _, tt := range tests {
		name := fmt.Sprint(tt.levels, " in ", tt.maxArms)
		d, err := BuildDesign(factorsOf(tt.levels...), tt.maxArms)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(d.Runs) != tt.arms || d.Full != tt.full || d.Efficiency < tt.minEff || (len(d.Aliased) > 0) != tt.aliased || d.Resolution == "" {
			t.Errorf("%s: %d arms, full %v, efficiency %v, aliased %v", name, len(d.Runs), d.Full, d.Efficiency, d.Aliased)
		}
		for j, n := range tt.levels { // every component in the same number of arms
			count := make([]int, n)
			for _, r := range d.Runs {
				count[r[j]]++
			}
			if slices.Min(count) != slices.Max(count) {
				t.Errorf("%s: slot %d is unbalanced: %v", name, j, count)
			}
		}
		if anyRepeat(d.Runs) {
			t.Errorf("%s: an arm repeats: %v", name, d.Runs)
		}
	}
}

func TestBuildDesign_Refuses(t *testing.T) {
	one := factorsOf(3, 2)
	one[1].Levels = one[1].Levels[:1]
	twice := factorsOf(2, 2)
	twice[1].Levels[1] = twice[1].Levels[0]
	for name, tt := range map[string]struct {
		factors []Factor
		maxArms int
		field   string
	}{
		"a slot with one component": {one, 12, "factors[1].levels"},
		"a component twice":         {twice, 12, "factors[1].levels"},
		"too few arms":              {factorsOf(4, 3, 3), 6, "max_arms"},
		"no slots":                  {nil, 12, "factors"},
	} {
		if _, err := BuildDesign(tt.factors, tt.maxArms); Field(err) != tt.field {
			t.Errorf("%s: %v, want a problem with %s", name, err, tt.field)
		}
	}
}

// BenchmarkBuildDesign_4x4x4x4 builds a 16-arm fraction of the 256
// combinations of four four-component slots (target ≤ 1 ms).
func BenchmarkBuildDesign_4x4x4x4(b *testing.B) {
	f := factorsOf(4, 4, 4, 4)
	for b.Loop() {
		if _, err := BuildDesign(f, 16); err != nil {
			b.Fatal(err)
		}
	}
}
