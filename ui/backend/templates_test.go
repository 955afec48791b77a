package backend

import (
	"context"
	"fmt"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that the list is by kind (brief, flow, experiment), then name
// in any case, and --kind keeps one kind.
func TestBackend_Templates(t *testing.T) {
	be, _ := openBackend(t)
	ctx := context.Background()
	root := core.Identity{Name: "root", Role: core.RoleAdmin}
	stage := []core.ApprovalStage{{Name: "Brand", Mode: core.ModeSequential, Rule: core.RuleAll, Approvers: []string{"cy"}}}
	for _, tm := range []core.Template{
		{Kind: core.TemplateExperiment, Name: "Email review", Experiment: &core.ExperimentTemplate{Hypothesis: "h"}},
		{Kind: core.TemplateFlow, Name: "Email review", Flow: &core.FlowTemplate{AssetType: "email", Stages: stage}},
		{Kind: core.TemplateBrief, Name: "spring", Brief: &core.BriefTemplate{}},
		{Kind: core.TemplateBrief, Name: "Banner", Brief: &core.BriefTemplate{}},
	} {
		if _, err := be.AddTemplate(ctx, root, tm); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := be.AddBriefFromTemplate(ctx, root, "spring", core.Brief{Title: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := be.AddFlowFromTemplate(ctx, root, "Email review"); err != nil {
		t.Fatal(err)
	}
	got, err := be.Templates(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind core.TemplateKind
		name string
		uses int
	}{{core.TemplateBrief, "Banner", 0}, {core.TemplateBrief, "spring", 1}, {core.TemplateFlow, "Email review", 1}, {core.TemplateExperiment, "Email review", 0}}
	if len(got) != len(want) {
		t.Fatalf("got %d templates, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Kind != w.kind || got[i].Name != w.name || got[i].Uses != w.uses {
			t.Errorf("[%d] = %s %q uses %d, want %s %q uses %d", i, got[i].Kind, got[i].Name, got[i].Uses, w.kind, w.name, w.uses)
		}
	}
	if flows, err := be.Templates(ctx, core.TemplateFlow); err != nil || len(flows) != 1 || flows[0].Kind != core.TemplateFlow {
		t.Errorf("--kind flow = %+v, %v", flows, err)
	}
}

// BenchmarkTemplates_1000 measures listing 1,000 templates with their
// usage counts over 2,000 briefs from them, from the store; the target is
// 5 ms.
func BenchmarkTemplates_1000(b *testing.B) {
	be, _ := openBackend(b)
	ctx := context.Background()
	root := core.Identity{Name: "root", Role: core.RoleAdmin}
	for i := range 1000 {
		if _, err := be.AddTemplate(ctx, root, core.Template{Kind: core.TemplateBrief, Name: fmt.Sprintf("Template %04d", i),
			Brief: &core.BriefTemplate{Objective: "Lift repeat orders", Checklist: []core.ChecklistItem{{Name: "Legal ok", Required: true}}}}); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 2000 {
		if _, err := be.AddBriefFromTemplate(ctx, root, fmt.Sprintf("Template %04d", i%1000), core.Brief{Title: "Week"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		uses, err := be.Templates(ctx, "")
		if err != nil || len(uses) != 1000 || uses[0].Uses != 2 {
			b.Fatalf("%d templates, %v", len(uses), err)
		}
	}
}
