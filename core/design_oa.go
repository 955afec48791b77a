package core

import (
	"cmp"
	"slices"
)

// field is GF(q) for q a prime or 4 or 8: the arithmetic of an
// orthogonal array's levels.
type field struct {
	q    int
	poly int // for q = 2^k > 2, the reduction polynomial; 0 for a prime
}

// fieldOf returns GF(q), or false when tandem does not construct it.
func fieldOf(q int) (field, bool) {
	switch q {
	case 2, 3, 5, 7:
		return field{q: q}, true
	case 4:
		return field{q: 4, poly: 0b111}, true // x² + x + 1
	case 8:
		return field{q: 8, poly: 0b1011}, true // x³ + x + 1
	}
	return field{}, false
}

func (f field) add(a, b int) int {
	if f.poly != 0 {
		return a ^ b
	}
	return (a + b) % f.q
}

func (f field) mul(a, b int) int {
	if f.poly == 0 {
		return a * b % f.q
	}
	p := 0
	for ; b > 0; b >>= 1 {
		if b&1 == 1 {
			p ^= a
		}
		a <<= 1
		if a&f.q != 0 {
			a ^= f.poly
		}
	}
	return p
}

// orthogonalArray returns an orthogonal array of strength 2 with q^m runs
// for factors that all have q levels (Rao–Hamming: every vector u of
// GF(q)^m is a run, and each factor is a linear form c·u over a distinct
// projective point c), or false when q is not a field tandem builds or
// q^m runs do not hold that many factors. Unit forms come first, so the
// first m factors make a full factorial; the rest take the heaviest forms,
// which confound the fewest low-order interactions.
func orthogonalArray(q, m, factors int) ([][]int, bool) {
	f, ok := fieldOf(q)
	if !ok {
		return nil, false
	}
	n := 1
	for range m {
		n *= q
	}
	var forms [][]int
	for v := 1; v < n; v++ {
		c := digits(v, q, m)
		if first := slices.IndexFunc(c, func(x int) bool { return x != 0 }); c[first] == 1 {
			forms = append(forms, c)
		}
	}
	if factors > len(forms) {
		return nil, false
	}
	rank := func(c []int) int { // unit forms first, then the heaviest
		if w := m - count(c, 0); w > 1 {
			return -w
		}
		return -m - 1
	}
	slices.SortStableFunc(forms, func(a, b []int) int { return cmp.Compare(rank(a), rank(b)) })
	runs := make([][]int, n)
	for r := range n {
		u := digits(r, q, m)
		run := make([]int, factors)
		for j := range factors {
			s := 0
			for i, ci := range forms[j] {
				s = f.add(s, f.mul(ci, u[i]))
			}
			run[j] = s
		}
		runs[r] = run
	}
	return runs, true
}

// digits writes v in base q with m digits, most significant first.
func digits(v, q, m int) []int {
	out := make([]int, m)
	for i := m - 1; i >= 0; i-- {
		out[i] = v % q
		v /= q
	}
	return out
}

func count(xs []int, x int) int {
	n := 0
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}
