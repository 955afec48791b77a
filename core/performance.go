package core

import (
	"slices"
	"strings"
)

// MinExposuresForContext is how many exposures every arm needs before an
// experiment's result is shown as performance context. Fewer, and the
// numbers are noise that would mislead a brief.
const MinExposuresForContext = 100

// Result is what one experiment says so far: its best variant against the
// control, by conversion rate.
type Result struct {
	Experiment string  `json:"experiment"`
	Name       string  `json:"name"`
	Audience   string  `json:"audience,omitempty"`
	Channel    string  `json:"channel,omitempty"`
	Variant    string  `json:"variant"`
	Copy       string  `json:"copy,omitempty"`
	Rate       float64 `json:"rate"`
	// Lift is the variant's rate relative to the control's (0.25 is +25 %).
	Lift      float64 `json:"lift"`
	Exposures uint64  `json:"exposures"`
	// Declared says a person declared this variant the winner; otherwise it
	// is only leading.
	Declared bool `json:"declared"`
}

// ExperimentResult returns e's best variant against its control, and false
// when e has no control or too few exposures to say anything.
func ExperimentResult(e Experiment, totals map[string]VariantTotals) (Result, bool) {
	var control Variant
	found := false
	for _, v := range e.Variants {
		if v.Control {
			control, found = v, true
		}
	}
	base := totals[control.Key]
	if !found || base.Exposures < MinExposuresForContext || base.Rate() == 0 {
		return Result{}, false
	}
	best := Result{Experiment: e.Key, Name: e.Name, Audience: e.Audience, Channel: e.Channel}
	var exposures uint64
	pick := func(v Variant) {
		t := totals[v.Key]
		best.Variant, best.Copy, best.Rate = v.Key, v.Copy, t.Rate()
		best.Lift = t.Rate()/base.Rate() - 1
	}
	for _, v := range e.Variants {
		t := totals[v.Key]
		exposures += t.Exposures
		if t.Exposures < MinExposuresForContext {
			return Result{}, false
		}
		if e.Winner == "" && !v.Control && (best.Variant == "" || t.Rate() > best.Rate) {
			pick(v)
		}
	}
	if e.Winner != "" {
		w, _ := e.Variant(e.Winner)
		pick(w)
		best.Declared = true
	}
	best.Exposures = exposures
	return best, true
}

// PerformanceContext returns the results that bear on brief b, most
// relevant first: same audience and channel, then same channel, then same
// audience; within each, declared winners, then by lift.
func PerformanceContext(b Brief, results []Result) []Result {
	score := func(r Result) int {
		s := 0
		if b.Channel != "" && strings.EqualFold(r.Channel, b.Channel) {
			s += 2
		}
		if b.Audience != "" && strings.EqualFold(r.Audience, b.Audience) {
			s++
		}
		return s
	}
	var out []Result
	for _, r := range results {
		if score(r) > 0 {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(x, y Result) int {
		if d := score(y) - score(x); d != 0 {
			return d
		}
		if x.Declared != y.Declared {
			if x.Declared {
				return -1
			}
			return 1
		}
		switch {
		case x.Lift > y.Lift:
			return -1
		case x.Lift < y.Lift:
			return 1
		}
		return 0
	})
	return out
}
