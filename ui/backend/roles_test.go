package backend

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models"
	"github.com/tandem-ops/tandem/store"
)

// writeAction is one backend method that changes the workspace, called as
// who, and the action it needs.
type writeAction struct {
	name   string
	action core.Action
	call   func(ctx context.Context, be *Backend, who core.Identity) error
}

// writeActions lists every backend write method. A new one belongs here:
// the table test checks each against core.Can for every role.
func writeActions(t *testing.T) []writeAction {
	client, err := models.New("127.0.0.1:1", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	brief := core.Brief{ID: 1, Version: 1, Title: "Edited"}
	return []writeAction{
		{"AddBrief", core.ActionEditBrief, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.AddBrief(ctx, who, core.Brief{Title: "New"})
			return err
		}},
		{"UpdateBrief", core.ActionEditBrief, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, _, err := be.UpdateBrief(ctx, who, brief)
			return err
		}},
		{"MoveBrief", core.ActionMoveBrief, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.MoveBrief(ctx, who, 1, core.StagePlanned, false)
			return err
		}},
		{"SetWIPLimits", core.ActionEditBrief, func(ctx context.Context, be *Backend, who core.Identity) error {
			return be.SetWIPLimits(ctx, who, core.DefaultWIPLimits())
		}},
		{"FileAction", core.ActionEditBrief, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.FileAction(ctx, who, core.Brief{ID: 1, Title: "Spring email"}, 72*time.Hour, snapNow)
			return err
		}},
		{"AddTerms", core.ActionAdminister, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.AddTerms(ctx, who, core.Brief{Channel: "print"})
			return err
		}},
		{"SetTaxonomy", core.ActionEditExperiment, func(ctx context.Context, be *Backend, who core.Identity) error {
			return be.SetTaxonomy(ctx, who, core.Taxonomy{Channels: []string{"email"}})
		}},
		{"Submit", core.ActionEditBrief, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.Submit(ctx, who, 1, 0, "Copy for round two", false)
			return err
		}},
		{"Decide approve", core.ActionDecide, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.Decide(ctx, who, core.Decision{BriefID: 1, Kind: core.DecisionApprove})
			return err
		}},
		{"Decide comment", core.ActionComment, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.Decide(ctx, who, core.Decision{BriefID: 1, Kind: core.DecisionComment, Comment: "Looks good"})
			return err
		}},
		{"AddFlow", core.ActionAdminister, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.AddFlow(ctx, who, core.ApprovalFlow{Name: "Video", Stages: []core.ApprovalStage{{Name: "Brand", Approvers: []string{"cy"}, Mode: core.ModeSequential, Rule: core.RuleAll}}})
			return err
		}},
		{"AddTemplate", core.ActionEditTemplates, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.AddTemplate(ctx, who, core.Template{Kind: core.TemplateBrief, Name: "Banner", Brief: &core.BriefTemplate{AssetType: "banner"}})
			return err
		}},
		{"EditTemplate", core.ActionEditTemplates, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.EditTemplate(ctx, who, core.Template{Kind: core.TemplateBrief, Name: "Spring email", Brief: &core.BriefTemplate{Objective: "Edited"}}, 0)
			return err
		}},
		{"RetireTemplate", core.ActionEditTemplates, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.RetireTemplate(ctx, who, core.TemplateBrief, "Spring email")
			return err
		}},
		{"AddBriefFromTemplate", core.ActionEditBrief, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.AddBriefFromTemplate(ctx, who, "Spring email", core.Brief{Title: "Week 2"})
			return err
		}},
		{"TickBrief", core.ActionEditBrief, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.TickBrief(ctx, who, 2, "Legal ok", true)
			return err
		}},
		{"SetTemplateRequirement", core.ActionAdminister, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.SetTemplateRequirement(ctx, who, "email", "Spring email")
			return err
		}},
		{"AddFlowFromTemplate", core.ActionAdminister, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.AddFlowFromTemplate(ctx, who, "Email review")
			return err
		}},
		{"AddExperimentFromTemplate", core.ActionEditExperiment, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.AddExperimentFromTemplate(ctx, who, "Subject line test", core.Experiment{Key: "from-template", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}})
			return err
		}},
		{"AcceptTags", core.ActionEditBrief, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.AcceptTags(ctx, who, core.TagSuggestion{BriefID: 1, Tags: []string{"q4"}}, 0)
			return err
		}},
		{"AddPerson", core.ActionEditPeople, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.AddPerson(ctx, who, core.Person{Name: "Dee", Lane: core.LaneInHouse, WeeklyHours: 40})
			return err
		}},
		{"UpdatePerson", core.ActionEditPeople, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, _, err := be.UpdatePerson(ctx, who, core.Person{ID: 1, Version: 1, Name: "Bo", Lane: core.LaneFreelance, WeeklyHours: 30})
			return err
		}},
		{"AddExperiment", core.ActionEditExperiment, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.AddExperiment(ctx, who, core.Experiment{Key: "new-test", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}})
			return err
		}},
		{"Ingest", core.ActionIngest, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.Ingest(ctx, who, []core.Event{{TS: snapNow, Experiment: "spring-email", Variant: "a", Unit: "u1", Type: core.EventExposure}}, store.IngestOptions{})
			return err
		}},
		{"DeclareWinner", core.ActionDeclareWinner, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.DeclareWinner(ctx, who, "spring-email", "b", snapNow)
			return err
		}},
		{"AddRetroNote", core.ActionNote, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.AddRetroNote(ctx, who, "2026-W45", "Reviews were quick")
			return err
		}},
		{"Generate", core.ActionGenerate, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.Generate(ctx, who, client, GenerateRequest{BriefID: 1, N: 1, Model: "nosuch"}, nil, nil)
			return err
		}},
		{"SaveGuideline", core.ActionEditBrief, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, _, err := be.SaveGuideline(ctx, who, core.BrandGuideline{Voice: "plain"})
			return err
		}},
		{"AddUser", core.ActionAdminister, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.AddUser(ctx, who, core.User{Name: "eve", Role: core.RoleViewer, Keys: []string{testKey}})
			return err
		}},
		{"RemoveUser", core.ActionAdminister, func(ctx context.Context, be *Backend, who core.Identity) error {
			return be.RemoveUser(ctx, who, "nobody")
		}},
		{"SeedDemo", core.ActionAdminister, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.SeedDemo(ctx, who, snapNow)
			return err
		}},
		{"Backup", core.ActionBackup, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.Backup(ctx, who, filepath.Join(filepath.Dir(be.Path()), "backup.db"))
			return err
		}},
		{"BackupTo", core.ActionBackup, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.BackupTo(ctx, who, io.Discard)
			return err
		}},
		{"Export", core.ActionBackup, func(ctx context.Context, be *Backend, who core.Identity) error {
			return be.Export(ctx, who, io.Discard)
		}},
		{"Import", core.ActionAdminister, func(ctx context.Context, be *Backend, who core.Identity) error {
			_, err := be.Import(ctx, who, bytes.NewReader(nil))
			return err
		}},
	}
}

// testKey is an SSH public key for AddUser.
const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl eve@example"

// seedRoles gives each write something to act on: brief 1 under review,
// brief 2 from template "Spring email", flow template "Email review",
// person 1, experiment spring-email.
func seedRoles(t *testing.T, be *Backend) {
	t.Helper()
	ctx := context.Background()
	root := core.Identity{Name: "root", Role: core.RoleAdmin}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(be.AddBrief(ctx, root, core.Brief{Title: "Spring email"}))
	must(be.AddPerson(ctx, root, core.Person{Name: "Bo", Lane: core.LaneFreelance, WeeklyHours: 20}))
	must(be.AddFlow(ctx, root, core.ApprovalFlow{Name: "Email", Stages: []core.ApprovalStage{{Name: "Brand", Approvers: []string{"cy"}, Mode: core.ModeSequential, Rule: core.RuleAll}}}))
	must(be.Submit(ctx, root, 1, 0, "Spring is here", false))
	must(be.AddTemplate(ctx, root, core.Template{Kind: core.TemplateBrief, Name: "Spring email", Brief: &core.BriefTemplate{
		Checklist: []core.ChecklistItem{{Name: "Legal ok", Required: true}}}}))
	must(be.AddBriefFromTemplate(ctx, root, "Spring email", core.Brief{Title: "Week 1"}))
	must(be.AddTemplate(ctx, root, core.Template{Kind: core.TemplateFlow, Name: "Email review", Flow: &core.FlowTemplate{AssetType: "email",
		Stages: []core.ApprovalStage{{Name: "Brand", Approvers: []string{"cy"}, Mode: core.ModeSequential, Rule: core.RuleAll}}}}))
	must(be.AddTemplate(ctx, root, core.Template{Kind: core.TemplateExperiment, Name: "Subject line test", Experiment: &core.ExperimentTemplate{Hypothesis: "A question lifts opens"}}))
	must(be.AddExperiment(ctx, root, core.Experiment{Key: "spring-email", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}))
}

// Ensure that every backend write method refuses exactly the roles
// core.Can refuses, with a *core.PermissionError naming its action, and
// lets the others through to the store.
func TestBackend_RoleWriteTable(t *testing.T) {
	roles := []core.Role{core.RoleViewer, core.RoleCreative, core.RoleMOps, core.RoleApprover, core.RoleAdmin}
	for _, wa := range writeActions(t) {
		for _, role := range roles {
			t.Run(wa.name+"/"+string(role), func(t *testing.T) {
				be, _ := openBackend(t)
				seedRoles(t, be)
				who := core.Identity{Name: "cy", Role: role}
				err := wa.call(context.Background(), be, who)
				var perm *core.PermissionError
				refused := errors.As(err, &perm)
				if allowed := core.Can(role, wa.action); refused == allowed {
					t.Fatalf("%s as %s: err %v; core.Can says allowed=%v", wa.name, role, err, allowed)
				}
				if refused && (perm.Action != wa.action || !strings.Contains(err.Error(), "may not")) {
					t.Fatalf("%s as %s refused for %q, want %q", wa.name, role, perm.Action, wa.action)
				}
			})
		}
	}
}
