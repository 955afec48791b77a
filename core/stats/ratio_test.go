package stats

import (
	"math"
	"testing"
)

// ratioOf sums per-unit values the way ingest keeps them.
func ratioOf(x, y []float64) RatioSample {
	var r RatioSample
	r.X.N, r.Y.N = uint64(len(x)), uint64(len(y))
	for i := range x {
		r.X.Sum += x[i]
		r.X.SumSq += x[i] * x[i]
		r.Y.Sum += y[i]
		r.Y.SumSq += y[i] * y[i]
		r.SumXY += x[i] * y[i]
	}
	return r
}

// Ensure that the delta-method ratio matches a reference computed
// independently from the per-unit values: Python 3's statistics module
// (variance and covariance with n − 1 on the unit arrays), with
// Var = σx²/μy² − 2μxσxy/μy³ + μx²σy²/μy⁴ (Deng, Knoblich & Lu 2018) and
// SE = √(Var/n), as gbstats' RatioStatistic computes it. The arrays are
// revenue per unit and whether it converted; one unit pays without
// converting.
func TestRatioSample_DeltaMethod(t *testing.T) {
	tests := []struct {
		name         string
		x, y         []float64
		ratio, v, se float64
	}{
		{"control", []float64{0, 5, 12.5, 30, 0, 7, 0, 20, 0, 41}, []float64{0, 0, 1, 1, 0, 1, 1, 1, 0, 1},
			19.25, 364.31327160493817, 6.035836906386207},
		{"treatment", []float64{18, 0, 25, 0, 9.5, 60, 0, 0, 12, 33, 0, 4}, []float64{1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1},
			20.1875, 537.5390624999999, 6.692900856504599},
		{"no converters", []float64{1, 2}, []float64{0, 0}, 0, 0, 0},
		{"one unit", []float64{3}, []float64{1}, 3, 0, 0},
	}
	for _, tt := range tests {
		r := ratioOf(tt.x, tt.y)
		if got := r.Ratio(); math.Abs(got-tt.ratio) > 1e-12 {
			t.Errorf("%s: ratio = %.15g, want %.15g", tt.name, got, tt.ratio)
		}
		if got := r.Variance(); math.Abs(got-tt.v) > 1e-9*max(1, tt.v) {
			t.Errorf("%s: variance = %.15g, want %.15g", tt.name, got, tt.v)
		}
		if got := r.SE(); math.Abs(got-tt.se) > 1e-12*max(1, tt.se) {
			t.Errorf("%s: SE = %.15g, want %.15g", tt.name, got, tt.se)
		}
	}
}
