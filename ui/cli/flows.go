package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
)

func flowsCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "flows",
		Short: "List the approval flows (add one with `flows add`)",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			flows, err := env.Backend.Flows(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, orEmpty(flows))
			}
			var rows [][]string
			for _, f := range flows {
				name := f.Name
				if f.RequireClaimSupport {
					name += " (claims need evidence)"
				}
				for i, s := range f.Stages {
					rows = append(rows, []string{strconv.FormatUint(f.ID, 10), name, f.AssetType, fmt.Sprintf("%d. %s", i+1, s.Name),
						string(s.Mode), ruleText(s), strings.Join(s.Approvers, ", "), fmt.Sprintf("%gh", s.SLAHours)})
				}
			}
			return table(env.Out, []string{"ID", "FLOW", "ASSET TYPE", "STAGE", "MODE", "RULE", "APPROVERS", "SLA"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(flowAddCommand(env))
	return needs(core.ActionRead, cmd)
}

func ruleText(s core.ApprovalStage) string {
	if s.Rule == core.RuleNOfM {
		return fmt.Sprintf("%d of %d", s.N, len(s.Approvers))
	}
	return string(s.Rule)
}

func flowAddCommand(env *Env) *cobra.Command {
	var assetType string
	var stages []string
	var selfApproval, claimSupport bool
	var template string
	cmd := &cobra.Command{
		Use:   "add NAME --stage SPEC [--stage SPEC ...] | add --template NAME",
		Short: "Add an approval flow; stages run in the order given",
		Long: `Add an approval flow. Each --stage is the stage's name, then
semicolon-separated settings:

  approvers=NAME, NAME   who decides (required)
  reviewers=NAME, NAME   who comments without deciding
  mode=sequential        one after another (default), or parallel
  rule=all               every approver (default), any, or a number N for N of them
  sla=8                  working hours allowed; default: sla_hours in the config, else 8

  tandem approvals flows add "Social post" --asset-type "paid social" \
    --stage "Brand review; approvers=Ana Ruiz, Dev Patel; mode=parallel; rule=any" \
    --stage "Legal; approvers=Femi Adeyemi; sla=16"

Or add the flow a flow template describes (see ` + "`tandem template add flow`" + `);
the flow records the template and its version:

  tandem approvals flows add --template "Email review"`,
		Args: rangeArgs(0, "NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if template != "" {
				if len(args) > 0 || len(stages) > 0 || assetType != "" {
					return usageErrorf("--template gives the flow's name, asset type and stages; give none of them with it")
				}
				fl, err := env.Backend.AddFlowFromTemplate(cmd.Context(), env.Identity, template)
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(env.Out, "added flow %d %q with %d stage(s) from template version %d\n", fl.ID, fl.Name, len(fl.Stages), fl.TemplateVersion)
				return err
			}
			if len(args) != 1 {
				return usageErrorf("give the flow's NAME and its --stage specs, or --template NAME")
			}
			fl := core.ApprovalFlow{Name: args[0], AssetType: assetType, AllowSelfApproval: selfApproval, RequireClaimSupport: claimSupport}
			if len(stages) == 0 {
				return usageErrorf("give at least one --stage")
			}
			for i, spec := range stages {
				st, err := parseStage(spec)
				if err != nil {
					return usageErrorf("--stage %d (%q): %v", i+1, spec, err)
				}
				fl.Stages = append(fl.Stages, st)
			}
			fl, err := env.Backend.AddFlow(cmd.Context(), env.Identity, fl)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(env.Out, "added flow %d %q with %d stage(s)\n", fl.ID, fl.Name, len(fl.Stages))
			return err
		},
	}
	cmd.Flags().StringVar(&assetType, "asset-type", "", "the asset type the flow reviews, e.g. \"paid social\"")
	cmd.Flags().StringArrayVar(&stages, "stage", nil, "a stage: NAME; approvers=...; [reviewers=...; mode=...; rule=...; sla=...]")
	cmd.Flags().BoolVar(&selfApproval, "self-approval", false, "let a brief's owner approve their own work")
	cmd.Flags().BoolVar(&claimSupport, "require-claim-support", false, "hold approval until every claim in the copy (\"23 % more\", \"fastest\") is linked to evidence")
	cmd.Flags().StringVar(&template, "template", "", "add the flow this flow template describes")
	return needs(core.ActionAdminister, cmd)
}

// parseStage reads a --stage spec; the SLA is left 0 when not given, for
// the backend's default.
func parseStage(spec string) (core.ApprovalStage, error) {
	parts := strings.Split(spec, ";")
	st := core.ApprovalStage{Name: strings.TrimSpace(parts[0]), Mode: core.ModeSequential, Rule: core.RuleAll}
	if st.Name == "" || strings.Contains(st.Name, "=") {
		return st, fmt.Errorf("start with the stage's name")
	}
	for _, part := range parts[1:] {
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok {
			return st, fmt.Errorf("%q is not key=value", strings.TrimSpace(part))
		}
		switch k {
		case "approvers":
			st.Approvers = names(v)
		case "reviewers":
			st.Reviewers = names(v)
		case "mode":
			st.Mode = core.StageMode(v)
		case "rule":
			if n, err := strconv.Atoi(v); err == nil {
				st.Rule, st.N = core.RuleNOfM, n
			} else {
				st.Rule = core.StageRule(v)
			}
		case "sla":
			h, err := strconv.ParseFloat(strings.TrimSuffix(v, "h"), 64)
			if err != nil || h <= 0 {
				return st, fmt.Errorf("sla %q: use working hours such as 8", v)
			}
			st.SLAHours = h
		default:
			return st, fmt.Errorf("unknown setting %q; use approvers, reviewers, mode, rule or sla", k)
		}
	}
	return st, nil
}

// names splits a comma-separated list of people.
func names(v string) []string {
	var out []string
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}
