package stats

import "math"

// Sequential is an asymptotic confidence sequence for a difference between
// two arms (Waudby-Smith, Arbour, Sinha, Kennedy and Ramdas 2023,
// "Time-uniform central limit theory and asymptotic confidence sequences",
// eq. 9 and 155), as GrowthBook's gbstats ships it in
// SequentialTwoSidedTTest. Its intervals and p-values hold at every look at
// once, so a panel that recomputes on every event can be read as often as
// anyone likes without inflating false winners.
type Sequential struct {
	// Alpha is the error rate over all looks.
	Alpha float64
	// Tuning is N*, the total sample (both arms) where the sequence is
	// tightest; gbstats defaults to 5,000.
	Tuning float64

	rho float64 // set by NewSequential; 0 means work it out per call
}

// NewSequential returns the sequence for alpha and tuning with its ρ worked
// out once, for many intervals in a row.
func NewSequential(alpha, tuning float64) Sequential {
	s := Sequential{Alpha: alpha, Tuning: tuning}
	s.rho = s.Rho()
	return s
}

// DefaultTuning is gbstats' default sequential_tuning_parameter.
const DefaultTuning = 5000

// Rho is the mixing parameter that makes the sequence tightest at n = N*
// (eq. 161): ρ = √((−2 ln α + ln(−2 ln α + 1)) / N*).
func (s Sequential) Rho() float64 {
	la := math.Log(s.Alpha)
	return math.Sqrt((-2*la + math.Log(-2*la+1)) / s.Tuning)
}

func (s Sequential) mixing() float64 {
	if s.rho != 0 {
		return s.rho
	}
	return s.Rho()
}

// Factor is the multiple of the standard error that the sequence's half-
// width is, from n units in both arms together: where a fixed-horizon
// interval uses 1.96, this grows slowly with n so that every look is
// covered. gbstats: √(s²) √(2(nρ²+1) ln(√(nρ²+1)/α) / (nρ)²) with s² = SE²·n.
func (s Sequential) Factor(n float64) float64 {
	rho := s.mixing()
	nr2 := n * rho * rho
	return math.Sqrt(2 * (nr2 + 1) * math.Log(math.Sqrt(nr2+1)/s.Alpha) / nr2)
}

// Interval is the always-valid interval around est, whose standard error
// is se, from n units in both arms together.
func (s Sequential) Interval(est, se, n float64) Interval {
	h := se * s.Factor(n)
	return Interval{est - h, est + h}
}

// P is the always-valid two-sided p-value of est against 0 (eq. 155, as
// gbstats computes it): 1/e-value, capped at 1, with e-value
// exp(ρ²t²n/(2(nρ²+1)))/√(nρ²+1) and t = est/se. It is below Alpha exactly
// when Interval excludes 0. It is taken in logs so strong evidence gives a
// tiny p instead of overflowing.
func (s Sequential) P(est, se, n float64) float64 {
	rho := s.mixing()
	t := est / se
	nr2p1 := n*rho*rho + 1
	logE := rho*rho*t*t*n/(2*nr2p1) - 0.5*math.Log(nr2p1)
	if logE <= 0 {
		return 1
	}
	return math.Exp(-logE)
}

// SampleSize is the units per arm (two equal arms) after which the
// sequence detects a true difference delta with the given power, when the
// estimate's variance is v/n with n units per arm. It follows gbstats'
// sequential power calculation: power = Φ(delta/SE − Factor(2n)), and finds
// the least n by bisection, since Factor grows with n. It returns +Inf when
// delta is 0.
func (s Sequential) SampleSize(v, delta, power float64) float64 {
	delta = math.Abs(delta)
	if delta == 0 || v <= 0 {
		return math.Inf(1)
	}
	zb := NormalQuantile(power)
	enough := func(n float64) bool { return delta*math.Sqrt(n/v)-s.Factor(2*n) >= zb }
	lo, hi := 1.0, 2.0
	for !enough(hi) {
		lo, hi = hi, hi*2
		if hi > 1e15 {
			return math.Inf(1)
		}
	}
	for hi-lo > 0.5 {
		mid := (lo + hi) / 2
		if enough(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return math.Ceil(hi)
}
