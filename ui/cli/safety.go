package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
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
			in, name, closeIn, err := env.openInput(args[0])
			if err != nil {
				return err
			}
			defer closeIn()
			n, err := env.Backend.Import(cmd.Context(), env.Identity, in)
			if err != nil {
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
		Short: "Check the database: bbolt consistency, the stage index, variant totals against the event log, and the audit chain",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.Backend.Check(cmd.Context()); err != nil {
				return fmt.Errorf("%w\nrestore the last good backup with `tandem restore BACKUP --force`", err)
			}
			_, err := fmt.Fprintf(env.Out, "%s: consistent; stage index, variant totals and audit chain verified\n", sanitize.Line(env.Backend.Path()))
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
		Short: "Replace the database (--db) with a backup, after checking the backup",
		Args:  exactArgs("BACKUP"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if env.Backend != nil {
				return errors.New("restore replaces the database file; stop the cockpit or server that holds it and run restore on that machine")
			}
			src, err := env.path(args[0])
			if err != nil {
				return err
			}
			return restore(cmd, env, src, force)
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing database")
	return localOnly(cmd)
}

func restore(cmd *cobra.Command, env *Env, src string, force bool) error {
	dst := env.DBPath
	// The copy beside dst is what gets checked and then renamed into
	// place: a backup from an older tandem is brought up to date in the
	// copy, and the backup itself is never written.
	tmp, err := copyToTemp(src, dst)
	if err != nil {
		return fmt.Errorf("restore %s to %s: %w", src, dst, err)
	}
	defer os.Remove(tmp) // gone already once renamed
	if err := checkFile(cmd.Context(), tmp); err != nil {
		if errors.Is(err, store.ErrNotDatabase) {
			return fmt.Errorf("backup %s is not a tandem database, or is damaged, so it was not restored: %w", src, store.ErrNotDatabase)
		}
		return fmt.Errorf("backup %s fails its check, so it was not restored: %w", src, err)
	}
	if _, err := os.Stat(dst); err == nil {
		if !force {
			return fmt.Errorf("%s exists; restore --force replaces it (take a backup of it first)", dst)
		}
		held, err := store.Open(dst, store.Options{Timeout: store.DefaultTimeout / 4})
		if err != nil && !errors.Is(err, store.ErrNotDatabase) {
			return fmt.Errorf("cannot replace %s: %w", dst, err)
		}
		if held != nil {
			held.Close()
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("restore %s to %s: %w", src, dst, err)
	}
	_, err = fmt.Fprintf(env.Out, "restored %s from %s\n", sanitize.Line(dst), sanitize.Line(src))
	return err
}

// checkFile opens a database (bringing its schema up to date) and checks
// it and its audit chain.
func checkFile(ctx context.Context, path string) error {
	st, err := store.Open(path, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Check(ctx); err != nil {
		return err
	}
	return st.VerifyAudit(ctx)
}

// copyToTemp copies src to a synced temporary file beside dst, so that a
// rename can put it in place whole, and returns its path.
func copyToTemp(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), filepath.Base(dst)+".restore-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(tmp, in)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o600)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}
