package core

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// TemplateKind says what a template makes: a brief, an approval flow or
// an experiment. The three kinds share one mechanism (names, versions,
// retirement); only their bodies differ.
type TemplateKind string

// The template kinds.
const (
	TemplateBrief      TemplateKind = "brief"
	TemplateFlow       TemplateKind = "flow"
	TemplateExperiment TemplateKind = "experiment"
)

// TemplateKinds lists the kinds in the order lists show them.
func TemplateKinds() []TemplateKind {
	return []TemplateKind{TemplateBrief, TemplateFlow, TemplateExperiment}
}

// ParseTemplateKind accepts a kind name in any case.
func ParseTemplateKind(s string) (TemplateKind, error) {
	k := TemplateKind(strings.ToLower(strings.TrimSpace(s)))
	switch k {
	case TemplateBrief, TemplateFlow, TemplateExperiment:
		return k, nil
	}
	return "", fmt.Errorf("unknown template kind %q: use brief, flow or experiment", s)
}

// Template is one version of a named template. Editing a template stores
// a new version beside the old ones, so a brief made from version 2 still
// says what it was made from after version 3 exists.
type Template struct {
	Kind TemplateKind `json:"kind"`
	Name string       `json:"name"`
	// Version is 1 when added and one more on every edit or retirement.
	Version uint64 `json:"version"`
	// Retired templates are kept, with every version, but nothing new is
	// made from them.
	Retired bool      `json:"retired,omitempty"`
	Author  string    `json:"author,omitempty"`
	Created time.Time `json:"created,omitzero"`
	// Exactly one body is set: the one of Kind.
	Brief      *BriefTemplate      `json:"brief,omitempty"`
	Flow       *FlowTemplate       `json:"flow,omitempty"`
	Experiment *ExperimentTemplate `json:"experiment,omitempty"`
}

// Ref names the template version, e.g. "brief/Spring email@2".
func (t Template) Ref() string { return fmt.Sprintf("%s/%s@%d", t.Kind, t.Name, t.Version) }

// BriefTemplate pre-fills a brief. Fields left empty are the person's to
// fill; RequiredFields says which of them a brief made from it must have.
type BriefTemplate struct {
	// TitlePattern makes the brief's title: "{title}" stands for the title
	// the person gives, e.g. "Spring email: {title}".
	TitlePattern string   `json:"title_pattern,omitempty"`
	Objective    string   `json:"objective,omitempty"`
	Audience     string   `json:"audience,omitempty"`
	Channel      string   `json:"channel,omitempty"`
	Campaign     string   `json:"campaign,omitempty"`
	KPITarget    string   `json:"kpi_target,omitempty"`
	AssetType    string   `json:"asset_type,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	// Estimates are the hours each skill needs; a brief takes the first
	// skill and the sum of the hours.
	Estimates []SkillEstimate `json:"estimates,omitempty"`
	// Flow and Experiment name the flow and experiment templates briefs of
	// this kind go through.
	Flow       string `json:"flow,omitempty"`
	Experiment string `json:"experiment,omitempty"`
	// Checklist is what must be ticked before review (the required items)
	// or is worth ticking (the others).
	Checklist []ChecklistItem `json:"checklist,omitempty"`
	// RequiredFields are brief fields (as BriefFields names them) a brief
	// from this template must have filled.
	RequiredFields []string `json:"required_fields,omitempty"`
	// Recipe is how briefs from this template run their own pipeline
	// (`tandem run`); nil when they do not.
	Recipe *RunRecipe `json:"recipe,omitempty"`
}

// SkillEstimate is the hours one skill needs for a brief.
type SkillEstimate struct {
	Skill string  `json:"skill"`
	Hours float64 `json:"hours"`
}

// FlowTemplate is an approval flow for an asset type, to add flows from.
type FlowTemplate struct {
	AssetType         string          `json:"asset_type"`
	Stages            []ApprovalStage `json:"stages"`
	AllowSelfApproval bool            `json:"allow_self_approval,omitempty"`
}

// ExperimentTemplate is how experiments of a kind are set up: what they
// test, what they measure and how they decide.
type ExperimentTemplate struct {
	Hypothesis string `json:"hypothesis,omitempty"`
	// Metrics are the primary and guardrail (and secondary) metrics.
	Metrics []Metric `json:"metrics,omitempty"`
	// Guards carry the decision rule, the MDE and the minimum runtime.
	Guards *Guards `json:"guards,omitempty"`
}

// Limits of a template's contents.
const (
	MaxChecklistItems = 40
	maxEstimates      = 16
	maxTitlePattern   = maxTitle
)

// TitlePlaceholder stands for the given title in a brief template's
// title pattern.
const TitlePlaceholder = "{title}"

// Validate returns an error naming every invalid field of t.
func (t Template) Validate() error {
	f := fieldErrors{record: "template"}
	if _, err := ParseTemplateKind(string(t.Kind)); err != nil || string(t.Kind) != strings.ToLower(string(t.Kind)) {
		f.add("kind", "is %q; use brief, flow or experiment", t.Kind)
	}
	f.name("name", t.Name, maxName, true)
	bodies := 0
	for _, set := range []bool{t.Brief != nil, t.Flow != nil, t.Experiment != nil} {
		if set {
			bodies++
		}
	}
	switch {
	case t.Kind == TemplateBrief && t.Brief != nil && bodies == 1:
		t.Brief.check(&f)
	case t.Kind == TemplateFlow && t.Flow != nil && bodies == 1:
		t.Flow.check(&f, t.Name)
	case t.Kind == TemplateExperiment && t.Experiment != nil && bodies == 1:
		t.Experiment.check(&f)
	default:
		f.add(string(t.Kind), "is missing or mixed with another kind's fields; give the fields of a %s template only", t.Kind)
	}
	return f.err()
}

func (bt BriefTemplate) check(f *fieldErrors) {
	f.maxLen("title_pattern", bt.TitlePattern, maxTitlePattern)
	if bt.TitlePattern != "" {
		if p := NameProblem(strings.ReplaceAll(bt.TitlePattern, TitlePlaceholder, "x"), maxTitlePattern); p != "" {
			f.add("title_pattern", "%s", p)
		}
	}
	f.text("objective", bt.Objective, maxText)
	for name, v := range map[string]string{"audience": bt.Audience, "channel": bt.Channel, "campaign": bt.Campaign,
		"kpi_target": bt.KPITarget, "asset_type": bt.AssetType, "flow": bt.Flow, "experiment": bt.Experiment} {
		f.name(name, v, maxName, false)
	}
	if len(bt.Tags) > MaxTags {
		f.add("tags", "has %d tags; at most %d are allowed", len(bt.Tags), MaxTags)
	}
	for i, tag := range bt.Tags {
		f.name(fmt.Sprintf("tags[%d]", i), tag, maxName, true)
	}
	if len(bt.Estimates) > maxEstimates {
		f.add("estimates", "has %d skills; at most %d are allowed", len(bt.Estimates), maxEstimates)
	}
	total := 0.0
	seen := map[string]bool{}
	for i, e := range bt.Estimates {
		field := fmt.Sprintf("estimates[%d]", i)
		f.name(field+".skill", e.Skill, maxName, true)
		if seen[strings.ToLower(e.Skill)] {
			f.add(field+".skill", "is listed twice")
		}
		seen[strings.ToLower(e.Skill)] = true
		if !(e.Hours > 0 && e.Hours <= maxEstimateHours) { // NaN fails too
			f.add(field+".hours", "is %g; use more than 0 and at most %d", e.Hours, maxEstimateHours)
		}
		total += e.Hours
	}
	if total > maxEstimateHours {
		f.add("estimates", "sum to %g hours; a brief may ask at most %d", total, maxEstimateHours)
	}
	checkChecklist(f, bt.Checklist)
	if bt.Recipe != nil {
		bt.Recipe.check(f)
	}
	known := map[string]bool{}
	for _, fl := range BriefFields() {
		known[fl.Name] = true
	}
	for i, name := range bt.RequiredFields {
		if !known[name] || name == "stage" {
			f.add(fmt.Sprintf("required_fields[%d]", i), "is not a brief field; use one of title, objective, audience, channel, asset_type, kpi_target, owner, skill, campaign, start, due, estimate_hours, tags")
		}
	}
}

func (ft FlowTemplate) check(f *fieldErrors, name string) {
	err := ApprovalFlow{Name: name, AssetType: ft.AssetType, Stages: ft.Stages, AllowSelfApproval: ft.AllowSelfApproval}.Validate()
	f.errs = append(f.errs, reRecord(err, "template")...)
	if ft.AssetType == "" {
		f.add("asset_type", "is required; a flow template is for one asset type")
	}
}

func (et ExperimentTemplate) check(f *fieldErrors) {
	f.text("hypothesis", et.Hypothesis, maxText)
	Experiment{Metrics: et.Metrics}.checkMetrics(f)
	if et.Guards != nil {
		et.Guards.check(f)
	}
}

// ApprovalFlow returns the approval flow a flow template describes, named
// after it and recording the version it came from.
func (t Template) ApprovalFlow() ApprovalFlow {
	if t.Flow == nil {
		return ApprovalFlow{}
	}
	return ApprovalFlow{Name: t.Name, AssetType: t.Flow.AssetType, Stages: slices.Clone(t.Flow.Stages),
		AllowSelfApproval: t.Flow.AllowSelfApproval, Template: t.Name, TemplateVersion: t.Version}
}

// reRecord returns the field errors joined in err as errors of record.
func reRecord(err error, record string) []error {
	if err == nil {
		return nil
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range joined.Unwrap() {
		if fe, ok := e.(*FieldError); ok {
			c := *fe
			c.Record = record
			e = &c
		}
		out = append(out, e)
	}
	return out
}

// TemplateUse is the latest version of a template, without its body, and
// how many records were made from any of its versions: briefs, flows or
// experiments, by its kind. What a list of templates shows.
type TemplateUse struct {
	Kind    TemplateKind `json:"kind"`
	Name    string       `json:"name"`
	Version uint64       `json:"version"`
	Retired bool         `json:"retired,omitempty"`
	Author  string       `json:"author,omitempty"`
	Uses    int          `json:"uses"`
}
