package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/ui/config"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

func configCommand(env *Env) *cobra.Command {
	path := &cobra.Command{
		Use:   "path",
		Short: "Print where the config file is read from",
		Args:  exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(env.Out, env.ConfigPath)
			return err
		},
	}
	initCmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented default config file (never over an existing one)",
		Args:  exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			p := env.ConfigPath
			if _, err := os.Stat(p); err == nil {
				return fmt.Errorf("%s exists; edit it, or move it away to start over", p)
			} else if !errors.Is(err, os.ErrNotExist) {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
				return err
			}
			if err := os.WriteFile(p, []byte(config.Default()), 0o600); err != nil {
				return err
			}
			_, err := fmt.Fprintf(env.Out, "wrote %s\n", p)
			return err
		},
	}
	check := &cobra.Command{
		Use:   "check",
		Short: "Check the config file; names the file, line and field of each problem (exit 2 if any)",
		Args:  exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			p := env.ConfigPath
			_, problems := config.Load(p)
			for _, pr := range problems {
				fmt.Fprintln(env.Err, sanitize.Line(pr.Error()))
			}
			if len(problems) > 0 {
				return usageErrorf("%d problem(s) in %s; tandem starts on defaults until they are fixed", len(problems), p)
			}
			_, err := fmt.Fprintf(env.Out, "%s is fine\n", p)
			return err
		},
	}
	return localOnly(group("config", "The config file: theme, model, key remaps, colours", path, initCmd, check))
}
