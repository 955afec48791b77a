package stats

import "math"

// Invert returns the inverse of the symmetric positive-definite p×p
// matrix a (row-major), by Gauss–Jordan elimination with partial
// pivoting; ok is false when a is singular (a pivot below 1e-12 of the
// largest diagonal entry). a is not changed.
func Invert(a []float64, p int) (inv []float64, ok bool) {
	m := make([]float64, p*2*p)
	scale := 0.0
	for i := range p {
		copy(m[i*2*p:], a[i*p:(i+1)*p])
		m[i*2*p+p+i] = 1
		scale = max(scale, math.Abs(a[i*p+i]))
	}
	if scale == 0 {
		return nil, false
	}
	w := 2 * p
	for col := range p {
		pivot := col
		for r := col + 1; r < p; r++ {
			if math.Abs(m[r*w+col]) > math.Abs(m[pivot*w+col]) {
				pivot = r
			}
		}
		if math.Abs(m[pivot*w+col]) < 1e-12*scale {
			return nil, false
		}
		if pivot != col {
			for k := range w {
				m[col*w+k], m[pivot*w+k] = m[pivot*w+k], m[col*w+k]
			}
		}
		d := m[col*w+col]
		for k := range w {
			m[col*w+k] /= d
		}
		for r := range p {
			if r == col || m[r*w+col] == 0 {
				continue
			}
			f := m[r*w+col]
			for k := range w {
				m[r*w+k] -= f * m[col*w+k]
			}
		}
	}
	inv = make([]float64, p*p)
	for i := range p {
		copy(inv[i*p:(i+1)*p], m[i*w+p:(i+1)*w])
	}
	return inv, true
}
