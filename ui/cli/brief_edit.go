package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// briefEditFlags are the flags of the fields `brief edit` sets: every
// field the board's form edits.
func briefEditFlags() []string {
	return []string{"title", "objective", "audience", "channel", "campaign", "kpi", "asset-type", "skill",
		"tag", "owner", "estimate", "start", "due"}
}

func briefEditCommand(env *Env) *cobra.Command {
	var asJSON bool
	var flags briefFlags
	var ifVersion uint64
	cmd := &cobra.Command{
		Use:   "edit ID --FIELD VALUE… [--if-version N]",
		Short: "Edit a brief's fields; a stale edit merges with others' changes or is refused as a conflict (exit 3)",
		Long: `Edit sets the fields named by flags and leaves the others as they are;
an empty value clears a field (--due "", --tag "").

The edit is made from a version of the brief: the one stored now, or the
one --if-version names (from 'brief show --json'). If someone saved the
brief since, fields they did not touch merge; a field they changed to
another value is a conflict: nothing is saved, the command exits 3 and
says both values. To keep yours, run the same edit with --if-version set
to the current version.`,
		Args: exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			var set []string
			for _, flag := range briefEditFlags() {
				if cmd.Flags().Changed(flag) {
					set = append(set, flag)
				}
			}
			if len(set) == 0 {
				return usageErrorf("say what to change, e.g. `tandem brief edit %d --title \"New title\"`; see --help for every field", id)
			}
			from, err := editBase(cmd, env, id, ifVersion)
			if err != nil {
				return err
			}
			mine, err := flags.apply(from, set)
			if err != nil {
				return err
			}
			if err := flags.addNewTerms(cmd, env, mine); err != nil {
				return err
			}
			saved, merged, err := env.Backend.UpdateBrief(cmd.Context(), env.Identity, mine)
			var conflict *core.ConflictError
			if errors.As(err, &conflict) {
				conflict.Hint = fmt.Sprintf("to keep yours, run the same edit with --if-version %d; to keep theirs, do nothing", conflict.Current)
				return conflict
			}
			if err != nil {
				return err
			}
			if asJSON {
				if s := merged.String(); s != "" {
					fmt.Fprintf(env.Err, "tandem: %s\n", s)
				}
				return writeJSON(env.Out, saved)
			}
			msg := fmt.Sprintf("saved brief %d (version %d)", saved.ID, saved.Version)
			if saved.Version == from.Version {
				msg = fmt.Sprintf("brief %d unchanged (version %d)", saved.ID, saved.Version)
			}
			if s := merged.String(); s != "" {
				msg += "; " + s
			}
			_, err = fmt.Fprintln(env.Out, sanitize.Line(msg))
			return err
		},
	}
	flags.bindFields(cmd, "title")
	ifVersionFlag(cmd.Flags(), &ifVersion, "the version this edit is made from (default: the one stored now)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the saved brief as JSON")
	return needs(core.ActionEditBrief, cmd)
}

// editBase returns the brief an edit starts from: version ifVersion when
// given, else the stored one. A version no longer kept starts from the
// stored record while still stating the old version, so the store
// refuses every field the edit sets apart from it as a conflict rather
// than overwrite changes it cannot see.
func editBase(cmd *cobra.Command, env *Env, id, ifVersion uint64) (core.Brief, error) {
	ctx := cmd.Context()
	current, err := env.Backend.Brief(ctx, id)
	if err != nil {
		return core.Brief{}, err
	}
	if !cmd.Flags().Changed("if-version") || ifVersion == current.Version {
		return current, nil
	}
	if ifVersion > current.Version {
		return core.Brief{}, usageErrorf("--if-version %d: brief %d is at version %d; edit from a version it has had", ifVersion, id, current.Version)
	}
	base, err := env.Backend.BriefVersion(ctx, id, ifVersion)
	if err != nil {
		current.Version = ifVersion
		return current, nil
	}
	return base, nil
}

// apply sets the fields named by the flags in set (of briefEditFlags) on
// b.
func (f *briefFlags) apply(b core.Brief, set []string) (core.Brief, error) {
	in := f.brief
	for _, flag := range set {
		switch flag {
		case "title":
			b.Title = in.Title
		case "objective":
			b.Objective = in.Objective
		case "audience":
			b.Audience = in.Audience
		case "channel":
			b.Channel = in.Channel
		case "campaign":
			b.Campaign = in.Campaign
		case "kpi":
			b.KPITarget = in.KPITarget
		case "asset-type":
			b.AssetType = in.AssetType
		case "skill":
			b.Skill = in.Skill
		case "tag":
			b.Tags = in.Tags
		case "owner":
			b.Owner = in.Owner
		case "estimate":
			b.EstimateHours = in.EstimateHours
		case "start", "due":
			day, err := parseDate(flag, map[string]string{"start": f.start, "due": f.due}[flag])
			if err != nil {
				return b, err
			}
			if flag == "start" {
				b.Start = day
			} else {
				b.Due = day
			}
		}
	}
	return b, nil
}
