package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

func briefCommand(env *Env) *cobra.Command {
	return group("brief", "File, list, show, edit and move briefs",
		briefListCommand(env),
		briefAddCommand(env),
		briefShowCommand(env),
		briefMoveCommand(env),
		briefEditCommand(env),
		briefCheckCommand(env),
	)
}

func briefListCommand(env *Env) *cobra.Command {
	var asJSON bool
	var stage string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List briefs, optionally in one stage",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			briefs, err := env.Backend.Briefs(cmd.Context())
			if err != nil {
				return err
			}
			if stage != "" {
				want, err := core.ParseStage(stage)
				if err != nil {
					return &usageError{err}
				}
				kept := briefs[:0]
				for _, b := range briefs {
					if b.Stage == want {
						kept = append(kept, b)
					}
				}
				briefs = kept
			}
			if asJSON {
				if briefs == nil {
					briefs = []core.Brief{}
				}
				return writeJSON(env.Out, briefs)
			}
			rows := make([][]string, len(briefs))
			for i, b := range briefs {
				rows[i] = []string{strconv.FormatUint(b.ID, 10), b.Stage.String(), b.Title, b.Owner, b.Channel, formatDate(b.Due)}
			}
			return table(env.Out, []string{"ID", "STAGE", "TITLE", "OWNER", "CHANNEL", "DUE"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&stage, "stage", "", "only briefs in this stage")
	return needs(core.ActionRead, cmd)
}

// briefFlags binds the flags that fill a brief's fields.
type briefFlags struct {
	brief      core.Brief
	start, due string
	stage      string
	// newTerm adds the brief's unknown terms to the taxonomy (admins).
	newTerm bool
}

func (f *briefFlags) bind(cmd *cobra.Command) {
	f.bindFields(cmd, "title (required)")
	cmd.Flags().StringVar(&f.stage, "stage", "intake", "board stage")
}

// bindFields binds the flags of the fields the board's form edits: all
// but the stage, which moves change.
func (f *briefFlags) bindFields(cmd *cobra.Command, titleUsage string) {
	fl := cmd.Flags()
	fl.StringVar(&f.brief.Title, "title", "", titleUsage)
	fl.StringVar(&f.brief.Objective, "objective", "", "what the content must achieve")
	fl.StringVar(&f.brief.Audience, "audience", "", "audience, from the taxonomy")
	fl.StringVar(&f.brief.Channel, "channel", "", "channel, from the taxonomy")
	fl.StringVar(&f.brief.Campaign, "campaign", "", "campaign")
	fl.StringVar(&f.brief.KPITarget, "kpi", "", "KPI target, e.g. \"CTR 3%\"")
	fl.StringVar(&f.brief.AssetType, "asset-type", "", "asset type, from the taxonomy")
	fl.StringVar(&f.brief.Skill, "skill", "", "skill the work needs, e.g. copy or design")
	fl.StringSliceVar(&f.brief.Tags, "tag", nil, "tag (repeat or comma-separate)")
	fl.StringVar(&f.brief.Owner, "owner", "", "who owns the work")
	fl.Float64Var(&f.brief.EstimateHours, "estimate", 0, "estimated hours")
	fl.StringVar(&f.start, "start", "", "start date, YYYY-MM-DD")
	fl.StringVar(&f.due, "due", "", "due date, YYYY-MM-DD")
	fl.BoolVar(&f.newTerm, "new-term", false, "add a channel, audience, asset type or tag the taxonomy lacks to it first (admins)")
}

// addNewTerms adds b's unknown terms to the taxonomy when --new-term asks,
// and says which on stderr.
func (f *briefFlags) addNewTerms(cmd *cobra.Command, env *Env, b core.Brief) error {
	if !f.newTerm {
		return nil
	}
	added, err := env.Backend.AddTerms(cmd.Context(), env.Identity, b)
	if err != nil {
		return err
	}
	for _, t := range []struct {
		kind  string
		terms []string
	}{{"channel", added.Channels}, {"audience", added.Audiences}, {"asset type", added.AssetTypes}, {"tag", added.Tags}} {
		for _, term := range t.terms {
			fmt.Fprintf(env.Err, "tandem: added %s %q to the taxonomy\n", t.kind, term)
		}
	}
	return nil
}

// parse turns the date and stage flags into the brief's fields.
func (f *briefFlags) parse() (core.Brief, error) {
	b := f.brief
	var err error
	if b.Stage, err = core.ParseStage(f.stage); err != nil {
		return b, &usageError{fmt.Errorf("--stage: %w", err)}
	}
	if b.Start, err = parseDate("start", f.start); err != nil {
		return b, err
	}
	if b.Due, err = parseDate("due", f.due); err != nil {
		return b, err
	}
	return b, nil
}

func parseDate(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return t, &usageError{fmt.Errorf("--%s %q: use a date like 2026-12-01", flag, s)}
	}
	return t, nil
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.DateOnly)
}

func briefAddCommand(env *Env) *cobra.Command {
	var asJSON bool
	var flags briefFlags
	var template string
	cmd := &cobra.Command{
		Use:   "add --title TITLE [--template NAME] [flags]",
		Short: "File a new brief, blank or pre-filled from a brief template (--template), which it records with its version",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := flags.parse()
			if err != nil {
				return err
			}
			if err := flags.addNewTerms(cmd, env, b); err != nil {
				return err
			}
			if template != "" {
				b, err = env.Backend.AddBriefFromTemplate(cmd.Context(), env.Identity, template, b)
			} else {
				b, err = env.Backend.AddBrief(cmd.Context(), env.Identity, b)
			}
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, b)
			}
			from := ""
			if b.Template != "" {
				from = fmt.Sprintf(" from template %q version %d", sanitize.Line(b.Template), b.TemplateVersion)
			}
			_, err = fmt.Fprintf(env.Out, "added brief %d: %s (%s)%s\n", b.ID, sanitize.Line(b.Title), b.Stage, from)
			return err
		},
	}
	flags.bind(cmd)
	cmd.Flags().StringVar(&template, "template", "", "pre-fill from this brief template (fields given here win); see `tandem template list`")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the stored brief as JSON")
	return needs(core.ActionEditBrief, cmd)
}

func parseID(s string) (uint64, error) {
	id, err := strconv.ParseUint(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id == 0 {
		return 0, usageErrorf("%q is not a brief ID; use the number from `tandem brief list`", s)
	}
	return id, nil
}

// requireBriefFlag checks a command's --brief: given, and an ID.
func requireBriefFlag(cmd *cobra.Command, id uint64) error {
	switch {
	case !cmd.Flags().Changed("brief"):
		return usageErrorf("--brief is required: the brief's number from `tandem brief list`")
	case id == 0:
		return usageErrorf("--brief 0 is not a brief ID; use the number from `tandem brief list`")
	}
	return nil
}

func briefShowCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one brief",
		Args:  exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			b, err := env.Backend.Brief(cmd.Context(), id)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, b)
			}
			rows := [][]string{
				{"title", b.Title}, {"stage", b.Stage.String()}, {"owner", b.Owner},
				{"objective", b.Objective}, {"audience", b.Audience}, {"channel", b.Channel},
				{"campaign", b.Campaign}, {"kpi target", b.KPITarget}, {"asset type", b.AssetType},
				{"skill", b.Skill}, {"tags", strings.Join(b.Tags, ", ")},
				{"start", formatDate(b.Start)}, {"due", formatDate(b.Due)},
				{"estimate", strconv.FormatFloat(b.EstimateHours, 'g', -1, 64) + " h"},
			}
			if b.Template != "" {
				rows = append(rows, []string{"template", fmt.Sprintf("%s (version %d)", b.Template, b.TemplateVersion)})
			}
			for i, it := range b.Checklist {
				rows = append(rows, []string{fmt.Sprintf("checklist %d", i+1), checklistState(it)})
			}
			return table(env.Out, []string{"BRIEF", strconv.FormatUint(b.ID, 10)}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return needs(core.ActionRead, cmd)
}

func briefMoveCommand(env *Env) *cobra.Command {
	var asJSON, force bool
	var skip string
	var ifVersion uint64
	cmd := &cobra.Command{
		Use:   "move ID STAGE [--force] [--skip-checklist REASON] [--if-version N]",
		Short: "Move a brief to another stage (intake, planned, in-production, review, approved, live, retro); past its WIP limit only with --force, into review with required checklist items unticked only with --skip-checklist, and with --if-version only if no one wrote it since that version",
		Args:  exactArgs("ID", "STAGE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			to, err := core.ParseStage(args[1])
			if err != nil {
				return &usageError{err}
			}
			before, err := env.Backend.Brief(cmd.Context(), id)
			if err != nil {
				return err
			}
			b, err := env.Backend.MoveBriefWith(cmd.Context(), env.Identity, id, to, core.MoveOptions{Force: force, SkipChecklist: skip, From: ifVersion})
			var conflict *core.ConflictError
			if errors.As(err, &conflict) {
				conflict.Hint = fmt.Sprintf("see 'tandem brief show %d', then move it again if you still mean to", id)
				return conflict
			}
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, b)
			}
			if b.Version == before.Version { // it was in to already: the store wrote nothing
				_, err = fmt.Fprintf(env.Out, "#%d is already in %s\n", b.ID, b.Stage)
				return err
			}
			_, err = fmt.Fprintf(env.Out, "moved brief %d to %s\n", b.ID, b.Stage)
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the moved brief as JSON")
	cmd.Flags().BoolVar(&force, "force", false, "move it even past the stage's WIP limit")
	cmd.Flags().StringVar(&skip, "skip-checklist", "", "move it into review with required checklist items unticked, for this reason (kept on the brief and audited)")
	ifVersionFlag(cmd.Flags(), &ifVersion, "the version this move is made from: refused (exit 3) if anyone wrote the brief since")
	return needs(core.ActionMoveBrief, cmd)
}
