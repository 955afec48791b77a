package kpi

import (
	"fmt"
	"slices"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that templates of every kind and factorial components count as
// reused when more than one brief used them, not when one brief used them
// twice, beside copies reused across experiments.
func TestReuse_TemplatesAndComponents(t *testing.T) {
	in := input()
	in.Briefs = append(in.Briefs,
		core.Brief{ID: 101, Template: "Spring email"}, core.Brief{ID: 102, Template: "Spring email"}, core.Brief{ID: 103, Template: "Banner"})
	in.Flows = append(in.Flows, core.ApprovalFlow{ID: 2, Name: "Email review", Template: "Email review"})
	in.Reviews = append(in.Reviews, core.Review{BriefID: 101, FlowID: 2}, core.Review{BriefID: 102, FlowID: 2})
	arms := func(components ...string) []core.Variant {
		var vs []core.Variant
		for i, c := range components {
			vs = append(vs, core.Variant{Key: string(rune('a' + i)), Components: map[string]string{"headline": c}})
		}
		return vs
	}
	in.Experiments = append(in.Experiments,
		core.Experiment{Key: "f1", BriefID: 101, Template: "Subject test", Variants: arms("7", "8")},
		core.Experiment{Key: "f2", BriefID: 102, Template: "Subject test", Variants: arms("7", "9")},
		core.Experiment{Key: "f3", BriefID: 103, Template: "Hero test", Variants: arms("9")},
		core.Experiment{Key: "f4", BriefID: 103, Template: "Hero test", Variants: arms("10")}, // the same brief again
	)
	got := Reuse(in)
	uses := map[[2]string]int{}
	for _, a := range got {
		uses[[2]string{a.Kind, a.Name}] = a.Uses
	}
	for _, want := range []struct {
		kind, name string
		uses       int
	}{
		{AssetBriefTemplate, "Spring email", 2}, {AssetBriefTemplate, "Banner", 1},
		{AssetFlowTemplate, "Email review", 2},
		{AssetExperimentTemplate, "Subject test", 2}, {AssetExperimentTemplate, "Hero test", 1},
		{AssetComponent, "7", 2}, {AssetComponent, "9", 2}, {AssetComponent, "8", 1}, {AssetComponent, "10", 1},
		{AssetCopy, "save time", 2},
	} {
		if n := uses[[2]string{want.kind, want.name}]; n != want.uses {
			t.Errorf("%s %q used by %d; want %d", want.kind, want.name, n, want.uses)
		}
	}
	if !slices.IsSortedFunc(got, func(a, b AssetReuse) int { return b.Uses - a.Uses }) {
		t.Errorf("Reuse is not most used first: %+v", got)
	}
	for _, a := range TemplateReuse(in) {
		if a.Kind == AssetCopy || a.Kind == AssetComponent {
			t.Errorf("TemplateReuse lists a %s", a.Kind)
		}
	}
	// Reused: save time, Spring email, Email review, Subject test, 7, 9 of
	// 2 copies, 2 brief, 1 flow and 2 experiment templates and 4 components.
	check(t, Compute(in, at(2, 0), at(16, 0)), "reuse", 54.5, 11)
}

// Ensure that a brief template's results are its own briefs' (as
// `report kpis --by template` has them), and other templates carry only
// their reuse.
func TestTemplateResults(t *testing.T) {
	in := input()
	in.Briefs[0].Template, in.Briefs[1].Template = "Spring email", "Spring email" // live in 4 and 8 days
	in.Flows[0].Template = "Email review"
	rows := TemplateResults(in, at(2, 0), at(16, 0), 5)
	if len(rows) != 2 || rows[0].Name != "Email review" && rows[0].Name != "Spring email" {
		t.Fatalf("rows = %+v; want the two templates", rows)
	}
	for _, r := range rows {
		switch r.Kind {
		case AssetBriefTemplate:
			if r.Uses != 2 || len(r.KPIs) != 2 || r.KPIs[0].Key != "cycle_time" || r.KPIs[0].Value != 6 || r.KPIs[0].N != 2 {
				t.Errorf("brief template row = %+v; want 2 briefs with a median cycle time of 6 days", r)
			}
		case AssetFlowTemplate:
			if r.Uses != 2 || len(r.KPIs) != 0 {
				t.Errorf("flow template row = %+v; want its 2 reviewed briefs and no KPIs", r)
			}
		}
	}
	if got := TemplateResults(in, at(2, 0), at(16, 0), 1); len(got) != 1 {
		t.Errorf("n = 1 gave %d rows", len(got))
	}
}

// reuseInput is a workspace of 2,000 briefs from 1,000 brief templates,
// each reviewed under a flow from one of 50 flow templates and tested in
// an experiment from one of 50 experiment templates, with live histories.
func reuseInput() Input {
	var in Input
	for i := range 50 {
		in.Flows = append(in.Flows, core.ApprovalFlow{ID: uint64(i + 1), Name: fmt.Sprintf("flow %d", i), Template: fmt.Sprintf("flow %d", i)})
	}
	for i := range 2000 {
		id := uint64(i + 1)
		in.Briefs = append(in.Briefs, core.Brief{ID: id, Template: fmt.Sprintf("template %d", i%1000), Stage: core.StageLive})
		in.History = append(in.History, moves(id, core.StageIntake, at(2, 9), core.StageLive, at(2+i%10, 9))...)
		in.Reviews = append(in.Reviews, core.Review{BriefID: id, FlowID: uint64(i%50 + 1)})
		in.Experiments = append(in.Experiments, core.Experiment{Key: fmt.Sprintf("e%d", i), BriefID: id, Template: fmt.Sprintf("test %d", i%50),
			Variants: []core.Variant{{Key: "a", Control: true, Copy: fmt.Sprintf("copy %d", i)}, {Key: "b", Copy: "shared copy"}}})
	}
	return in
}

// The Retro's reuse by template over 2,000 briefs and 1,100 templates:
// computed once per write for every session.
func BenchmarkTemplateResults(b *testing.B) {
	in := reuseInput()
	b.ReportAllocs()
	for b.Loop() {
		if rows := TemplateResults(in, at(2, 0), at(16, 0), 5); len(rows) != 5 {
			b.Fatalf("%d rows", len(rows))
		}
	}
}

// The asset reuse KPI's count over the same workspace.
func BenchmarkReuse(b *testing.B) {
	in := reuseInput()
	b.ReportAllocs()
	for b.Loop() {
		Reuse(in)
	}
}
