package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

func exportCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "export [--json] > workspace.jsonl",
		Short: "Write the whole workspace as versioned JSONL to stdout",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The sanitizing Out would drop what it must not print; the
			// export escapes it instead (inside its checksum), so it prints
			// safely and imports as it was.
			return env.Backend.Export(cmd.Context(), env.Identity, env.RawOut)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", true, "JSONL (the only format; accepted for symmetry with other commands)")
	return streams(needs(core.ActionBackup, cmd))
}

func importCommand(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE|-",
		Short: "Load an export into an empty workspace; validates everything before writing anything",
		Args:  exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, name, closeIn, err := env.openInput(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer closeIn()
			n, err := env.Backend.Import(cmd.Context(), env.Identity, in)
			switch {
			case errors.Is(err, backend.ErrNotEmpty) && env.Remote:
				return fmt.Errorf("%s: %w; the server serves this workspace, so ask its admin to serve a new one for the import", name, err)
			case errors.Is(err, backend.ErrNotEmpty):
				return fmt.Errorf("%s: %w; import into a new file with --db PATH", name, err)
			case err != nil:
				return fmt.Errorf("%s: %w", name, err)
			}
			_, err = fmt.Fprintf(env.Out, "imported %d records from %s\n", n, sanitize.Line(name))
			return err
		},
	}
	return streams(needs(core.ActionAdminister, cmd))
}

func checkCommand(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check the database: bbolt consistency, every record by the write rules, the stage index, people's names, that no two users share a key, reviews against their briefs and flows, variant totals against the event log, and the audit chain",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.Backend.Check(cmd.Context()); err != nil {
				if backend.IsRuleError(err) {
					return err // the workspace is whole: the record is to edit, not a backup to restore
				}
				return fmt.Errorf("%w\nrestore the last good backup with `tandem restore BACKUP --force`", err)
			}
			_, err := fmt.Fprintf(env.Out, "%s: consistent; stage index, user keys, variant totals and audit chain verified\n", sanitize.Line(env.Backend.Path()))
			return err
		},
	}
	cmd = needs(core.ActionRead, cmd)
	cmd.Annotations[annotationReadOnly] = "yes"
	return cmd
}

func restoreCommand(env *Env) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "restore BACKUP [--force]",
		Short: "Replace the database file with a backup, after checking the backup",
		Args:  exactArgs("BACKUP"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if env.Backend != nil {
				return errors.New("restore replaces the database file; stop the cockpit or server that holds it and run restore on that machine")
			}
			src, err := env.path(args[0])
			if err != nil {
				return err
			}
			err = backend.Restore(cmd.Context(), src, env.DBPath, force)
			switch {
			case errors.Is(err, backend.ErrBadBackup):
				return &usageError{err} // the file named is not a backup to restore
			case err != nil:
				return err
			}
			_, err = fmt.Fprintf(env.Out, "restored %s from %s\n", sanitize.Line(env.DBPath), sanitize.Line(src))
			return err
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing database")
	return localOnly(cmd)
}
