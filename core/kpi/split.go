package kpi

import "github.com/tandem-ops/tandem/core"

// Split divides the input by a brief field, such as its campaign: each
// group holds its briefs and the stage changes, reviews and decisions about
// them, and shares the people, flows and experiments. Briefs with an empty
// key are grouped under "(none)"; records about briefs the input does not
// hold are left out.
func Split(in Input, key func(core.Brief) string) map[string]Input {
	of := map[uint64]string{}
	out := map[string]Input{}
	for _, b := range in.Briefs {
		k := key(b)
		if k == "" {
			k = "(none)"
		}
		of[b.ID] = k
		g := out[k]
		g.Briefs = append(g.Briefs, b)
		g.People, g.Flows, g.Experiments, g.Evidence = in.People, in.Flows, in.Experiments, in.Evidence
		g.Hours, g.Holidays = in.Hours, in.Holidays
		out[k] = g
	}
	for _, c := range in.History {
		if k, ok := of[c.BriefID]; ok {
			g := out[k]
			g.History = append(g.History, c)
			out[k] = g
		}
	}
	for _, r := range in.Reviews {
		if k, ok := of[r.BriefID]; ok {
			g := out[k]
			g.Reviews = append(g.Reviews, r)
			out[k] = g
		}
	}
	for _, d := range in.Decisions {
		if k, ok := of[d.BriefID]; ok {
			g := out[k]
			g.Decisions = append(g.Decisions, d)
			out[k] = g
		}
	}
	return out
}
