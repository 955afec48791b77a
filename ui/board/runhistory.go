package board

import (
	"fmt"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// withRunSteps rewrites the history lines of a run's steps (audited as
// run.generate, run.lint, …) to say what each did and what it cost, from
// the run's log: the step saved in the same write carries its time.
func withRunSteps(lines []string, entries []core.AuditEntry, run *core.Run) []string {
	if run == nil {
		return lines
	}
	for i, e := range entries {
		step, ok := strings.CutPrefix(e.Action, "run.")
		if !ok {
			continue
		}
		for _, l := range run.Log {
			if string(l.Step) == step && l.At.Equal(e.Time) {
				lines[i] = "run " + step + ": " + l.Note + stepCost(l)
			}
		}
	}
	return lines
}

// stepCost is what a step took of the model, "" when it took nothing.
func stepCost(l core.RunStepLog) string {
	if l.TokensIn+l.TokensOut == 0 && l.DurationMS < 1 {
		return ""
	}
	d := time.Duration(l.DurationMS * float64(time.Millisecond)).Round(time.Millisecond)
	return fmt.Sprintf(" (%s machine, %d tokens, cost %.4f)", d, l.TokensIn+l.TokensOut, l.Cost)
}
