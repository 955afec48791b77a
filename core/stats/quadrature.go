package stats

import "math"

// betaGrid tabulates one Beta posterior on evenly spaced nodes over its
// mean ± spanSDs standard deviations (clipped to [0, 1]; the mass left out
// is below 10⁻⁸): the density f, its distribution function F and
// G(y) = ∫₀ʸ F = E[max(0, y − X)]. Each is integrated from the one below
// with the end-corrected trapezoid rule (Euler–Maclaurin, exact for
// cubics), since the derivative of each is known in closed form; between
// nodes F and G are cubic Hermite interpolants. With gridNodes nodes the
// integrals behind ChanceToBeat and ProbabilityBest come out within 10⁻⁵
// of Evan Miller's closed form (see the tests), at a cost linear in the
// number of arms per arm.
type betaGrid struct {
	lo, h  float64 // no nodes (f nil) for a point mass at mean
	f, df  []float64
	cdf, g []float64
	mean   float64
}

const (
	gridNodes = 129 // odd, for Simpson's rule
	spanSDs   = 16
)

func newBetaGrid(d Beta) *betaGrid {
	m, sd := d.Mean(), math.Sqrt(d.Variance())
	lo, hi := max(0, m-spanSDs*sd), min(1, m+spanSDs*sd)
	b := &betaGrid{lo: lo, h: (hi - lo) / (gridNodes - 1), mean: m}
	if !(hi-lo > 1e-12) {
		return b // billions of units: a point mass at the mean, to double precision
	}
	b.f, b.df = make([]float64, gridNodes), make([]float64, gridNodes)
	b.cdf, b.g = make([]float64, gridNodes), make([]float64, gridNodes)
	lb := lbeta(d.A, d.B)
	for k := range gridNodes {
		x := b.x(k)
		b.f[k], b.df[k] = d.pdf(x, lb)
	}
	h := b.h
	for k := 1; k < gridNodes; k++ {
		b.cdf[k] = b.cdf[k-1] + h/2*(b.f[k-1]+b.f[k]) + h*h/12*(b.df[k-1]-b.df[k])
	}
	z := b.cdf[gridNodes-1] // 1 up to the rule's error; make it exactly 1
	for k := range gridNodes {
		b.f[k] /= z
		b.df[k] /= z
		b.cdf[k] /= z
	}
	for k := 1; k < gridNodes; k++ {
		b.g[k] = b.g[k-1] + h/2*(b.cdf[k-1]+b.cdf[k]) + h*h/12*(b.f[k-1]-b.f[k])
	}
	return b
}

func (b *betaGrid) x(k int) float64 { return b.lo + float64(k)*b.h }

// locate returns the interval k (x between nodes k and k+1) and the
// position t ∈ [0, 1] within it, or whether x lies below or above the
// grid.
func (b *betaGrid) locate(x float64) (k int, t float64, below, above bool) {
	if x <= b.lo || b.h == 0 {
		return 0, 0, true, false
	}
	u := (x - b.lo) / b.h
	if u >= gridNodes-1 {
		return 0, 0, false, true
	}
	k = int(u)
	return k, u - float64(k), false, false
}

// hermite interpolates a function with values v and derivatives dv at the
// nodes, between nodes k and k+1 at fraction t.
func (b *betaGrid) hermite(v, dv []float64, k int, t float64) float64 {
	t2, t3 := t*t, t*t*t
	return (2*t3-3*t2+1)*v[k] + (t3-2*t2+t)*b.h*dv[k] + (-2*t3+3*t2)*v[k+1] + (t3-t2)*b.h*dv[k+1]
}

// CDF is F(x).
func (b *betaGrid) CDF(x float64) float64 {
	if b.f == nil {
		return step(x >= b.mean)
	}
	k, t, below, above := b.locate(x)
	switch {
	case below:
		return 0
	case above:
		return 1
	}
	return min(max(b.hermite(b.cdf, b.f, k, t), 0), 1)
}

// shortfall is G(y) = E[max(0, y − X)].
func (b *betaGrid) shortfall(y float64) float64 {
	if b.f == nil {
		return max(0, y-b.mean)
	}
	k, t, below, above := b.locate(y)
	switch {
	case below:
		return 0
	case above:
		last := gridNodes - 1
		return b.g[last] + (y - b.x(last))
	}
	return max(b.hermite(b.g, b.cdf, k, t), 0)
}

// simpson integrates w(x)·fᵢ(x) over grid i by Simpson's rule.
func (b *betaGrid) simpson(w func(x float64) float64) float64 {
	if b.f == nil {
		return w(b.mean)
	}
	sum := 0.0
	for k := range gridNodes {
		if b.f[k] == 0 {
			continue
		}
		c := 2.0
		switch {
		case k == 0 || k == gridNodes-1:
			c = 1
		case k%2 == 1:
			c = 4
		}
		sum += c * b.f[k] * w(b.x(k))
	}
	return sum * b.h / 3
}

// pdf is the density and its derivative at x given lb = log B(A, B). A
// parameter of exactly 1 contributes nothing, so that the density at 0 or
// 1 is finite rather than 0·(−∞); at the ends the derivative is taken in
// closed form.
func (d Beta) pdf(x, lb float64) (f, df float64) {
	v := -lb
	if d.A != 1 {
		v += (d.A - 1) * math.Log(x)
	}
	if d.B != 1 {
		v += (d.B - 1) * math.Log1p(-x)
	}
	f = math.Exp(v)
	switch {
	case x == 0 && d.A == 2:
		df = math.Exp(-lb) // f ≈ x/B near 0
	case x == 0 && d.A > 2, x == 1 && d.B > 2:
		df = 0
	case x == 1 && d.B == 2:
		df = -math.Exp(-lb)
	default:
		dl := 0.0
		if d.A != 1 {
			dl += (d.A - 1) / x
		}
		if d.B != 1 {
			dl -= (d.B - 1) / (1 - x)
		}
		df = f * dl
	}
	return f, df
}

// lbeta is log B(a, b).
func lbeta(a, b float64) float64 {
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	return la + lb - lab
}

func step(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
