package store

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

func briefTemplate(name string, checklist ...core.ChecklistItem) core.Template {
	return core.Template{Kind: core.TemplateBrief, Name: name, Brief: &core.BriefTemplate{
		TitlePattern: "Spring: {title}", Objective: "Lift repeat orders", AssetType: "email",
		Estimates: []core.SkillEstimate{{Skill: "copy", Hours: 4}, {Skill: "design", Hours: 2}}, Checklist: checklist}}
}

// Ensure that editing a template stores a new version beside the old one,
// and that a brief made from the old version keeps saying so.
func TestStore_EditTemplate_NewVersion(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	if _, err := s.AddTemplate(ctx, "ana", briefTemplate("Spring email")); err != nil {
		t.Fatal(err)
	}
	old, err := s.AddBriefFromTemplate(ctx, "ana", "spring EMAIL", core.Brief{Title: "Week 1"})
	if err != nil {
		t.Fatal(err)
	}
	edit := briefTemplate("Spring email")
	edit.Brief.Objective = "Win back lapsed buyers"
	v2, err := s.EditTemplate(ctx, "ana", edit, 1)
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.Author != "ana" {
		t.Fatalf("edit = version %d by %q, want 2 by ana", v2.Version, v2.Author)
	}
	same, err := s.EditTemplate(ctx, "ana", edit, 0)
	if err != nil || same.Version != 2 {
		t.Fatalf("an edit that changes nothing = version %d, %v; want 2 and no write", same.Version, err)
	}
	if _, err := s.EditTemplate(ctx, "cy", edit, 1); !isConflict(err) {
		t.Fatalf("an edit from version 1 after version 2 = %v, want a conflict", err)
	}
	versions, err := s.TemplateVersions(ctx, core.TemplateBrief, "Spring email")
	if err != nil || len(versions) != 2 || versions[0].Brief.Objective != "Lift repeat orders" || versions[1].Brief.Objective != "Win back lapsed buyers" {
		t.Fatalf("versions = %+v, %v", versions, err)
	}
	if got, err := s.Template(ctx, core.TemplateBrief, "Spring email", 1); err != nil || got.Brief.Objective != "Lift repeat orders" {
		t.Fatalf("version 1 = %+v, %v", got, err)
	}
	kept, err := s.Brief(ctx, old.ID)
	if err != nil || kept.TemplateVersion != 1 || kept.Objective != "Lift repeat orders" {
		t.Fatalf("old brief = %+v, %v; want version 1's objective and version", kept, err)
	}
	fresh, err := s.AddBriefFromTemplate(ctx, "ana", "Spring email", core.Brief{Title: "Week 2"})
	if err != nil || fresh.TemplateVersion != 2 || fresh.Objective != "Win back lapsed buyers" || fresh.Title != "Spring: Week 2" || fresh.EstimateHours != 6 {
		t.Fatalf("new brief = %+v, %v; want version 2's fields", fresh, err)
	}
}

func isConflict(err error) bool {
	var c *core.ConflictError
	return errors.As(err, &c)
}

// Ensure that a retired template keeps its versions and briefs but makes
// no new brief, and that an edit brings it back.
func TestStore_RetireTemplate(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	if _, err := s.AddTemplate(ctx, "ana", briefTemplate("Spring email")); err != nil {
		t.Fatal(err)
	}
	r, err := s.RetireTemplate(ctx, "ana", core.TemplateBrief, "Spring email")
	if err != nil || !r.Retired || r.Version != 2 {
		t.Fatalf("retire = %+v, %v", r, err)
	}
	if again, err := s.RetireTemplate(ctx, "ana", core.TemplateBrief, "Spring email"); err != nil || again.Version != 2 {
		t.Fatalf("retire again = version %d, %v; want no new version", again.Version, err)
	}
	if _, err := s.AddBriefFromTemplate(ctx, "ana", "Spring email", core.Brief{Title: "x"}); err == nil || !strings.Contains(err.Error(), "is retired") {
		t.Fatalf("brief from a retired template: %v", err)
	}
	back, err := s.EditTemplate(ctx, "ana", briefTemplate("Spring email"), 0)
	if err != nil || back.Retired || back.Version != 3 {
		t.Fatalf("edit of a retired template = %+v, %v; want version 3 in use", back, err)
	}
}

// Ensure that a template name is taken in any case within a kind, but
// not across kinds, and hostile templates are refused whole.
func TestStore_AddTemplate_Refusals(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	if _, err := s.AddTemplate(ctx, "ana", briefTemplate("Spring email")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTemplate(ctx, "ana", briefTemplate("SPRING email")); core.Field(err) != "name" {
		t.Fatalf("a taken name: %v", err)
	}
	flow := core.Template{Kind: core.TemplateFlow, Name: "Spring email", Flow: &core.FlowTemplate{AssetType: "email",
		Stages: []core.ApprovalStage{{Name: "Brand", Mode: core.ModeSequential, Rule: core.RuleAll, Approvers: []string{"cy"}, SLAHours: 8}}}}
	if _, err := s.AddTemplate(ctx, "ana", flow); err != nil {
		t.Fatalf("the same name as another kind: %v", err)
	}
	for _, name := range []string{"a\x1b]0;x\x07", "a\nb", "\u202eevil", strings.Repeat("x", 81), ""} {
		if _, err := s.AddTemplate(ctx, "ana", briefTemplate(name)); core.Field(err) != "name" {
			t.Errorf("name %q: %v", name, err)
		}
	}
	if _, err := s.EditTemplate(ctx, "ana", briefTemplate("Nope"), 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("edit of a missing template: %v", err)
	}
	all, err := s.TemplateUses(ctx)
	if err != nil || len(all) != 2 || all[0].Kind != core.TemplateBrief || all[1].Kind != core.TemplateFlow {
		t.Fatalf("templates = %+v, %v", all, err)
	}
}

// Ensure that an asset type requiring a template refuses briefs not made
// from it, on add and on an edit that changes the asset type.
func TestStore_TemplateRequirement(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	if _, err := s.AddTemplate(ctx, "ana", briefTemplate("Spring email")); err != nil {
		t.Fatal(err)
	}
	plain, err := s.AddBrief(ctx, "ana", core.Brief{Title: "Banner", AssetType: "banner"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetTemplateRequirement(ctx, "ana", "email", "Missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("requiring a missing template: %v", err)
	}
	req, err := s.SetTemplateRequirement(ctx, "ana", "email", "spring email")
	if err != nil || req["email"] != "Spring email" {
		t.Fatalf("require = %v, %v", req, err)
	}
	var held *core.RequiredTemplateError
	if _, err := s.AddBrief(ctx, "ana", core.Brief{Title: "Blank", AssetType: "Email"}); !errors.As(err, &held) {
		t.Fatalf("a blank brief of a required type: %v", err)
	}
	if _, err := s.AddBriefFromTemplate(ctx, "ana", "Spring email", core.Brief{Title: "From it"}); err != nil {
		t.Fatalf("a brief from the required template: %v", err)
	}
	plain.AssetType = "email"
	if _, _, err := s.UpdateBrief(ctx, "ana", plain); !errors.As(err, &held) {
		t.Fatalf("an edit into a required type: %v", err)
	}
	// A required template is not retired from under its asset type.
	var refused *core.TemplateError
	if _, err := s.RetireTemplate(ctx, "ana", core.TemplateBrief, "Spring email"); !errors.As(err, &refused) {
		t.Fatalf("retiring a required template: %v", err)
	}
	if req, err := s.SetTemplateRequirement(ctx, "ana", "EMAIL", ""); err != nil || len(req) != 0 {
		t.Fatalf("lifting = %v, %v", req, err)
	}
	if _, err := s.AddBrief(ctx, "ana", core.Brief{Title: "Blank", AssetType: "email"}); err != nil {
		t.Fatalf("after lifting: %v", err)
	}
}

// Ensure that a move into review waits for the required checklist items,
// that a skip needs a reason and is audited with who skipped what, and
// that edits keep the checklist and template.
func TestStore_ChecklistGate(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	tmpl := briefTemplate("Spring email", core.ChecklistItem{Name: "Legal ok", Required: true}, core.ChecklistItem{Name: "Alt text"})
	if _, err := s.AddTemplate(ctx, "ana", tmpl); err != nil {
		t.Fatal(err)
	}
	b, err := s.AddBriefFromTemplate(ctx, "ana", "Spring email", core.Brief{Title: "Week 1", Stage: core.StageInProduction})
	if err != nil {
		t.Fatal(err)
	}
	var held *core.ChecklistError
	if _, err := s.MoveBriefWithin(ctx, "bo", b.ID, core.StageReview); !errors.As(err, &held) || !slices.Equal(held.Items, []string{"Legal ok"}) {
		t.Fatalf("move with an unticked required item: %v", err)
	}
	if _, err := s.MoveBriefAs(ctx, "bo", b.ID, core.StageReview, core.MoveOptions{Force: true}); !errors.As(err, &held) {
		t.Fatalf("--force is for WIP limits, not checklists: %v", err)
	}
	if _, err := s.MoveBriefAs(ctx, "bo", b.ID, core.StageReview, core.MoveOptions{SkipChecklist: " \t"}); core.Field(err) != "reason" {
		t.Fatalf("a blank reason: %v", err)
	}
	edit := b
	edit.Objective, edit.Checklist, edit.Template = "Other", nil, ""
	if edited, _, err := s.UpdateBrief(ctx, "bo", edit); err != nil || len(edited.Checklist) != 2 || edited.Template != "Spring email" {
		t.Fatalf("an edit that dropped them = %+v, %v; want the checklist and template kept", edited, err)
	}
	moved, err := s.MoveBriefAs(ctx, "bo", b.ID, core.StageReview, core.MoveOptions{SkipChecklist: "legal is out until Monday"})
	if err != nil || moved.Stage != core.StageReview {
		t.Fatalf("skip = %+v, %v", moved, err)
	}
	if it := moved.Checklist[0]; it.Skipped != "legal is out until Monday" || it.By != "bo" || it.Done {
		t.Fatalf("skipped item = %+v; want the reason and who on it", it)
	}
	if it := moved.Checklist[1]; it.Skipped != "" || it.By != "" {
		t.Fatalf("an optional item was marked skipped: %+v", it)
	}
	audit, err := s.Audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if last := audit[len(audit)-1]; last.Action != "brief.move.skip-checklist" || last.Actor != "bo" || last.Version != moved.Version {
		t.Fatalf("audit of the skip = %+v", last)
	}
	b2, err := s.AddBriefFromTemplate(ctx, "ana", "Spring email", core.Brief{Title: "Week 2", Stage: core.StageInProduction})
	if err != nil {
		t.Fatal(err)
	}
	ticked, err := s.TickBrief(ctx, "cy", b2.ID, "legal ok", true)
	if err != nil || !ticked.Checklist[0].Done || ticked.Checklist[0].By != "cy" {
		t.Fatalf("tick = %+v, %v", ticked, err)
	}
	if again, err := s.TickBrief(ctx, "dee", b2.ID, "1", true); err != nil || again.Version != ticked.Version || again.Checklist[0].By != "cy" {
		t.Fatalf("tick again = %+v, %v; want no write", again, err)
	}
	if _, err := s.MoveBriefWithin(ctx, "cy", b2.ID, core.StageReview); err != nil {
		t.Fatalf("move with the required items ticked: %v", err)
	}
}

// Ensure that uses count the briefs and flows that name a template, by
// kind, over all its versions, whatever their text holds.
func TestStore_TemplateUses(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	if _, err := s.AddTemplate(ctx, "ana", briefTemplate(`Say "hi" \ back`)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTemplate(ctx, "ana", briefTemplate("Banner")); err != nil {
		t.Fatal(err)
	}
	flow := core.Template{Kind: core.TemplateFlow, Name: "Banner", Flow: &core.FlowTemplate{AssetType: "banner",
		Stages: []core.ApprovalStage{{Name: "Brand", Mode: core.ModeSequential, Rule: core.RuleAll, Approvers: []string{"cy"}, SLAHours: 8}}}}
	if _, err := s.AddTemplate(ctx, "ana", flow); err != nil {
		t.Fatal(err)
	}
	// A title that spells the key must not count.
	for _, title := range []string{`x","template":"Banner`, "Week 1"} {
		if _, err := s.AddBriefFromTemplate(ctx, "ana", `Say "hi" \ back`, core.Brief{Title: title}); err != nil {
			t.Fatal(err)
		}
	}
	edit := briefTemplate(`Say "hi" \ back`)
	edit.Brief.Objective = "Other"
	if _, err := s.EditTemplate(ctx, "ana", edit, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddBriefFromTemplate(ctx, "ana", `Say "hi" \ back`, core.Brief{Title: "Week 2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddBrief(ctx, "ana", core.Brief{Title: `"template":"Banner"`}); err != nil {
		t.Fatal(err)
	}
	uses, err := s.TemplateUses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, u := range uses {
		got[string(u.Kind)+"/"+u.Name] = u.Uses
	}
	want := map[string]int{`brief/Say "hi" \ back`: 3, "brief/Banner": 0, "flow/Banner": 0}
	if len(got) != len(want) {
		t.Fatalf("uses = %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("uses of %s = %d, want %d (all: %v)", k, got[k], n, got)
		}
	}
	for _, u := range uses {
		if u.Name == `Say "hi" \ back` && u.Version != 2 {
			t.Errorf("version = %d, want the latest, 2", u.Version)
		}
	}
}

// Ensure that a brief from a template goes, when submitted without a
// flow, to the newest flow added from the flow template its template
// names, before the flow of its asset type.
func TestStore_Submit_TemplateFlow(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	stages := []core.ApprovalStage{{Name: "Brand", Mode: core.ModeSequential, Rule: core.RuleAll, Approvers: []string{"cy"}, SLAHours: 8}}
	if _, err := s.AddFlow(ctx, "ana", core.ApprovalFlow{Name: "Any email", AssetType: "email", Stages: stages}); err != nil {
		t.Fatal(err)
	}
	fromTemplate, err := s.AddFlow(ctx, "ana", core.ApprovalFlow{Name: "Email review", AssetType: "email", Stages: stages, Template: "Email review", TemplateVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	tmpl := briefTemplate("Spring email")
	tmpl.Brief.Flow = "Email review"
	if _, err := s.AddTemplate(ctx, "ana", tmpl); err != nil {
		t.Fatal(err)
	}
	b, err := s.AddBriefFromTemplate(ctx, "ana", "Spring email", core.Brief{Title: "Week 1"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Submit(ctx, "ana", b.ID, 0, "Spring is here")
	if err != nil || r.FlowID != fromTemplate.ID {
		t.Fatalf("review = flow %d, %v; want the template's flow %d", r.FlowID, err, fromTemplate.ID)
	}
	plain, err := s.AddBrief(ctx, "ana", core.Brief{Title: "Blank", AssetType: "email"})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s.Submit(ctx, "ana", plain.ID, 0, "Hello"); err != nil || r.FlowID != 1 {
		t.Fatalf("a blank brief's review = flow %d, %v; want the asset type's, 1", r.FlowID, err)
	}
}

// Ensure that templates, every version and their heads, survive an export
// and import, and the imported file checks clean.
func TestStore_Templates_ExportImport(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	if _, err := s.AddTemplate(ctx, "ana", briefTemplate("Spring email")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RetireTemplate(ctx, "bo", core.TemplateBrief, "Spring email"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.Export(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	fresh := mustOpenStore(t)
	if _, err := fresh.Import(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	uses, err := fresh.TemplateUses(ctx)
	if err != nil || len(uses) != 1 || uses[0].Version != 2 || !uses[0].Retired || uses[0].Author != "bo" {
		t.Fatalf("imported = %+v, %v", uses, err)
	}
	if v, err := fresh.TemplateVersions(ctx, core.TemplateBrief, "Spring email"); err != nil || len(v) != 2 {
		t.Fatalf("imported versions = %d, %v", len(v), err)
	}
}
