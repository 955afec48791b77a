package core

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core/stats"
)

// Ensure that the best predicted combination, its rate and interval, the
// pairs it uses and every pair's joint test are the same (to 1e-9) in
// every order of the slots and of each slot's components: on
// the reviewer's 3×2 (which picks h1 with c2 at 13 % in every order,
// where selecting single terms picked h3c1, h3c2 or h1c2 by which
// headline came first), on full 3×3×2 factorials with random rates and
// one interacting pair, and on a 12-arm fraction of 3×2×2×2 that
// confounds three pairs.
func TestEstimateEffects_BestPredictedIgnoresOrder(t *testing.T) {
	cases := []orderCase{reviewerCase()}
	for seed := range uint64(4) {
		cases = append(cases, randomFullCase(seed), aliasedFractionCase(seed))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base, err := EstimateEffects(tc.factors, tc.arms, 0.05)
			if err != nil {
				t.Fatal(err)
			}
			if got := usedPairs(base); !slices.Equal(got, tc.uses) {
				t.Fatalf("uses pairs %v, want %v; tests %+v", got, tc.uses, base.InteractionTests)
			}
			if p := base.BestPredicted; tc.want != nil && (!maps.Equal(p.Components, tc.want) || math.Abs(p.Rate-tc.rate) > 1e-9) {
				t.Errorf("picked %v at %v, want %v at %v", p.Components, p.Rate, tc.want, tc.rate)
			}
			if !slices.Equal(base.Confounded, tc.confounded) {
				t.Errorf("confounded %v, want %v", base.Confounded, tc.confounded)
			}
			for slotOrder, levelOrder := range orders(tc.factors) {
				factors, arms := relabel(tc.factors, tc.arms, slotOrder, levelOrder)
				e, err := EstimateEffects(factors, arms, 0.05)
				if err != nil {
					t.Fatal(err)
				}
				p, q := base.BestPredicted, e.BestPredicted
				if !maps.Equal(p.Components, q.Components) || p.Arm != q.Arm || math.Abs(p.Rate-q.Rate) > 1e-9 ||
					math.Abs(p.RateCI.Low-q.RateCI.Low) > 1e-9 || math.Abs(p.RateCI.High-q.RateCI.High) > 1e-9 {
					t.Errorf("slots %v, components %v: picked %v at %v %v; in the first order %v at %v %v",
						slotOrder, levelOrder, q.Components, q.Rate, q.RateCI, p.Components, p.Rate, p.RateCI)
				}
				if got := usedPairs(e); !slices.Equal(got, tc.uses) || len(q.UsesInteractions) != len(p.UsesInteractions) {
					t.Errorf("slots %v, components %v: uses %v (%d terms), want %v (%d terms)", slotOrder, levelOrder, got, len(q.UsesInteractions), tc.uses, len(p.UsesInteractions))
				}
				if a, b := jointTests(base), jointTests(e); !maps.EqualFunc(a, b, func(x, y float64) bool { return math.Abs(x-y) <= 1e-9*max(1, x) }) {
					t.Errorf("slots %v, components %v: joint χ² %v, in the first order %v", slotOrder, levelOrder, b, a)
				}
			}
		})
	}
}

// orderCase is a test whose best predicted combination must not depend
// on the order of its slots and components.
type orderCase struct {
	name    string
	factors []Factor
	arms    []ArmCounts
	// uses are the slot pairs the prediction must use, by sortedPair;
	// confounded the pairs the design confounds, as listed first; want,
	// when set, the pick and its rate.
	uses       []string
	confounded []string
	want       map[string]string
	rate       float64
}

// reviewerCase is the reviewer's full 3×2 with exact rates, 2,000 units
// an arm: h1 with c2 converts best, at 13 %.
func reviewerCase() orderCase {
	rates := [3][2]uint64{{200, 260}, {200, 200}, {250, 220}}
	factors := []Factor{{Slot: "headline", Levels: levelNames("h", 3)}, {Slot: "cta", Levels: levelNames("c", 2)}}
	var arms []ArmCounts
	for h := range 3 {
		for c := range 2 {
			arms = append(arms, ArmCounts{Key: fmt.Sprintf("h%dc%d", h+1, c+1), Levels: []int{h, c}, Units: 2000, Converters: rates[h][c]})
		}
	}
	return orderCase{"reviewer's 3×2", factors, arms, []string{"cta×headline"}, []string{}, map[string]string{"headline": "h1", "cta": "c2"}, 0.13}
}

// randomFullCase is a full 3×3×2 with random main effects, a random
// interaction of one random pair (up to ±4 points a cell) and noise of a
// tenth of a point, 2,000 units an arm.
func randomFullCase(seed uint64) orderCase {
	factors := []Factor{{Slot: "headline", Levels: levelNames("h", 3)}, {Slot: "body", Levels: levelNames("b", 3)}, {Slot: "cta", Levels: levelNames("c", 2)}}
	d := Design{Factors: factors}
	for levels := range allCombinations(factors) {
		d.Runs = append(d.Runs, slices.Clone(levels))
	}
	pair := [][2]int{{0, 1}, {0, 2}, {1, 2}}[seed%3]
	return orderCase{fmt.Sprintf("full 3×3×2, seed %d", seed), factors, randomArms(d, pair, seed), []string{pairName(factors, pair)}, []string{}, nil, 0}
}

// aliasedFractionCase is 12 arms of 3×2×2×2, every combination of the
// first three slots with the fourth's component the parity of the
// second's and third's: the pairs among those three are confounded
// (the fourth is the second×third interaction), the first slot's pairs
// are estimable. The rates are random, one estimable pair interacting.
func aliasedFractionCase(seed uint64) orderCase {
	factors := []Factor{{Slot: "headline", Levels: levelNames("h", 3)}, {Slot: "body", Levels: levelNames("b", 2)}, {Slot: "cta", Levels: levelNames("c", 2)}, {Slot: "image", Levels: levelNames("i", 2)}}
	d := Design{Factors: factors}
	for levels := range allCombinations(factors[:3]) {
		d.Runs = append(d.Runs, append(slices.Clone(levels), (levels[1]+levels[2])%2))
	}
	pair := [][2]int{{0, 1}, {0, 2}, {0, 3}}[seed%3]
	return orderCase{fmt.Sprintf("fraction of 3×2×2×2 in 12 arms, seed %d", seed), factors, randomArms(d, pair, seed), []string{pairName(factors, pair)},
		[]string{"body×cta", "body×image", "cta×image"}, nil, 0}
}

// randomArms fills d's arms with 2,000 units at 10 % plus random main
// effects (±2 points), a random interaction of pair's components (±4
// points) and noise (±0.1 point).
func randomArms(d Design, pair [2]int, seed uint64) []ArmCounts {
	rng := rand.New(rand.NewPCG(seed, 9))
	uniform := func(width float64) float64 { return width * (2*rng.Float64() - 1) }
	effect := make([][]float64, len(d.Factors))
	for j, f := range d.Factors {
		for range f.Levels {
			effect[j] = append(effect[j], uniform(0.02))
		}
	}
	interaction := make([][]float64, len(d.Factors[pair[0]].Levels))
	for l := range interaction {
		for range d.Factors[pair[1]].Levels {
			interaction[l] = append(interaction[l], uniform(0.04))
		}
	}
	arms := make([]ArmCounts, len(d.Runs))
	for i, run := range d.Runs {
		r := 0.10 + interaction[run[pair[0]]][run[pair[1]]] + uniform(0.001)
		for j := range d.Factors {
			r += effect[j][run[j]]
		}
		arms[i] = ArmCounts{Key: fmt.Sprintf("arm%02d", i), Levels: run, Units: 2000, Converters: uint64(math.Round(r * 2000))}
	}
	return arms
}

// orders yields every order of factors' slots with every order of each
// slot's components, as relabel takes them.
func orders(factors []Factor) func(func([]int, [][]int) bool) {
	return func(yield func([]int, [][]int) bool) {
		perms := make([][][]int, len(factors))
		levels := make([]Factor, len(factors))
		for j, f := range factors {
			perms[j] = permutations(len(f.Levels))
			levels[j] = Factor{Levels: make([]string, len(perms[j]))}
		}
		for _, slotOrder := range permutations(len(factors)) {
			for at := range allCombinations(levels) {
				levelOrder := make([][]int, len(factors))
				for j := range factors {
					levelOrder[j] = perms[j][at[j]]
				}
				if !yield(slotOrder, levelOrder) {
					return
				}
			}
		}
	}
}

// permutations are every order of 0…n−1.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := range n {
			out = append(out, slices.Insert(slices.Clone(p), i, n-1))
		}
	}
	return out
}

// relabel lists the same test with the slots in slotOrder and slot j's
// components in levelOrder[j] (its new i-th component is its old
// levelOrder[j][i]-th); the arms keep their keys and counts.
func relabel(factors []Factor, arms []ArmCounts, slotOrder []int, levelOrder [][]int) ([]Factor, []ArmCounts) {
	out := make([]Factor, len(factors))
	position := make([][]int, len(factors)) // old level → new level, by old slot
	for s, j := range slotOrder {
		out[s] = Factor{Slot: factors[j].Slot}
		position[j] = make([]int, len(levelOrder[j]))
		for i, old := range levelOrder[j] {
			out[s].Levels = append(out[s].Levels, factors[j].Levels[old])
			position[j][old] = i
		}
	}
	moved := make([]ArmCounts, len(arms))
	for i, a := range arms {
		moved[i] = a
		moved[i].Levels = make([]int, len(factors))
		for s, j := range slotOrder {
			moved[i].Levels[s] = position[j][a.Levels[j]]
		}
	}
	return out, moved
}

// usedPairs names the slot pairs of e's prediction's terms, each pair's
// slots and the pairs sorted by name, so that orders compare.
func usedPairs(e Effects) []string {
	var out []string
	for _, u := range e.BestPredicted.UsesInteractions {
		if name := sortedPair(u.Slots); !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// jointTests are e's joint χ² statistics by sorted pair name.
func jointTests(e Effects) map[string]float64 {
	out := map[string]float64{}
	for _, t := range e.InteractionTests {
		out[sortedPair(t.Slots)] = t.Chi2
	}
	return out
}

func pairName(factors []Factor, pair [2]int) string {
	return sortedPair([2]string{factors[pair[0]].Slot, factors[pair[1]].Slot})
}

func sortedPair(slots [2]string) string {
	s := slots[:]
	slices.Sort(s)
	return strings.Join(s, "×")
}

// Ensure that each pair's joint test equals the Wald test computed here
// from an OLS fitted unit by unit with White's HC0 sandwich, the pair's
// terms coded against each slot's last component instead of its first:
// the statistic is the same whatever the reference, its degrees of
// freedom the pair's terms, its p the χ² tail, and it is called at α
// over the pairs, on a sampled non-additive full 3×3×2.
func TestEstimateEffects_JointTestMatchesUnitLevel(t *testing.T) {
	factors := []Factor{{Slot: "h", Levels: levelNames("h", 3)}, {Slot: "b", Levels: levelNames("b", 3)}, {Slot: "c", Levels: levelNames("c", 2)}}
	d, err := BuildDesign(factors, 18)
	if err != nil {
		t.Fatal(err)
	}
	arms := sampledArms(d, 300, 0.2, map[string]float64{"h3": 0.1}, map[[2]string]float64{{"h2", "c2"}: 0.15, {"b2", "c2"}: -0.1, {"h3", "b3"}: 0.05}, 13)
	e, err := EstimateEffects(factors, arms, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	lastReference := func(levels []int) []float64 {
		row := []float64{1}
		for j, f := range factors {
			for l := range len(f.Levels) - 1 {
				row = append(row, indicator(levels[j] == l))
			}
		}
		return row
	}
	if len(e.InteractionTests) != 3 || math.Abs(e.InteractionTestConfidence-(1-0.05/3)) > 1e-12 {
		t.Fatalf("%d joint tests at %v", len(e.InteractionTests), e.InteractionTestConfidence)
	}
	called := 0
	for i, pr := range []slotPair{{0, 1}, {0, 2}, {1, 2}} {
		lj, lk := len(factors[pr.j].Levels), len(factors[pr.k].Levels)
		beta, cov := unitLevelHC0(arms, func(levels []int) []float64 {
			row := lastReference(levels)
			for l := range lj - 1 {
				for m := range lk - 1 {
					row = append(row, indicator(levels[pr.j] == l && levels[pr.k] == m))
				}
			}
			return row
		})
		p, from, n := len(beta), params(factors), (lj-1)*(lk-1)
		block := make([]float64, n*n)
		for r := range n {
			for c := range n {
				block[r*n+c] = cov[(from+r)*p+from+c]
			}
		}
		inv, ok := stats.Invert(block, n)
		if !ok {
			t.Fatalf("pair %v: singular covariance", pr)
		}
		wald := 0.0
		for r := range n {
			for c := range n {
				wald += beta[from+r] * inv[r*n+c] * beta[from+c]
			}
		}
		got := e.InteractionTests[i]
		pValue := stats.ChiSquareSF(wald, float64(n))
		if got.Slots != [2]string{factors[pr.j].Slot, factors[pr.k].Slot} || got.DF != n || math.Abs(got.Chi2-wald) > 1e-9*wald ||
			math.Abs(got.P-pValue) > 1e-12 || got.Significant != (pValue < 0.05/3) {
			t.Errorf("pair %v: %+v; unit level χ²(%d) = %v, p %v", pr, got, n, wald, pValue)
		}
		if got.Significant {
			called++
		}
	}
	if called == 0 || called == 3 {
		t.Errorf("%d of 3 pairs called: the data should call some and not others", called)
	}
}

// Ensure that a pair whose terms have no variance (arms converting none
// or all of their units) is not tested, is not used by the prediction,
// and a note says why, with finite JSON numbers.
func TestEstimateEffects_JointTestWithoutVariance(t *testing.T) {
	factors := []Factor{{Slot: "a", Levels: levelNames("a", 2)}, {Slot: "b", Levels: levelNames("b", 2)}}
	arms := []ArmCounts{
		{Key: "a1b1", Levels: []int{0, 0}, Units: 100, Converters: 0},
		{Key: "a1b2", Levels: []int{0, 1}, Units: 100, Converters: 100},
		{Key: "a2b1", Levels: []int{1, 0}, Units: 100, Converters: 0},
		{Key: "a2b2", Levels: []int{1, 1}, Units: 100, Converters: 0},
	}
	e, err := EstimateEffects(factors, arms, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	noted := slices.ContainsFunc(e.Notes, func(n string) bool { return strings.Contains(n, "a×b interaction cannot be tested as a whole") })
	if len(e.InteractionTests) != 0 || !noted || e.BestPredicted == nil || len(e.BestPredicted.UsesInteractions) != 0 {
		t.Errorf("tests %+v, notes %v, best predicted %+v", e.InteractionTests, e.Notes, e.BestPredicted)
	}
}
