package core

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// springEmail is a brief template that fills every field it can.
func springEmail() Template {
	return Template{Kind: TemplateBrief, Name: "Spring email", Version: 2, Brief: &BriefTemplate{
		TitlePattern: "Spring email: {title}",
		Objective:    "Lift repeat orders",
		Audience:     "returning customers",
		Channel:      "email",
		Campaign:     "Spring",
		KPITarget:    "CTR 3%",
		AssetType:    "email",
		Tags:         []string{"seasonal"},
		Estimates:    []SkillEstimate{{Skill: "copy", Hours: 4}, {Skill: "design", Hours: 6}},
		Flow:         "Email review",
		Experiment:   "Subject line test",
		Checklist:    []ChecklistItem{{Name: "Legal ok", Required: true}, {Name: "Alt text", Required: true}, {Name: "Spellcheck"}},
	}}
}

func TestTemplate_Validate(t *testing.T) {
	flowStage := ApprovalStage{Name: "Brand", Mode: ModeSequential, Rule: RuleAll, Approvers: []string{"Ana"}, SLAHours: 8}
	guards := DefaultGuards()
	tests := []struct {
		name  string
		tmpl  Template
		field string // "" when valid
	}{
		{"brief", springEmail(), ""},
		{"flow", Template{Kind: TemplateFlow, Name: "Email review", Flow: &FlowTemplate{AssetType: "email", Stages: []ApprovalStage{flowStage}}}, ""},
		{"experiment", Template{Kind: TemplateExperiment, Name: "Subject line test", Experiment: &ExperimentTemplate{
			Hypothesis: "A question lifts opens", Metrics: []Metric{{Kind: MetricConversion, Role: MetricPrimary}, {Kind: MetricRevenue, Role: MetricGuardrail}}, Guards: &guards}}, ""},
		{"unknown kind", Template{Kind: "deck", Name: "x", Brief: &BriefTemplate{}}, "kind"},
		{"upper-case kind", Template{Kind: "Brief", Name: "x", Brief: &BriefTemplate{}}, "kind"},
		{"no name", Template{Kind: TemplateBrief, Brief: &BriefTemplate{}}, "name"},
		{"name with escape", Template{Kind: TemplateBrief, Name: "x\x1b[31m", Brief: &BriefTemplate{}}, "name"},
		{"name with bidi", Template{Kind: TemplateBrief, Name: "x\u202ey", Brief: &BriefTemplate{}}, "name"},
		{"name with zero-width", Template{Kind: TemplateBrief, Name: "x\u200by", Brief: &BriefTemplate{}}, "name"},
		{"long name", Template{Kind: TemplateBrief, Name: strings.Repeat("n", 81), Brief: &BriefTemplate{}}, "name"},
		{"missing body", Template{Kind: TemplateBrief, Name: "x"}, "brief"},
		{"mixed bodies", Template{Kind: TemplateBrief, Name: "x", Brief: &BriefTemplate{}, Flow: &FlowTemplate{}}, "brief"},
		{"NaN hours", Template{Kind: TemplateBrief, Name: "x", Brief: &BriefTemplate{Estimates: []SkillEstimate{{Skill: "copy", Hours: math.NaN()}}}}, "estimates[0].hours"},
		{"Inf hours", Template{Kind: TemplateBrief, Name: "x", Brief: &BriefTemplate{Estimates: []SkillEstimate{{Skill: "copy", Hours: math.Inf(1)}}}}, "estimates[0].hours"},
		{"skill twice", Template{Kind: TemplateBrief, Name: "x", Brief: &BriefTemplate{Estimates: []SkillEstimate{{Skill: "copy", Hours: 1}, {Skill: "Copy", Hours: 1}}}}, "estimates[1].skill"},
		{"hours past a year", Template{Kind: TemplateBrief, Name: "x", Brief: &BriefTemplate{Estimates: []SkillEstimate{{Skill: "copy", Hours: 1500}, {Skill: "design", Hours: 1500}}}}, "estimates"},
		{"item twice", Template{Kind: TemplateBrief, Name: "x", Brief: &BriefTemplate{Checklist: []ChecklistItem{{Name: "Legal"}, {Name: "legal"}}}}, "checklist[1].name"},
		{"item with newline", Template{Kind: TemplateBrief, Name: "x", Brief: &BriefTemplate{Checklist: []ChecklistItem{{Name: "a\nb"}}}}, "checklist[0].name"},
		{"unknown required field", Template{Kind: TemplateBrief, Name: "x", Brief: &BriefTemplate{RequiredFields: []string{"budget"}}}, "required_fields[0]"},
		{"stage is not requirable", Template{Kind: TemplateBrief, Name: "x", Brief: &BriefTemplate{RequiredFields: []string{"stage"}}}, "required_fields[0]"},
		{"title pattern with control", Template{Kind: TemplateBrief, Name: "x", Brief: &BriefTemplate{TitlePattern: "{title}\r"}}, "title_pattern"},
		{"flow without asset type", Template{Kind: TemplateFlow, Name: "x", Flow: &FlowTemplate{Stages: []ApprovalStage{flowStage}}}, "asset_type"},
		{"flow without stages", Template{Kind: TemplateFlow, Name: "x", Flow: &FlowTemplate{AssetType: "email"}}, "stages"},
		{"experiment primary a ratio", Template{Kind: TemplateExperiment, Name: "x", Experiment: &ExperimentTemplate{Metrics: []Metric{{Kind: MetricRevenuePerConverter, Role: MetricPrimary}}}}, "metrics[0].kind"},
		{"experiment NaN MDE", Template{Kind: TemplateExperiment, Name: "x", Experiment: &ExperimentTemplate{Guards: &Guards{Policy: DecisionPolicy{Rule: RuleFixed, Alpha: 0.05, MDE: math.NaN(), Power: 0.8, Tuning: 5000, RiskThreshold: 0.01}}}}, "guards.policy.mde"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.tmpl.Validate()
			if got := Field(err); got != tt.field {
				t.Fatalf("Validate() field = %q (err %v), want %q", got, err, tt.field)
			}
			if err != nil && strings.Contains(err.Error(), "\x1b") {
				t.Errorf("the problem echoes the value: %q", err)
			}
		})
	}
}

// Ensure that a brief from a template has every field the template fills,
// keeps what the person gave over it, and records the template's name and
// version with its checklist unticked.
func TestApplyBriefTemplate(t *testing.T) {
	tests := []struct {
		name  string
		given Brief
		want  Brief
	}{
		{"pre-fills every field", Brief{Title: "Week 1", Stage: StageIntake}, Brief{
			Title: "Spring email: Week 1", Objective: "Lift repeat orders", Audience: "returning customers", Channel: "email",
			Campaign: "Spring", KPITarget: "CTR 3%", AssetType: "email", Skill: "copy", EstimateHours: 10, Tags: []string{"seasonal"},
			Template: "Spring email", TemplateVersion: 2,
			Checklist: []ChecklistItem{{Name: "Legal ok", Required: true}, {Name: "Alt text", Required: true}, {Name: "Spellcheck"}}}},
		{"what the person gives wins", Brief{Title: "Week 2", Channel: "sms", Skill: "design", EstimateHours: 3, Tags: []string{"vip"}}, Brief{
			Title: "Spring email: Week 2", Objective: "Lift repeat orders", Audience: "returning customers", Channel: "sms",
			Campaign: "Spring", KPITarget: "CTR 3%", AssetType: "email", Skill: "design", EstimateHours: 3, Tags: []string{"seasonal", "vip"},
			Template: "Spring email", TemplateVersion: 2,
			Checklist: []ChecklistItem{{Name: "Legal ok", Required: true}, {Name: "Alt text", Required: true}, {Name: "Spellcheck"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ApplyBriefTemplate(springEmail(), tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("the brief made does not validate: %v", err)
			}
		})
	}
}

func TestApplyBriefTemplate_Refusals(t *testing.T) {
	retired := springEmail()
	retired.Retired = true
	flow := Template{Kind: TemplateFlow, Name: "Email review", Version: 1, Flow: &FlowTemplate{}}
	strict := springEmail()
	strict.Brief.RequiredFields = []string{"due", "owner"}
	for _, tt := range []struct {
		name string
		tmpl Template
		want string
	}{
		{"retired", retired, "is retired"},
		{"another kind", flow, "is a flow template"},
		{"required fields", strict, `brief due: is required by template "Spring email"; give --due`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ApplyBriefTemplate(tt.tmpl, Brief{Title: "x"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
	if _, err := ApplyBriefTemplate(strict, Brief{Title: "x", Owner: "Ana", Due: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Errorf("all required fields given: %v", err)
	}
}

func TestApplyTitle(t *testing.T) {
	for _, tt := range []struct{ pattern, title, want string }{
		{"", "Launch", "Launch"},
		{"Spring: {title}", "Launch", "Spring: Launch"},
		{"{title} ({title})", "A", "A (A)"},
		{"Weekly digest", "", "Weekly digest"},
		{"Weekly digest", "Special", "Special"},
		{"Spring: {title}", "", "Spring:"},
	} {
		if got := applyTitle(tt.pattern, tt.title); got != tt.want {
			t.Errorf("applyTitle(%q, %q) = %q, want %q", tt.pattern, tt.title, got, tt.want)
		}
	}
}

// Ensure that a move into review is held while required items are
// unticked, and only a move into review.
func TestCheckChecklist(t *testing.T) {
	b, err := ApplyBriefTemplate(springEmail(), Brief{ID: 7, Title: "x", Stage: StageInProduction})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	legal, _ := b.Tick("legal OK", true, "Ana", now)
	both, _ := legal.Tick("2", true, "Ana", now)
	inReview := b
	inReview.Stage = StageReview
	for _, tt := range []struct {
		name  string
		brief Brief
		to    Stage
		items []string // nil when the move may go
	}{
		{"nothing ticked", b, StageReview, []string{"Legal ok", "Alt text"}},
		{"one ticked", legal, StageReview, []string{"Alt text"}},
		{"required ticked, optional not", both, StageReview, nil},
		{"to another stage", b, StageApproved, nil},
		{"already in review", inReview, StageReview, nil},
		{"no checklist", Brief{ID: 8, Title: "x"}, StageReview, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckChecklist(tt.brief, tt.to)
			var ce *ChecklistError
			switch {
			case tt.items == nil && err != nil:
				t.Fatalf("err = %v, want none", err)
			case tt.items != nil && !errors.As(err, &ce):
				t.Fatalf("err = %v, want a *ChecklistError", err)
			case tt.items != nil && !reflect.DeepEqual(ce.Items, tt.items):
				t.Fatalf("items = %q, want %q", ce.Items, tt.items)
			}
		})
	}
	if it := both.Checklist[0]; !it.Done || it.By != "Ana" || !it.At.Equal(now) {
		t.Errorf("ticked item = %+v, want done by Ana at %s", it, now)
	}
	if b.Checklist[0].Done {
		t.Error("Tick changed the brief it was called on")
	}
	undone, _ := both.Tick("Legal ok", false, "Ana", now)
	if it := undone.Checklist[0]; it.Done || it.By != "" || !it.At.IsZero() {
		t.Errorf("unticked item = %+v, want cleared", it)
	}
	for _, item := range []string{"0", "4", "Budget", ""} {
		if _, err := b.Tick(item, true, "Ana", now); Field(err) != "checklist" {
			t.Errorf("Tick(%q) err = %v, want a checklist field error", item, err)
		}
	}
}

func TestTemplateRequirements_Check(t *testing.T) {
	req := TemplateRequirements{"email": "Spring email"}
	for _, tt := range []struct {
		name  string
		brief Brief
		held  bool
	}{
		{"from the template", Brief{AssetType: "email", Template: "Spring email", TemplateVersion: 1}, false},
		{"blank", Brief{AssetType: "email"}, true},
		{"asset type in another case", Brief{AssetType: "Email"}, true},
		{"from another template", Brief{AssetType: "email", Template: "Other", TemplateVersion: 1}, true},
		{"another asset type", Brief{AssetType: "banner"}, false},
		{"no asset type", Brief{}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := req.Check(tt.brief)
			var re *RequiredTemplateError
			if got := errors.As(err, &re); got != tt.held {
				t.Fatalf("err = %v, held = %v, want %v", err, got, tt.held)
			}
		})
	}
	if err := (TemplateRequirements{"email": "x\x00"}).Validate(); Field(err) != "template" {
		t.Errorf("a NUL in a required template's name: %v", err)
	}
}

// Ensure that skipping the checklist marks the unticked required items
// with who, when and why, and only them, and needs a reason.
func TestBrief_SkipChecklist(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	b, err := ApplyBriefTemplate(springEmail(), Brief{ID: 7, Title: "x"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = b.Tick("Alt text", true, "Cy", now)
	skipped, err := b.SkipChecklist("  legal is out until Monday ", "Bo", now)
	if err != nil {
		t.Fatal(err)
	}
	want := []ChecklistItem{
		{Name: "Legal ok", Required: true, By: "Bo", At: now, Skipped: "legal is out until Monday"},
		{Name: "Alt text", Required: true, Done: true, By: "Cy", At: now},
		{Name: "Spellcheck"},
	}
	if !reflect.DeepEqual(skipped.Checklist, want) {
		t.Fatalf("checklist = %+v\nwant %+v", skipped.Checklist, want)
	}
	if b.Checklist[0].Skipped != "" {
		t.Error("SkipChecklist changed the brief it was called on")
	}
	for _, reason := range []string{"", "  ", "a\x1b[2Jb", "a\u200bb"} {
		if _, err := b.SkipChecklist(reason, "Bo", now); Field(err) != "reason" {
			t.Errorf("reason %q: err = %v", reason, err)
		}
	}
	if ticked, _ := skipped.Tick("Legal ok", true, "Dee", now); ticked.Checklist[0].Skipped != "" {
		t.Error("a tick kept the skip's reason")
	}
}

// BenchmarkApplyAndCheck measures what filing a brief from a template and
// checking its move into review costs; the target is 50 µs.
func BenchmarkApplyAndCheck(b *testing.B) {
	tmpl := springEmail()
	tmpl.Brief.RequiredFields = []string{"title", "channel"}
	b.ReportAllocs()
	for b.Loop() {
		br, err := ApplyBriefTemplate(tmpl, Brief{ID: 1, Title: "Week 1", Stage: StageInProduction})
		if err != nil {
			b.Fatal(err)
		}
		if err := br.Validate(); err != nil {
			b.Fatal(err)
		}
		if CheckChecklist(br, StageReview) == nil {
			b.Fatal("unticked items did not hold the move")
		}
	}
}

// Ensure that an experiment from a template takes its hypothesis, metrics
// and guards unless it has its own, and records the template and version.
func TestApplyExperimentTemplate(t *testing.T) {
	guards := DefaultGuards()
	guards.Policy.MDE = 0.05
	tmpl := Template{Kind: TemplateExperiment, Name: "Subject line test", Version: 3, Experiment: &ExperimentTemplate{
		Hypothesis: "A question lifts opens", Metrics: []Metric{{Kind: MetricConversion, Role: MetricPrimary}, {Kind: MetricRevenue, Role: MetricGuardrail}}, Guards: &guards}}
	e, err := ApplyExperimentTemplate(tmpl, Experiment{Key: "dec-subject"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Hypothesis != "A question lifts opens" || len(e.Metrics) != 2 || e.Guards == nil || e.Guards.Policy.MDE != 0.05 || e.Template != "Subject line test" || e.TemplateVersion != 3 {
		t.Fatalf("experiment = %+v", e)
	}
	e.Guards.Policy.MDE = 0.2
	if tmpl.Experiment.Guards.Policy.MDE != 0.05 {
		t.Error("the experiment shares the template's guards")
	}
	own := DefaultGuards()
	mine, _ := ApplyExperimentTemplate(tmpl, Experiment{Key: "x", Hypothesis: "Mine", Guards: &own})
	if mine.Hypothesis != "Mine" || mine.Guards.Policy.MDE != own.Policy.MDE {
		t.Errorf("the experiment's own values were overwritten: %+v", mine)
	}
	if _, err := ApplyExperimentTemplate(springEmail(), Experiment{Key: "x"}); err == nil {
		t.Error("an experiment from a brief template")
	}
}
