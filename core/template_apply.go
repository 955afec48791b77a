package core

import (
	"fmt"
	"slices"
	"strings"
)

// TemplateError refuses to make something from a template: it is of
// another kind, or retired.
type TemplateError struct {
	Ref     string
	Problem string
}

// Error implements error.
func (e *TemplateError) Error() string { return fmt.Sprintf("template %s %s", e.Ref, e.Problem) }

// ApplyBriefTemplate returns the brief made from t with what the person
// gave: every field the template fills is pre-filled, a field the person
// gave wins, tags are both sets, and the brief records t's name and
// version and carries its checklist, unticked. It returns a *FieldError
// for each field t requires that is still empty.
func ApplyBriefTemplate(t Template, given Brief) (Brief, error) {
	if t.Kind != TemplateBrief || t.Brief == nil {
		return given, &TemplateError{Ref: t.Ref(), Problem: fmt.Sprintf("is a %s template; a brief is made from a brief template", t.Kind)}
	}
	if t.Retired {
		return given, &TemplateError{Ref: t.Ref(), Problem: "is retired; use another template or ask an admin to edit it back into use"}
	}
	bt := t.Brief
	b := given
	b.Title = applyTitle(bt.TitlePattern, given.Title)
	fill := func(dst *string, v string) {
		if strings.TrimSpace(*dst) == "" {
			*dst = v
		}
	}
	fill(&b.Objective, bt.Objective)
	fill(&b.Audience, bt.Audience)
	fill(&b.Channel, bt.Channel)
	fill(&b.Campaign, bt.Campaign)
	fill(&b.KPITarget, bt.KPITarget)
	fill(&b.AssetType, bt.AssetType)
	if len(bt.Estimates) > 0 {
		fill(&b.Skill, bt.Estimates[0].Skill)
		if b.EstimateHours == 0 {
			for _, e := range bt.Estimates {
				b.EstimateHours += e.Hours
			}
		}
	}
	if len(bt.Tags) > 0 {
		b.Tags = append(slices.Clone(given.Tags), bt.Tags...)
	}
	b.Template, b.TemplateVersion = t.Name, t.Version
	b.Checklist = nil
	for _, it := range bt.Checklist {
		b.Checklist = append(b.Checklist, ChecklistItem{Name: it.Name, Required: it.Required})
	}
	b.Normalize()
	return b, bt.missing(b, t.Name)
}

// applyTitle puts title into pattern's placeholder; without a pattern the
// title is the person's, and a pattern without a placeholder is the title
// unless the person gave one.
func applyTitle(pattern, title string) string {
	title = strings.TrimSpace(title)
	switch {
	case pattern == "":
		return title
	case strings.Contains(pattern, TitlePlaceholder):
		return strings.TrimSpace(strings.ReplaceAll(pattern, TitlePlaceholder, title))
	case title != "":
		return title
	}
	return pattern
}

// missing returns a *FieldError for each field bt requires that b leaves
// empty.
func (bt BriefTemplate) missing(b Brief, name string) error {
	if len(bt.RequiredFields) == 0 {
		return nil
	}
	f := fieldErrors{record: "brief"}
	fields := BriefFields()
	for _, req := range bt.RequiredFields {
		for _, fl := range fields {
			if fl.Name == req && (fl.Text(b) == "" || (req == "estimate_hours" && b.EstimateHours == 0)) {
				f.add(req, "is required by template %q; give --%s", name, flagName(req))
			}
		}
	}
	return f.err()
}

// flagName is the CLI flag that sets a brief field.
func flagName(field string) string {
	switch field {
	case "kpi_target":
		return "kpi"
	case "estimate_hours":
		return "estimate"
	case "tags":
		return "tag"
	}
	return strings.ReplaceAll(field, "_", "-")
}

// TemplateRequirements maps an asset type to the brief template every
// new brief of that type must be made from: an admin's setting.
type TemplateRequirements map[string]string

// Validate returns an error naming every invalid requirement.
func (r TemplateRequirements) Validate() error {
	f := fieldErrors{record: "template requirements"}
	for asset, name := range r {
		f.name("asset_type", asset, maxName, true)
		f.name("template", name, maxName, true)
	}
	return f.err()
}

// RequiredTemplateError refuses a brief of an asset type that requires a
// template when it was not made from that one.
type RequiredTemplateError struct {
	AssetType, Template string
}

// Error implements error.
func (e *RequiredTemplateError) Error() string {
	return fmt.Sprintf("briefs of asset type %q must be made from template %q: add it with --template %q", e.AssetType, e.Template, e.Template)
}

// Check returns a *RequiredTemplateError when b's asset type requires a
// template b was not made from. Asset types compare in any case.
func (r TemplateRequirements) Check(b Brief) error {
	for asset, name := range r {
		if strings.EqualFold(asset, b.AssetType) && b.Template != name {
			return &RequiredTemplateError{AssetType: b.AssetType, Template: name}
		}
	}
	return nil
}

// ApplyExperimentTemplate returns e set up from t: its hypothesis, metrics
// and guards where e has none of its own, and the template's name and
// version recorded.
func ApplyExperimentTemplate(t Template, e Experiment) (Experiment, error) {
	if t.Kind != TemplateExperiment || t.Experiment == nil {
		return e, &TemplateError{Ref: t.Ref(), Problem: fmt.Sprintf("is a %s template; an experiment is set up from an experiment template", t.Kind)}
	}
	if t.Retired {
		return e, &TemplateError{Ref: t.Ref(), Problem: "is retired; use another template or ask an admin to edit it back into use"}
	}
	et := t.Experiment
	if strings.TrimSpace(e.Hypothesis) == "" {
		e.Hypothesis = et.Hypothesis
	}
	if len(e.Metrics) == 0 {
		e.Metrics = slices.Clone(et.Metrics)
	}
	if e.Guards == nil && et.Guards != nil {
		g := *et.Guards
		e.Guards = &g
	}
	e.Template, e.TemplateVersion = t.Name, t.Version
	return e, nil
}
