package cli

import (
	"fmt"
	"maps"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/config"
)

// meCommand is `tandem me`: a person's own settings, kept in the
// workspace so their cockpit looks the same wherever they connect from.
func meCommand(env *Env) *cobra.Command {
	var asJSON bool
	show := &cobra.Command{
		Use:   "show [--json]",
		Short: "Show your own settings (theme, keys, colours)",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := env.Backend.PersonalSettings(cmd.Context(), env.Identity)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, s)
			}
			_, err = fmt.Fprint(env.Out, s.String())
			return err
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	set := &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Set one of your settings: theme dark|light|high-contrast, keys.NAME KEYS, color.NAME #RRGGBB",
		Args:  exactArgs("KEY", "VALUE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return setPersonal(cmd, env, args[0], args[1])
		},
	}
	unset := &cobra.Command{
		Use:   "unset KEY",
		Short: "Remove one of your settings",
		Args:  exactArgs("KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return setPersonal(cmd, env, args[0], "")
		},
	}
	return group("me", "Your own settings, which follow you over SSH",
		needs(core.ActionRead, show), needs(core.ActionRead, set), needs(core.ActionRead, unset))
}

// setPersonal checks a setting as the config file would, together with the
// person's other settings (a key remap can clash with one set earlier), and
// stores it.
func setPersonal(cmd *cobra.Command, env *Env, key, value string) error {
	if value != "" {
		if _, problems := config.Personal(core.PersonalSettings{key: value}); len(problems) > 0 {
			return usageErrorf("%s: %s", key, problems[0].Err)
		}
		current, err := env.Backend.PersonalSettings(cmd.Context(), env.Identity)
		if err != nil {
			return err
		}
		if p, ok := newProblem(current, key, value); ok {
			return usageErrorf("%s = %s clashes with your settings: %s: %s", key, value, p.Field, p.Err)
		}
	}
	s, err := env.Backend.SetPersonalSetting(cmd.Context(), env.Identity, key, value)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Out, "saved; your settings are now:\n%s", s.String())
	return err
}

// newProblem is a problem that setting key to value would add to current,
// such as a key bound twice; problems current has already are left to
// `tandem me show` and unset.
func newProblem(current core.PersonalSettings, key, value string) (config.Problem, bool) {
	before := map[string]bool{}
	_, old := config.Personal(current)
	for _, p := range old {
		before[p.Field+"\x00"+p.Err] = true
	}
	merged := maps.Clone(current)
	if merged == nil {
		merged = core.PersonalSettings{}
	}
	merged[key] = value
	_, problems := config.Personal(merged)
	for _, p := range problems {
		if !before[p.Field+"\x00"+p.Err] {
			return p, true
		}
	}
	return config.Problem{}, false
}
