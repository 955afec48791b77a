package core

import (
	"cmp"
	"slices"
	"strings"
)

// ComponentPerformance is a component's measured effect in one factorial
// test, on that test's channel and audience: its performance context.
type ComponentPerformance struct {
	Experiment string          `json:"experiment"`
	Channel    string          `json:"channel"`
	Audience   string          `json:"audience"`
	Effect     ComponentEffect `json:"effect"`
}

// Won reports whether the component beat its slot's reference: a
// significant positive effect.
func (p ComponentPerformance) Won() bool { return p.Effect.Significant && p.Effect.Effect > 0 }

// ComponentPerformances are the measured effects a factorial test's
// analysis and effects give its components (the reference components
// included, with no effect), none when the analysis does not hold (a data
// error or a sample-ratio mismatch).
func ComponentPerformances(a Analysis, eff Effects) []ComponentPerformance {
	if !a.Holds() || len(a.Experiment.Factors) == 0 {
		return nil
	}
	out := make([]ComponentPerformance, 0, len(eff.Components))
	for _, c := range eff.Components {
		out = append(out, ComponentPerformance{Experiment: a.Experiment.Key, Channel: a.Experiment.Channel, Audience: a.Experiment.Audience, Effect: c})
	}
	return out
}

// PreferWinners returns at most k document indexes for a brief on channel
// and audience: first the components that won on the same channel and
// audience, largest effect first, taking at most half of k so that the
// guidelines keep their place; then ranked, in order, without repeats.
func PreferWinners(ranked []int, docs []Document, channel, audience string, k int) []int {
	var wins []int
	for i, d := range docs {
		if d.Won && channel != "" && strings.EqualFold(d.Channel, channel) && strings.EqualFold(d.Audience, audience) {
			wins = append(wins, i)
		}
	}
	slices.SortStableFunc(wins, func(a, b int) int { return cmp.Compare(docs[b].Effect, docs[a].Effect) })
	out := make([]int, 0, k)
	out = append(out, wins[:min(len(wins), k/2)]...)
	for _, i := range ranked {
		if len(out) == k {
			break
		}
		if !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	return out
}

// WinningCombination is the components a decided factorial test's
// declared winner holds, slot to component ID; false when the test is not
// factorial or not decided.
func WinningCombination(e Experiment) (map[string]string, bool) {
	if len(e.Factors) == 0 || e.Winner == "" {
		return nil, false
	}
	for _, v := range e.Variants {
		if v.Key == e.Winner && len(v.Components) > 0 {
			return v.Components, true
		}
	}
	return nil, false
}
