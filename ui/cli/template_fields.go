package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// maxTemplateJSON bounds a template body read from a file or stdin.
const maxTemplateJSON = 1 << 20

// templateFieldHelp lists the --field keys of each kind, for --help.
const templateFieldHelp = `Fields (--field KEY=VALUE, repeatable; an empty VALUE clears the field):

  brief       title_pattern ("Spring email: {title}"), objective, audience,
              channel, campaign, kpi_target, asset_type, tags (a, b),
              estimates (copy:4, design:6), flow, experiment,
              checklist (Legal ok!, Alt text!, Spellcheck; ! = required
              before review), required_fields (due, owner),
              recipe (variants:4, submit:2, min_lint_score:70, model:M;
              what ` + "`tandem run`" + ` does)
  flow        asset_type, stage (repeat; NAME; approvers=...; as in
              ` + "`approvals flows add`" + `), self_approval (true/false)
  experiment  hypothesis, primary (conversion), guardrails (revenue, ...),
              secondary, rule (sequential, fixed, bayesian), mde (0.1 for
              10 %), min_runtime_days, min_units_per_arm

Or give the body as JSON (FILE, or - for stdin), as ` + "`template show --json`" + ` prints
it under the kind's key.`

// decodeTemplateBody decodes a template body of kind from JSON, refusing
// unknown fields: a misspelt key must not pass silently.
func decodeTemplateBody(data []byte, name string, t *core.Template) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var body any
	switch t.Kind {
	case core.TemplateBrief:
		t.Brief, t.Flow, t.Experiment = &core.BriefTemplate{}, nil, nil
		body = t.Brief
	case core.TemplateFlow:
		t.Brief, t.Flow, t.Experiment = nil, &core.FlowTemplate{}, nil
		body = t.Flow
	default:
		t.Brief, t.Flow, t.Experiment = nil, nil, &core.ExperimentTemplate{}
		body = t.Experiment
	}
	if err := dec.Decode(body); err != nil {
		return usageErrorf("%s is not a %s template body: %s", name, t.Kind, core.JSONProblem(err))
	}
	if dec.More() {
		return usageErrorf("%s holds more than one JSON value; give one template body", name)
	}
	return nil
}

// applyTemplateFields sets the --field KEY=VALUE pairs on t's body,
// creating it when t has none.
func applyTemplateFields(t *core.Template, fields []string) error {
	stagesSet := false
	for _, kv := range fields {
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return usageErrorf("--field %q: use KEY=VALUE", kv)
		}
		var err error
		switch t.Kind {
		case core.TemplateBrief:
			if t.Brief == nil {
				t.Brief = &core.BriefTemplate{}
			}
			err = setBriefField(t.Brief, k, v)
		case core.TemplateFlow:
			if t.Flow == nil {
				t.Flow = &core.FlowTemplate{}
			}
			if k == "stage" && !stagesSet { // an edit's stages replace the old ones
				t.Flow.Stages, stagesSet = nil, true
			}
			err = setFlowField(t.Flow, k, v)
		default:
			if t.Experiment == nil {
				t.Experiment = &core.ExperimentTemplate{}
			}
			err = setExperimentField(t.Experiment, k, v)
		}
		if err != nil {
			return usageErrorf("--field %s: %v", k, err)
		}
	}
	return nil
}

func setBriefField(b *core.BriefTemplate, k, v string) error {
	text := map[string]*string{"title_pattern": &b.TitlePattern, "objective": &b.Objective, "audience": &b.Audience,
		"channel": &b.Channel, "campaign": &b.Campaign, "kpi_target": &b.KPITarget, "asset_type": &b.AssetType,
		"flow": &b.Flow, "experiment": &b.Experiment}
	if p, ok := text[k]; ok {
		*p = v
		return nil
	}
	switch k {
	case "tags":
		b.Tags = names(v)
	case "required_fields":
		b.RequiredFields = names(v)
	case "estimates":
		b.Estimates = nil
		for _, part := range names(v) {
			skill, hours, ok := strings.Cut(part, ":")
			h, err := strconv.ParseFloat(strings.TrimSpace(hours), 64)
			if !ok || err != nil || math.IsNaN(h) || math.IsInf(h, 0) {
				return fmt.Errorf("%q: give SKILL:HOURS, e.g. copy:4", part)
			}
			b.Estimates = append(b.Estimates, core.SkillEstimate{Skill: strings.TrimSpace(skill), Hours: h})
		}
	case "recipe":
		return setRecipe(b, v)
	case "checklist":
		b.Checklist = nil
		for _, item := range names(v) {
			name, required := strings.CutSuffix(item, "!")
			b.Checklist = append(b.Checklist, core.ChecklistItem{Name: strings.TrimSpace(name), Required: required})
		}
	default:
		return fmt.Errorf("unknown brief template field; use title_pattern, objective, audience, channel, campaign, kpi_target, asset_type, tags, estimates, flow, experiment, checklist, required_fields or recipe")
	}
	return nil
}

// setRecipe sets a brief template's run recipe from "variants:4,
// submit:2, min_lint_score:70, model:M"; an empty value clears it.
func setRecipe(b *core.BriefTemplate, v string) error {
	if v == "" {
		b.Recipe = nil
		return nil
	}
	r := core.RunRecipe{}
	if b.Recipe != nil {
		r = *b.Recipe
	}
	for _, part := range names(v) {
		key, value, ok := strings.Cut(part, ":")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if key == "model" && ok {
			r.Model = value
			continue
		}
		n, err := strconv.Atoi(value)
		if !ok || err != nil {
			return fmt.Errorf("%q: give KEY:NUMBER, e.g. variants:4", part)
		}
		switch key {
		case "variants":
			r.Variants = n
		case "submit":
			r.Submit = n
		case "min_lint_score":
			r.MinLintScore = n
		default:
			return fmt.Errorf("%q: use variants, submit, min_lint_score or model", key)
		}
	}
	b.Recipe = &r
	return nil
}

func setFlowField(f *core.FlowTemplate, k, v string) error {
	switch k {
	case "asset_type":
		f.AssetType = v
	case "stage":
		st, err := parseStage(v)
		if err != nil {
			return err
		}
		f.Stages = append(f.Stages, st)
	case "self_approval":
		on, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%q: use true or false", v)
		}
		f.AllowSelfApproval = on
	default:
		return fmt.Errorf("unknown flow template field; use asset_type, stage or self_approval")
	}
	return nil
}

func setExperimentField(e *core.ExperimentTemplate, k, v string) error {
	guards := func() *core.Guards {
		if e.Guards == nil {
			g := core.DefaultGuards()
			e.Guards = &g
		}
		return e.Guards
	}
	number := func() (float64, error) {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("%q is not a number", v)
		}
		return x, nil
	}
	switch k {
	case "hypothesis":
		e.Hypothesis = v
	case "primary":
		e.Metrics = setMetrics(e.Metrics, core.MetricPrimary, names(v))
	case "guardrails":
		e.Metrics = setMetrics(e.Metrics, core.MetricGuardrail, names(v))
	case "secondary":
		e.Metrics = setMetrics(e.Metrics, core.MetricSecondary, names(v))
	case "rule":
		guards().Policy.Rule = core.DecisionRule(v)
	case "mde":
		x, err := number()
		guards().Policy.MDE = x
		return err
	case "min_runtime_days":
		x, err := number()
		if err == nil && (x < 0 || x > 365) {
			err = fmt.Errorf("%q: use 0 to 365 days", v)
		}
		guards().MinRuntime = time.Duration(x * float64(24*time.Hour))
		return err
	case "min_units_per_arm":
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return fmt.Errorf("%q: use a whole number of units", v)
		}
		guards().MinUnitsPerArm = n
	default:
		return fmt.Errorf("unknown experiment template field; use hypothesis, primary, guardrails, secondary, rule, mde, min_runtime_days or min_units_per_arm")
	}
	return nil
}

// setMetrics replaces the metrics of role with kinds, keeping the others;
// guardrails or secondaries without a primary get the conversion rate.
func setMetrics(ms []core.Metric, role core.MetricRole, kinds []string) []core.Metric {
	var out []core.Metric
	for _, m := range ms {
		if m.Role != role {
			out = append(out, m)
		}
	}
	for _, k := range kinds {
		out = append(out, core.Metric{Kind: core.MetricKind(k), Role: role})
	}
	hasPrimary := false
	for _, m := range out {
		hasPrimary = hasPrimary || m.Role == core.MetricPrimary
	}
	if !hasPrimary && len(out) > 0 {
		out = append([]core.Metric{{Kind: core.MetricConversion, Role: core.MetricPrimary}}, out...)
	}
	return out
}
