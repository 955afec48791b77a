package kpi

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// The kinds of reusable asset Reuse counts.
const (
	AssetCopy               = "copy"
	AssetBriefTemplate      = "brief template"
	AssetFlowTemplate       = "flow template"
	AssetExperimentTemplate = "experiment template"
	AssetComponent          = "component"
)

// AssetReuse is one reusable asset and how many briefs used it: a
// template's or component's reuse across briefs, or a piece of copy's
// across experiments.
type AssetReuse struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	// Uses counts the distinct briefs that used the asset (experiments
	// for copy, and for an experiment not linked to a brief).
	Uses int `json:"uses"`
}

// Reused reports whether more than one brief (or experiment) used a.
func (a AssetReuse) Reused() bool { return a.Uses > 1 }

// Reuse lists every reusable asset with its uses, most used first, then
// by kind and name: copy across experiments, brief templates by the
// briefs made from them, flow templates by the briefs reviewed under a
// flow made from them, experiment templates and factorial components by
// the briefs of the experiments that used them.
func Reuse(in Input) []AssetReuse {
	users := map[[2]string]map[assetUser]bool{}
	use := func(kind, name string, user assetUser) {
		k := [2]string{kind, name}
		if users[k] == nil {
			users[k] = map[assetUser]bool{}
		}
		users[k][user] = true
	}
	for _, b := range in.Briefs {
		if b.Template != "" {
			use(AssetBriefTemplate, b.Template, assetUser{brief: b.ID})
		}
	}
	flowTemplate := map[uint64]string{}
	for _, fl := range in.Flows {
		flowTemplate[fl.ID] = fl.Template
	}
	for _, r := range in.Reviews {
		if t := flowTemplate[r.FlowID]; t != "" {
			use(AssetFlowTemplate, t, assetUser{brief: r.BriefID})
		}
	}
	for _, e := range in.Experiments {
		user := assetUser{brief: e.BriefID}
		if e.BriefID == 0 {
			user.experiment = e.Key
		}
		if e.Template != "" {
			use(AssetExperimentTemplate, e.Template, user)
		}
		for _, v := range e.Variants {
			if c := strings.TrimSpace(strings.ToLower(v.Copy)); c != "" {
				use(AssetCopy, c, assetUser{experiment: e.Key})
			}
			for _, id := range v.Components {
				use(AssetComponent, id, user)
			}
		}
	}
	out := make([]AssetReuse, 0, len(users))
	for k, u := range users {
		out = append(out, AssetReuse{Kind: k[0], Name: k[1], Uses: len(u)})
	}
	slices.SortFunc(out, func(a, b AssetReuse) int {
		return cmp.Or(cmp.Compare(b.Uses, a.Uses), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// assetUser is who used an asset: a brief, or an experiment linked to
// none.
type assetUser struct {
	brief      uint64
	experiment string
}

// TemplateReuse is Reuse's templates only: what the Retro lists as reuse
// by template.
func TemplateReuse(in Input) []AssetReuse {
	var out []AssetReuse
	for _, a := range Reuse(in) {
		if a.Kind != AssetCopy && a.Kind != AssetComponent {
			out = append(out, a)
		}
	}
	return out
}

func (ix *index) reuse() KPI {
	assets := Reuse(ix.in)
	reused := 0
	for _, a := range assets {
		if a.Reused() {
			reused++
		}
	}
	return KPI{Key: "reuse", Name: "Asset reuse rate", Value: ratio(reused, len(assets)), Unit: "%", N: len(assets), Better: "up",
		Definition: "Share of assets used more than once: templates (brief, flow, experiment) and factorial components used by more than one brief, and distinct variant copies in more than one experiment."}
}

// TemplateResult is a template's reuse and, for a brief template, how
// its briefs did over a period: cycle time and first-pass approval, as
// `report kpis --by template` computes them.
type TemplateResult struct {
	AssetReuse
	KPIs []KPI
}

// templateKPIs are the KPIs a TemplateResult carries: those that are the
// brief's own (a template's split keeps every experiment, so win rates
// would be the workspace's).
var templateKPIs = [...]string{"cycle_time", "first_pass"}

// TemplateResults returns the n most used templates (every one when n is
// 0 or less) with their results over [from, to).
func TemplateResults(in Input, from, to time.Time, n int) []TemplateResult {
	reuse := TemplateReuse(in)
	if n > 0 && len(reuse) > n {
		reuse = reuse[:n]
	}
	split := Split(in, func(b core.Brief) string { return b.Template })
	out := make([]TemplateResult, len(reuse))
	for i, a := range reuse {
		out[i].AssetReuse = a
		if a.Kind != AssetBriefTemplate {
			continue
		}
		r := Compute(split[a.Name], from, to)
		for _, key := range templateKPIs {
			if k, ok := r.Get(key); ok {
				out[i].KPIs = append(out[i].KPIs, k)
			}
		}
	}
	return out
}
