package cli

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

func templateCommand(env *Env) *cobra.Command {
	return group("template", "Brief, approval-flow and experiment templates: versioned, required per asset type",
		templateListCommand(env),
		templateShowCommand(env),
		templateWriteCommand(env, "add"),
		templateWriteCommand(env, "edit"),
		templateRetireCommand(env),
		templateRequireCommand(env),
		templateRequirementsCommand(env),
	)
}

// templateArgs reads KIND NAME [FILE|-].
func templateArgs(args []string) (core.TemplateKind, string, error) {
	kind, err := core.ParseTemplateKind(args[0])
	if err != nil {
		return "", "", &usageError{err}
	}
	return kind, args[1], nil
}

func rangeArgs(min int, names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < min || len(args) > len(names) {
			return usageErrorf("%s takes %d to %d argument(s): %v, got %d", cmd.CommandPath(), min, len(names), names, len(args))
		}
		return nil
	}
}

func templateWriteCommand(env *Env, verb string) *cobra.Command {
	var fields []string
	var asJSON bool
	var ifVersion uint64
	short := "Add a template (version 1) from --field KEY=VALUE pairs or a JSON body"
	if verb == "edit" {
		short = "Edit a template: its next version, from --field pairs over the latest or a whole JSON body; briefs keep the version they came from"
	}
	cmd := &cobra.Command{
		Use:   verb + " KIND NAME [FILE|-] [--field KEY=VALUE ...]",
		Short: short,
		Long: short + `. KIND is brief, flow or experiment.

` + templateFieldHelp + `

  tandem template add brief "Spring email" --field asset_type=email \
    --field "estimates=copy:4, design:6" --field "checklist=Legal ok!, Alt text"
  tandem template edit brief "Spring email" --field objective="Win back lapsed buyers"`,
		Args: rangeArgs(2, "KIND", "NAME", "FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind, name, err := templateArgs(args)
			if err != nil {
				return err
			}
			t := core.Template{Kind: kind, Name: name}
			if verb == "edit" {
				if t, err = env.Backend.Template(cmd.Context(), kind, name, 0); err != nil {
					return err
				}
				if cmd.Flags().Changed("if-version") && ifVersion != t.Version {
					if t, err = env.Backend.Template(cmd.Context(), kind, name, ifVersion); err != nil {
						return err
					}
				}
			}
			if len(args) == 3 {
				data, inName, err := env.readInput(cmd.Context(), args[2], maxTemplateJSON, "a template body")
				if err != nil {
					return err
				}
				if err := decodeTemplateBody(data, inName, &t); err != nil {
					return err
				}
			} else if len(fields) == 0 {
				return usageErrorf("give the template's fields: --field KEY=VALUE, or a JSON body (FILE or -); see `tandem template %s --help`", verb)
			}
			if err := applyTemplateFields(&t, fields); err != nil {
				return err
			}
			if verb == "add" {
				t, err = env.Backend.AddTemplate(cmd.Context(), env.Identity, t)
			} else {
				from := t.Version
				t, err = env.Backend.EditTemplate(cmd.Context(), env.Identity, t, from)
			}
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, t)
			}
			_, err = fmt.Fprintf(env.Out, "%s %s template %q, version %d\n", map[string]string{"add": "added", "edit": "saved"}[verb], t.Kind, sanitize.Line(t.Name), t.Version)
			return err
		},
	}
	cmd.Flags().StringArrayVar(&fields, "field", nil, "KEY=VALUE, repeatable (see above)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the stored template as JSON")
	if verb == "edit" {
		ifVersionFlag(cmd.Flags(), &ifVersion, "the version this edit is made from; refused (exit 3) when a newer one was saved since")
	}
	return needs(core.ActionEditTemplates, cmd)
}

func templateRetireCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "retire KIND NAME",
		Short: "Retire a template: kept with every version, but nothing new is made from it (an edit brings it back)",
		Args:  exactArgs("KIND", "NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind, name, err := templateArgs(args)
			if err != nil {
				return err
			}
			t, err := env.Backend.RetireTemplate(cmd.Context(), env.Identity, kind, name)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, t)
			}
			_, err = fmt.Fprintf(env.Out, "retired %s template %q at version %d\n", t.Kind, sanitize.Line(t.Name), t.Version)
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the retired template as JSON")
	return needs(core.ActionEditTemplates, cmd)
}

func templateListCommand(env *Env) *cobra.Command {
	var asJSON bool
	var kindName string
	cmd := &cobra.Command{
		Use:   "list [--kind KIND]",
		Short: "List templates, latest versions, with how many briefs, flows or experiments were made from each",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var kind core.TemplateKind
			if kindName != "" {
				var err error
				if kind, err = core.ParseTemplateKind(kindName); err != nil {
					return &usageError{err}
				}
			}
			uses, err := env.Backend.Templates(cmd.Context(), kind)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, orEmpty(uses))
			}
			rows := make([][]string, len(uses))
			for i, u := range uses {
				status := "in use"
				if u.Retired {
					status = "retired"
				}
				rows[i] = []string{string(u.Kind), u.Name, strconv.FormatUint(u.Version, 10), status, strconv.Itoa(u.Uses), u.Author}
			}
			return table(env.Out, []string{"KIND", "NAME", "VERSION", "STATUS", "USES", "BY"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&kindName, "kind", "", "only templates of this kind: brief, flow or experiment")
	return needs(core.ActionRead, cmd)
}

func templateShowCommand(env *Env) *cobra.Command {
	var asJSON, versions bool
	var version uint64
	cmd := &cobra.Command{
		Use:   "show KIND NAME [--version N | --versions]",
		Short: "Show a template (the latest version unless --version), or every version",
		Args:  exactArgs("KIND", "NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind, name, err := templateArgs(args)
			if err != nil {
				return err
			}
			if versions {
				all, err := env.Backend.TemplateVersions(cmd.Context(), kind, name)
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(env.Out, all)
				}
				rows := make([][]string, len(all))
				for i, t := range all {
					rows[i] = []string{strconv.FormatUint(t.Version, 10), t.Created.Format("2006-01-02 15:04"), t.Author, map[bool]string{true: "retired"}[t.Retired]}
				}
				return table(env.Out, []string{"VERSION", "SAVED", "BY", ""}, rows)
			}
			t, err := env.Backend.Template(cmd.Context(), kind, name, version)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, t)
			}
			return table(env.Out, []string{string(t.Kind) + " template", t.Name}, templateRows(t))
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().Uint64Var(&version, "version", 0, "show this version")
	cmd.Flags().BoolVar(&versions, "versions", false, "list every version")
	return needs(core.ActionRead, cmd)
}

// templateRows are the key-value rows `template show` prints.
func templateRows(t core.Template) [][]string {
	status := "in use"
	if t.Retired {
		status = "retired"
	}
	rows := [][]string{{"version", strconv.FormatUint(t.Version, 10)}, {"status", status}, {"by", t.Author}}
	add := func(k, v string) {
		if v != "" {
			rows = append(rows, []string{k, v})
		}
	}
	switch {
	case t.Brief != nil:
		b := t.Brief
		add("title pattern", b.TitlePattern)
		add("objective", b.Objective)
		add("audience", b.Audience)
		add("channel", b.Channel)
		add("campaign", b.Campaign)
		add("kpi target", b.KPITarget)
		add("asset type", b.AssetType)
		add("tags", strings.Join(b.Tags, ", "))
		for _, e := range b.Estimates {
			add("estimate", fmt.Sprintf("%s: %g h", e.Skill, e.Hours))
		}
		add("flow", b.Flow)
		add("experiment", b.Experiment)
		for _, it := range b.Checklist {
			add("checklist", checklistLabel(it))
		}
		add("required fields", strings.Join(b.RequiredFields, ", "))
	case t.Flow != nil:
		add("asset type", t.Flow.AssetType)
		for i, s := range t.Flow.Stages {
			add(fmt.Sprintf("stage %d", i+1), fmt.Sprintf("%s (%s, %s; approvers %s; %g h)", s.Name, s.Mode, ruleText(s), strings.Join(s.Approvers, ", "), s.SLAHours))
		}
		if t.Flow.AllowSelfApproval {
			add("self approval", "allowed")
		}
	case t.Experiment != nil:
		add("hypothesis", t.Experiment.Hypothesis)
		for _, m := range t.Experiment.Metrics {
			add(string(m.Role), m.Kind.String())
		}
		if g := t.Experiment.Guards; g != nil {
			add("decision rule", g.Policy.String())
			add("min runtime", fmt.Sprintf("%g days", g.MinRuntime.Hours()/24))
			add("min units per arm", strconv.FormatUint(g.MinUnitsPerArm, 10))
		}
	}
	return rows
}

// checklistLabel is an item as lists show it: required items marked.
func checklistLabel(it core.ChecklistItem) string {
	if it.Required {
		return it.Name + " (required)"
	}
	return it.Name
}

func templateRequireCommand(env *Env) *cobra.Command {
	var clear bool
	cmd := &cobra.Command{
		Use:   "require ASSET_TYPE NAME | require ASSET_TYPE --clear",
		Short: "Require new briefs of an asset type to be made from a brief template (admins); --clear lifts it",
		Args:  rangeArgs(1, "ASSET_TYPE", "NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			switch {
			case len(args) == 2 && !clear:
				name = args[1]
			case len(args) == 1 && clear:
			default:
				return usageErrorf("give the template's NAME, or --clear to lift the requirement")
			}
			if _, err := env.Backend.SetTemplateRequirement(cmd.Context(), env.Identity, args[0], name); err != nil {
				return err
			}
			if name == "" {
				_, err := fmt.Fprintf(env.Out, "briefs of asset type %q need no template now\n", sanitize.Line(args[0]))
				return err
			}
			_, err := fmt.Fprintf(env.Out, "new briefs of asset type %q must be made from template %q\n", sanitize.Line(args[0]), sanitize.Line(name))
			return err
		},
	}
	cmd.Flags().BoolVar(&clear, "clear", false, "lift the asset type's requirement")
	return needs(core.ActionAdminister, cmd)
}

func templateRequirementsCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "requirements",
		Short: "List the asset types that require a brief template",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			req, err := env.Backend.TemplateRequirements(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, req)
			}
			rows := make([][]string, 0, len(req))
			for asset, name := range req {
				rows = append(rows, []string{asset, name})
			}
			sort.Slice(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })
			return table(env.Out, []string{"ASSET TYPE", "TEMPLATE"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return needs(core.ActionRead, cmd)
}
