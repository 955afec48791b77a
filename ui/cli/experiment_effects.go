package cli

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/experiments/format"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// writeEffects prints a factorial test's per-component effects under the
// method, then the best observed arm and the best predicted combination.
func writeEffects(w io.Writer, e core.Effects) error {
	fmt.Fprintf(w, "\nComponent effects (%s)\n", e.Model)
	for _, n := range e.Notes {
		fmt.Fprintf(w, "%s\n", sanitize.Line(n))
	}
	if err := writeComponentEffects(w, e); err != nil {
		return err
	}
	if err := writeInteractions(w, e); err != nil {
		return err
	}
	if b := e.BestObserved; b != nil {
		fmt.Fprintf(w, "best observed: %s (%s), %.2f%%\n", b.Arm, sanitize.Line(combination(b.Components)), 100*b.Rate)
	}
	if p := e.BestPredicted; p != nil {
		writeBestPredicted(w, *p)
	}
	return nil
}

// writeBestPredicted prints the best predicted combination, whether an
// arm tested it, its interval, and the model it maximises: the main
// effects and the slot pairs whose interaction terms it uses.
func writeBestPredicted(w io.Writer, p core.Prediction) {
	where := "tested as " + p.Arm
	if p.Arm == "" {
		where = "not tested: predicted from the model"
	}
	fmt.Fprintf(w, "best predicted: %s, %.2f%% (%s)\n", sanitize.Line(combination(p.Components)), 100*p.Rate, sanitize.Line(where))
	fmt.Fprintf(w, "  %.2f%% interval [%.2f%%, %.2f%%], Bonferroni over the %d combinations\n", 100*p.Confidence, 100*p.RateCI.Low, 100*p.RateCI.High, p.Combinations)
	model := "main effects only"
	if len(p.UsesInteractions) > 0 {
		model = "main effects + interactions " + interactionPairs(p.UsesInteractions)
	}
	fmt.Fprintf(w, "  model: %s\n", sanitize.Line(model))
}

// interactionPairs names the slot pairs of terms, each pair's terms
// together, with their number: "headline×cta (2 terms), body×cta (1
// term)". The prediction uses all of a pair's terms or none.
func interactionPairs(terms []core.InteractionTerm) string {
	var pairs []string
	for i := 0; i < len(terms); {
		n := 1
		for i+n < len(terms) && terms[i+n].Slots == terms[i].Slots {
			n++
		}
		unit := "terms"
		if n == 1 {
			unit = "term"
		}
		pairs = append(pairs, fmt.Sprintf("%s×%s (%d %s)", terms[i].Slots[0], terms[i].Slots[1], n, unit))
		i += n
	}
	return strings.Join(pairs, ", ")
}

// writeComponentEffects prints one row per component: its effect against
// its slot's reference, the interval and whether it is called.
func writeComponentEffects(w io.Writer, e core.Effects) error {
	if len(e.Components) == 0 {
		return nil
	}
	rows := make([][]string, len(e.Components))
	for i, c := range e.Components {
		if c.Reference {
			rows[i] = []string{c.Slot, c.Component, "reference", "", "", ""}
			continue
		}
		mark := ""
		if c.Significant {
			mark = map[bool]string{true: "▲ better", false: "▼ worse"}[c.Effect > 0]
		}
		rows[i] = []string{c.Slot, c.Component, fmt.Sprintf("%+.2f pts (%+.1f%%)", 100*c.Effect, 100*c.Lift),
			fmt.Sprintf("[%+.2f, %+.2f]", 100*c.CI.Low, 100*c.CI.High), fmt.Sprintf("%.3f", c.P), mark}
	}
	return table(w, []string{"SLOT", "COMPONENT", "EFFECT", fmt.Sprintf("%.1f%% CI (PTS)", 100*e.Confidence), "P", ""}, rows)
}

// writeEffectsBy prints the effects on each level of an attribute, under
// the note that slices are for exploring.
func writeEffectsBy(w io.Writer, b core.EffectsBreakdown) error {
	fmt.Fprintf(w, "\nComponent effects by %s (%s)\n", sanitize.Line(b.Attr), b.Note)
	for _, l := range b.Levels {
		fmt.Fprintf(w, "\n%s = %s, %s units\n", sanitize.Line(b.Attr), sanitize.Line(l.Value), format.Units(float64(l.Units)))
		for _, n := range l.Effects.Notes {
			fmt.Fprintf(w, "%s\n", sanitize.Line(n))
		}
		if err := writeComponentEffects(w, l.Effects); err != nil {
			return err
		}
		if err := writeInteractions(w, l.Effects); err != nil {
			return err
		}
		if p := l.Effects.BestPredicted; p != nil {
			writeBestPredicted(w, *p)
		}
	}
	if b.Omitted > 0 {
		fmt.Fprintf(w, "%d smaller levels not shown\n", b.Omitted)
	}
	return nil
}

// writeInteractions prints the two-way interactions the design separates,
// each pair's joint test, and names the pairs it confounds.
func writeInteractions(w io.Writer, e core.Effects) error {
	if len(e.Interactions) > 0 {
		rows := make([][]string, len(e.Interactions))
		for i, in := range e.Interactions {
			mark := ""
			if in.Significant {
				mark = map[bool]string{true: "▲ better together", false: "▼ worse together"}[in.Effect > 0]
			}
			rows[i] = []string{in.Slots[0] + "×" + in.Slots[1], in.Components[0] + "×" + in.Components[1], fmt.Sprintf("%+.2f pts", 100*in.Effect),
				fmt.Sprintf("[%+.2f, %+.2f]", 100*in.CI.Low, 100*in.CI.High), fmt.Sprintf("%.3f", in.P), mark}
		}
		if err := table(w, []string{"SLOTS", "INTERACTION", "EFFECT", fmt.Sprintf("%.1f%% CI (PTS)", 100*e.InteractionConfidence), "P", ""}, rows); err != nil {
			return err
		}
	}
	if err := writeInteractionTests(w, e); err != nil {
		return err
	}
	if len(e.Confounded) > 0 {
		_, err := fmt.Fprintf(w, "interactions not estimable in this design (read as additive): %s\n", sanitize.Line(strings.Join(e.Confounded, ", ")))
		return err
	}
	return nil
}

// writeInteractionTests prints each slot pair's joint test, whether its
// components interact at all, and marks the pairs it calls: those the
// best predicted combination uses every term of.
func writeInteractionTests(w io.Writer, e core.Effects) error {
	if len(e.InteractionTests) == 0 {
		return nil
	}
	rows := make([][]string, len(e.InteractionTests))
	for i, x := range e.InteractionTests {
		mark := ""
		if x.Significant {
			mark = "interacts"
		}
		rows[i] = []string{x.Slots[0] + "×" + x.Slots[1], fmt.Sprintf("χ²(%d) = %.2f", x.DF, x.Chi2), fmt.Sprintf("%.3f", x.P), mark}
	}
	return table(w, []string{"SLOTS", fmt.Sprintf("JOINT TEST AT %.1f%%", 100*e.InteractionTestConfidence), "P", ""}, rows)
}

// combination names one component per slot, slots in name order.
func combination(m map[string]string) string {
	parts := make([]string, 0, len(m))
	for _, slot := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, slot+" "+m[slot])
	}
	return strings.Join(parts, ", ")
}

// parseFactorial reads --factorial values, SLOT=ID,ID…, in order.
func parseFactorial(specs []string) ([]core.Factor, error) {
	out := make([]core.Factor, 0, len(specs))
	for _, spec := range specs {
		slot, ids, ok := strings.Cut(spec, "=")
		if !ok || strings.TrimSpace(slot) == "" || strings.TrimSpace(ids) == "" {
			return nil, usageErrorf("--factorial %q: use SLOT=ID,ID…, such as headline=4,7,9", spec)
		}
		f := core.Factor{Slot: strings.TrimSpace(slot)}
		for _, id := range strings.Split(ids, ",") {
			f.Levels = append(f.Levels, strings.TrimSpace(id))
		}
		out = append(out, f)
	}
	return out, nil
}

// writeFactorial says what `experiment add --factorial` built: the arms,
// what the design can separate, and each arm whose assembled copy breaks
// a lint rule (kept, and marked).
func writeFactorial(w io.Writer, e core.Experiment, f backend.Factorial) error {
	fmt.Fprintf(w, "added factorial experiment %s with %d arms (control %s): %s\n", e.Key, len(e.Variants), e.Variants[0].Key, f.Design.Resolution)
	for _, v := range e.Variants {
		mark := ""
		if breaks := f.Breaks[v.Key]; len(breaks) > 0 {
			mark = "  ✗ " + strings.Join(breaks, "; ")
		}
		fmt.Fprintf(w, "  %s  %s%s\n", v.Key, sanitize.Line(combination(v.Components)), sanitize.Line(mark))
	}
	return nil
}
