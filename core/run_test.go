package core

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestRunRecipe_Validate(t *testing.T) {
	tests := []struct {
		name   string
		recipe RunRecipe
		field  string // "" when valid
	}{
		{"valid", RunRecipe{Variants: 4, Submit: 2, MinLintScore: 70, Model: "qwen2:0.5b"}, ""},
		{"all submitted", RunRecipe{Variants: 1, Submit: 1}, ""},
		{"no variants", RunRecipe{Variants: 0, Submit: 0}, "recipe.variants"},
		{"too many variants", RunRecipe{Variants: MaxRunVariants + 1, Submit: 1}, "recipe.variants"},
		{"submit more than made", RunRecipe{Variants: 2, Submit: 3}, "recipe.submit"},
		{"submit none", RunRecipe{Variants: 2, Submit: 0}, "recipe.submit"},
		{"negative score", RunRecipe{Variants: 2, Submit: 1, MinLintScore: -1}, "recipe.min_lint_score"},
		{"score past 100", RunRecipe{Variants: 2, Submit: 1, MinLintScore: 101}, "recipe.min_lint_score"},
		{"hostile model", RunRecipe{Variants: 2, Submit: 1, Model: "m\x1b[2J"}, "recipe.model"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl := springEmail()
			tmpl.Brief.Recipe = &tt.recipe
			err := tmpl.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("Validate = %v; want a problem with %s", err, tt.field)
			}
		})
	}
}

func TestNewRun(t *testing.T) {
	tmpl := springEmail()
	if _, err := NewRun(tmpl, Brief{ID: 3}); err == nil || !strings.Contains(err.Error(), "recipe") {
		t.Fatalf("NewRun without a recipe = %v; want it to say to add one", err)
	}
	tmpl.Brief.Recipe = &RunRecipe{Variants: 3, Submit: 2, MinLintScore: 60}
	r, err := NewRun(tmpl, Brief{ID: 3})
	if err != nil {
		t.Fatal(err)
	}
	if r.Step != RunGenerate || r.Status != RunRunning || r.Template != "Spring email" || r.TemplateVersion != 2 {
		t.Fatalf("NewRun = %+v; want a running generate step recording the template version", r)
	}
	if err := r.Validate(); err != nil {
		t.Fatalf("a new run does not validate: %v", err)
	}
	var tmplErr *TemplateError
	if _, err := NewRun(Template{Kind: TemplateFlow, Name: "x", Flow: &FlowTemplate{}}, Brief{ID: 3}); !errors.As(err, &tmplErr) {
		t.Fatalf("NewRun from a flow template = %v; want a *TemplateError", err)
	}
}

func TestKeepByLint(t *testing.T) {
	v := func(id uint64, score int) GeneratedVariant {
		return GeneratedVariant{ID: id, Lint: LintResult{Score: score}}
	}
	tests := []struct {
		name        string
		in          []GeneratedVariant
		min         int
		kept, dropd []uint64
	}{
		{"best first", []GeneratedVariant{v(1, 70), v(2, 95), v(3, 80)}, 0, []uint64{2, 3, 1}, nil},
		{"under the minimum dropped", []GeneratedVariant{v(1, 70), v(2, 95), v(3, 69)}, 70, []uint64{2, 1}, []uint64{3}},
		{"ties keep the older first", []GeneratedVariant{v(5, 80), v(4, 80)}, 80, []uint64{4, 5}, nil},
		{"none pass", []GeneratedVariant{v(1, 10)}, 50, nil, []uint64{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kept, dropped := KeepByLint(tt.in, tt.min)
			var ids []uint64
			for _, k := range kept {
				ids = append(ids, k.ID)
			}
			if !slices.Equal(ids, tt.kept) || !slices.Equal(dropped, tt.dropd) {
				t.Fatalf("KeepByLint = %v, dropped %v; want %v, dropped %v", ids, dropped, tt.kept, tt.dropd)
			}
		})
	}
}

func TestRunExperimentFor(t *testing.T) {
	b := Brief{ID: 7, Title: "Spring email: boots", Audience: "returning", Channel: "email"}
	vs := []GeneratedVariant{
		{ID: 12, Copy: Copy{Headline: "Boots\x1b[2J back", Body: "Warm feet.", CTA: "Shop"}},
		{ID: 14, Copy: Copy{Headline: "New boots", Body: "Dry feet.", CTA: "Buy"}},
	}
	e := RunExperimentFor(b, vs)
	if err := e.Validate(); err != nil {
		t.Fatalf("the run's experiment does not validate: %v", err)
	}
	if e.Key != "brief-7-run" || e.BriefID != 7 || len(e.Variants) != 3 || !e.Variants[0].Control {
		t.Fatalf("experiment = %+v; want brief-7-run with a control and two arms", e)
	}
	if e.Variants[1].Key != "v12" || e.Variants[1].Copy != vs[0].Copy.Text() {
		t.Fatalf("arm = %+v; want v12 carrying variant 12's copy", e.Variants[1])
	}
	copyText := RunCopy(vs)
	if !strings.Contains(copyText, "[variant 12]\nBoots") || !strings.Contains(copyText, "Dry feet.") {
		t.Fatalf("RunCopy = %q; want both variants under their headings", copyText)
	}
}
