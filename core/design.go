package core

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Factor is one slot of a factorial test and the components it varies.
type Factor struct {
	Slot   string   `json:"slot"`
	Levels []string `json:"levels"`
}

// Design is the arms of a factorial test: each run holds one level (an
// index into its factor's Levels) of every factor.
type Design struct {
	Factors []Factor `json:"factors"`
	Runs    [][]int  `json:"runs"`
	// Full is true when every combination is an arm.
	Full bool `json:"full"`
	// Efficiency is the D-efficiency of the main-effects model: 1 when the
	// factors are orthogonal, less as they are entangled.
	Efficiency float64 `json:"d_efficiency"`
	// Aliased names the slot pairs whose two-way interaction the design
	// cannot estimate beside the main effects, such as "headline×cta".
	Aliased []string `json:"aliased"`
	// Resolution says in words what the design can and cannot separate.
	Resolution string `json:"resolution"`
}

// Design bounds: a slot has 2 to 10 components, a test 1 to 6 slots and
// at most MaxFactorialArms arms.
const (
	maxFactorLevels  = 10
	maxFactors       = 6
	MaxFactorialArms = 256
)

// BuildDesign returns the arms for factors: the full factorial when it has
// at most maxArms arms; else, when every slot has the same prime-power
// number of components (2, 3, 4, 5, 7, 8), an orthogonal array; else a
// fraction of N arms (the smallest multiple of every slot's component
// count that estimates every main effect, at most maxArms) chosen by
// coordinate exchange for the best D-efficiency, every component in the
// same number of arms.
func BuildDesign(factors []Factor, maxArms int) (Design, error) {
	if err := checkFactors(factors, maxArms); err != nil {
		return Design{}, err
	}
	d := Design{Factors: factors, Aliased: []string{}}
	full := 1
	params := 1
	lcm := 1
	for _, f := range factors {
		full *= len(f.Levels)
		params += len(f.Levels) - 1
		lcm = lcmOf(lcm, len(f.Levels))
	}
	if full <= maxArms {
		d.Runs, d.Full = fullFactorial(factors, full), true
	} else if runs, ok := regularFraction(factors, params, maxArms); ok {
		d.Runs = runs
	} else {
		n := maxArms
		if lcm <= maxArms {
			n = max(lcm*((params+lcm-1)/lcm), lcm)
			if n > maxArms {
				n = maxArms
			}
		}
		if n < params {
			return Design{}, &FieldError{Record: "design", Field: "max_arms", Problem: fmt.Sprintf("is %d; %d arms are the fewest that estimate every component's effect", maxArms, params)}
		}
		d.Runs = exchange(factors, n)
	}
	d.Efficiency = dEfficiency(factors, d.Runs)
	for j := range factors {
		for k := j + 1; k < len(factors); k++ {
			if !interactionEstimable(factors, d.Runs, j, k) {
				d.Aliased = append(d.Aliased, factors[j].Slot+"×"+factors[k].Slot)
			}
		}
	}
	d.Resolution = resolutionOf(d)
	return d, nil
}

// regularFraction is an orthogonal array for factors that all have the
// same prime-power number of components: the fewest q^m runs that
// estimate every main effect, within maxArms.
func regularFraction(factors []Factor, params, maxArms int) ([][]int, bool) {
	q := len(factors[0].Levels)
	for _, f := range factors {
		if len(f.Levels) != q {
			return nil, false
		}
	}
	for m, n := 1, q; n <= maxArms; m, n = m+1, n*q {
		if n >= params {
			if runs, ok := orthogonalArray(q, m, len(factors)); ok {
				slices.SortFunc(runs, slices.Compare)
				return runs, true
			}
		}
	}
	return nil, false
}

func checkFactors(factors []Factor, maxArms int) error {
	f := &fieldErrors{record: "design"}
	if len(factors) == 0 || len(factors) > maxFactors {
		f.add("factors", "has %d slots; use 1 to %d", len(factors), maxFactors)
	}
	if maxArms < 2 || maxArms > MaxFactorialArms {
		f.add("max_arms", "is %d; use 2 to %d", maxArms, MaxFactorialArms)
	}
	slots := map[string]bool{}
	for i, fc := range factors {
		field := fmt.Sprintf("factors[%d]", i)
		f.name(field+".slot", fc.Slot, maxName, true)
		if slots[strings.ToLower(fc.Slot)] {
			f.add(field+".slot", "%q is given twice", fc.Slot)
		}
		slots[strings.ToLower(fc.Slot)] = true
		if len(fc.Levels) < 2 || len(fc.Levels) > maxFactorLevels {
			f.add(field+".levels", "has %d components; use 2 to %d", len(fc.Levels), maxFactorLevels)
		}
		seen := map[string]bool{}
		for _, l := range fc.Levels {
			if seen[l] {
				f.add(field+".levels", "lists %q twice", l)
			}
			seen[l] = true
			f.name(field+".levels", l, maxName, true)
		}
	}
	return f.err()
}

func lcmOf(a, b int) int {
	g, h := a, b
	for h != 0 {
		g, h = h, g%h
	}
	return a / g * b
}

// fullFactorial lists every combination, the last factor varying fastest.
func fullFactorial(factors []Factor, n int) [][]int {
	runs := make([][]int, n)
	for r := range n {
		run := make([]int, len(factors))
		rest := r
		for j := len(factors) - 1; j >= 0; j-- {
			run[j] = rest % len(factors[j].Levels)
			rest /= len(factors[j].Levels)
		}
		runs[r] = run
	}
	return runs
}

// exchange picks n runs by coordinate exchange: each factor's column
// starts balanced and shuffled, and swapping two runs' levels of one
// factor, which keeps every column balanced, is kept while it raises
// det(X'X) of the main-effects model without repeating a run. The best of
// a few deterministic starts wins.
func exchange(factors []Factor, n int) [][]int {
	var best [][]int
	bestDet := math.Inf(-1)
	seed := uint64(0x9e3779b97f4a7c15)
	for start := range 6 {
		runs := make([][]int, n)
		for r := range runs {
			runs[r] = make([]int, len(factors))
		}
		for j, f := range factors {
			col := make([]int, n)
			for r := range col {
				col[r] = r % len(f.Levels)
			}
			if start > 0 || j > 0 {
				for r := n - 1; r > 0; r-- { // Fisher–Yates on a fixed xorshift
					seed ^= seed << 13
					seed ^= seed >> 7
					seed ^= seed << 17
					k := int(seed % uint64(r+1))
					col[r], col[k] = col[k], col[r]
				}
			}
			for r := range runs {
				runs[r][j] = col[r]
			}
		}
		det := logDet(factors, runs)
		for improved := true; improved; {
			improved = false
			for j := range factors {
				for a := range n {
					for b := a + 1; b < n; b++ {
						if runs[a][j] == runs[b][j] {
							continue
						}
						runs[a][j], runs[b][j] = runs[b][j], runs[a][j]
						if d := logDet(factors, runs); d > det+1e-9 && !repeats(runs, a) && !repeats(runs, b) {
							det, improved = d, true
						} else {
							runs[a][j], runs[b][j] = runs[b][j], runs[a][j]
						}
					}
				}
			}
		}
		if det > bestDet && !anyRepeat(runs) {
			best, bestDet = runs, det
		}
		if math.Abs(det-float64(params(factors))*math.Log(float64(n))) < 1e-9 {
			break // orthogonal: nothing beats it
		}
	}
	if best == nil {
		return nil
	}
	slices.SortFunc(best, slices.Compare)
	return best
}

func params(factors []Factor) int {
	p := 1
	for _, f := range factors {
		p += len(f.Levels) - 1
	}
	return p
}

func repeats(runs [][]int, i int) bool {
	for r := range runs {
		if r != i && slices.Equal(runs[r], runs[i]) {
			return true
		}
	}
	return false
}

func anyRepeat(runs [][]int) bool {
	for i := range runs {
		if repeats(runs, i) {
			return true
		}
	}
	return false
}

// helmert is the k-th (1-based) normalised Helmert contrast of level l
// of L levels: in a balanced column each contrast has mean 0 and mean
// square 1, and the contrasts of one factor are orthogonal.
func helmert(l, k, levels int) float64 {
	norm := math.Sqrt(float64(k*(k+1)) / float64(levels))
	switch {
	case l < k:
		return -1 / norm
	case l == k:
		return float64(k) / norm
	}
	return 0
}

// mainRow is a run's row of the main-effects model: 1, then each
// factor's contrasts.
func mainRow(factors []Factor, run []int, row []float64) []float64 {
	row = append(row[:0], 1)
	for j, f := range factors {
		for k := 1; k < len(f.Levels); k++ {
			row = append(row, helmert(run[j], k, len(f.Levels)))
		}
	}
	return row
}

// logDet is log det(X'X) of the main-effects model, -Inf when singular.
func logDet(factors []Factor, runs [][]int) float64 {
	p := params(factors)
	xtx := make([]float64, p*p)
	var row []float64
	for _, run := range runs {
		row = mainRow(factors, run, row)
		for a := range p {
			for b := range p {
				xtx[a*p+b] += row[a] * row[b]
			}
		}
	}
	return logDetSPD(xtx, p)
}

// logDetSPD is log det of a symmetric positive-definite matrix by
// Cholesky, -Inf when it is not.
func logDetSPD(a []float64, p int) float64 {
	l := make([]float64, p*p)
	sum := 0.0
	for i := range p {
		for j := 0; j <= i; j++ {
			s := a[i*p+j]
			for k := range j {
				s -= l[i*p+k] * l[j*p+k]
			}
			if i == j {
				if s <= 1e-9 {
					return math.Inf(-1)
				}
				l[i*p+i] = math.Sqrt(s)
				sum += math.Log(s)
			} else {
				l[i*p+j] = s / l[j*p+j]
			}
		}
	}
	return sum
}

// dEfficiency is det(X'X/N)^(1/p) of the main-effects model.
func dEfficiency(factors []Factor, runs [][]int) float64 {
	p := params(factors)
	ld := logDet(factors, runs)
	if math.IsInf(ld, -1) {
		return 0
	}
	return math.Round(math.Exp((ld-float64(p)*math.Log(float64(len(runs))))/float64(p))*1000) / 1000
}

// resolutionOf says in words what d separates.
func resolutionOf(d Design) string {
	switch {
	case d.Full:
		return "full factorial: every main effect and interaction can be estimated"
	case len(d.Aliased) == 0:
		return fmt.Sprintf("fraction of %d arms: main effects and every two-way interaction can be estimated (D-efficiency %.2f)", len(d.Runs), d.Efficiency)
	}
	return fmt.Sprintf("fraction of %d arms: every main effect can be estimated (D-efficiency %.2f); the two-way interactions %s are confounded with main effects or with one another, so read the effects as additive",
		len(d.Runs), d.Efficiency, strings.Join(d.Aliased, ", "))
}
