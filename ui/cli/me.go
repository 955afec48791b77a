package cli

import (
	"fmt"

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

// setPersonal checks a setting as the config file would and stores it.
func setPersonal(cmd *cobra.Command, env *Env, key, value string) error {
	if value != "" {
		if _, problems := config.Personal(core.PersonalSettings{key: value}); len(problems) > 0 {
			return usageErrorf("%s: %s", key, problems[0].Err)
		}
	}
	s, err := env.Backend.SetPersonalSetting(cmd.Context(), env.Identity, key, value)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Out, "saved; your settings are now:\n%s", s.String())
	return err
}
