package kpi

import (
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that "what worked" lists declared winners whose experiment still
// holds, and leaves out one whose data now shows a sample-ratio mismatch
// and one the store has no evidence for.
func TestWins_Evidence(t *testing.T) {
	exp := func(key string) core.Experiment {
		return core.Experiment{Key: key, Name: strings.ToUpper(key), Started: at(2, 0), Decided: at(9, 0), Winner: "b",
			Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}
	}
	held, srm, none := exp("held"), exp("srm"), exp("none")
	analysis := func(e core.Experiment, nb, cb uint64) core.Analysis {
		totals := map[string]core.VariantTotals{"a": {Exposures: 10000, Converters: 400, First: at(2, 0), Last: at(9, 0)}, "b": {Exposures: nb, Converters: cb, First: at(2, 0), Last: at(9, 0)}}
		return core.Analyze(e, totals, at(9, 0), core.DefaultGuards())
	}
	in := Input{Experiments: []core.Experiment{held, srm, none}, Evidence: map[string]core.Result{}}
	for _, a := range []core.Analysis{analysis(held, 10000, 520), analysis(srm, 11000, 600)} {
		if r, ok := core.ExperimentResult(a); ok {
			in.Evidence[a.Experiment.Key] = r
		}
	}
	got := Wins(in, at(2, 0), at(16, 0), 3)
	if len(got) != 1 || !strings.Contains(got[0], "HELD: variant b, the declared winner, +30% vs control") {
		t.Fatalf("wins = %q", got)
	}
}
