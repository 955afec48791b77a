package stats

import "math"

// Pooled is a random-effects meta-analysis of k effects.
type Pooled struct {
	K        int      `json:"k"`
	Estimate float64  `json:"estimate"`
	SE       float64  `json:"se"`
	CI       Interval `json:"ci"`
	// Tau2 is the between-study variance; I2 the share of the spread that
	// is heterogeneity rather than chance (0–1); Q is Cochran's Q.
	Tau2 float64 `json:"tau2"`
	I2   float64 `json:"i2"`
	Q    float64 `json:"q"`
}

// DerSimonianLaird pools effects with their sampling variances by the
// DerSimonian–Laird random-effects method (DerSimonian & Laird 1986, as
// metafor's rma(method = "DL") computes it), with a 95 % interval. Effects
// with a variance that is not a positive finite number are left out; ok is
// false with fewer than one left.
func DerSimonianLaird(effects, variances []float64) (Pooled, bool) {
	var y, v []float64
	for i, e := range effects {
		if vi := variances[i]; vi > 0 && !math.IsInf(vi, 0) && !math.IsNaN(e) && !math.IsInf(e, 0) {
			y, v = append(y, e), append(v, vi)
		}
	}
	k := len(y)
	if k == 0 {
		return Pooled{}, false
	}
	var sw, sw2, swy float64
	for i := range y {
		w := 1 / v[i]
		sw, sw2, swy = sw+w, sw2+w*w, swy+w*y[i]
	}
	fixed := swy / sw
	var q float64
	for i := range y {
		d := y[i] - fixed
		q += d * d / v[i]
	}
	p := Pooled{K: k, Q: q}
	if c := sw - sw2/sw; k > 1 && c > 0 {
		p.Tau2 = max(0, (q-float64(k-1))/c)
	}
	if q > 0 {
		p.I2 = max(0, (q-float64(k-1))/q)
	}
	var rw, rwy float64
	for i := range y {
		w := 1 / (v[i] + p.Tau2)
		rw, rwy = rw+w, rwy+w*y[i]
	}
	p.Estimate, p.SE = rwy/rw, math.Sqrt(1/rw)
	p.CI = Interval{p.Estimate - z95*p.SE, p.Estimate + z95*p.SE}
	return p, true
}
