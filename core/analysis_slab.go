package core

import "github.com/tandem-ops/tandem/core/stats"

// slab hands out the per-arm numbers of an analysis from a few
// allocations instead of five per arm: Analyze runs on every event, for up
// to thousands of arms. Pointers stay valid if a slice outgrows its
// capacity, since the old array lives on while referenced.
type slab struct {
	floats    []float64
	intervals []stats.Interval
	lifts     []Lift
	bayes     []stats.Bayes
}

func newSlab(arms int) *slab {
	return &slab{
		floats:    make([]float64, 0, 3*arms),
		intervals: make([]stats.Interval, 0, arms),
		lifts:     make([]Lift, 0, arms),
		bayes:     make([]stats.Bayes, 0, arms),
	}
}

// float returns a pointer to x, or nil when x is not finite.
func (s *slab) float(x float64) *float64 {
	if !finite(x) {
		return nil
	}
	s.floats = append(s.floats, x)
	return &s.floats[len(s.floats)-1]
}

func (s *slab) interval(i stats.Interval) *stats.Interval {
	s.intervals = append(s.intervals, i)
	return &s.intervals[len(s.intervals)-1]
}

func (s *slab) lift(l Lift) *Lift {
	s.lifts = append(s.lifts, l)
	return &s.lifts[len(s.lifts)-1]
}

func (s *slab) bayesian(b stats.Bayes) *stats.Bayes {
	s.bayes = append(s.bayes, b)
	return &s.bayes[len(s.bayes)-1]
}
