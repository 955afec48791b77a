// Package cli is tandem's command table. Every subcommand is declared once,
// with its flags, the action it needs permission for and its handler over
// the backend, and runs the same way from the local CLI, forwarded over the
// control socket to the process holding the database, and over SSH.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1
	// ExitUsage is for an unknown command or flag, or wrong arguments.
	ExitUsage = 2
	// ExitRejected is for an ingest that stored what it could but refused
	// some lines.
	ExitRejected = 2
)

// Env is what a command runs with: who is calling, where it reads and
// writes, and the backend it acts on.
type Env struct {
	Identity core.Identity
	In       io.Reader
	// Out and Err are sanitizing writers while a command runs (see
	// Execute): whatever a command prints reaches the terminal without
	// escape sequences or control characters.
	Out io.Writer
	Err io.Writer
	// RawOut is the caller's own stdout, for output that must go through
	// byte for byte (a backup) or is escaped already (export's JSONL);
	// Execute sets it to Out when it is nil.
	RawOut io.Writer
	Now    func() time.Time
	// Backend is what commands act on. When it is nil, Connect is called
	// first to set it.
	Backend *backend.Backend
	// Connect opens the database for a command that needs it (read-only
	// when asked), setting Backend; it returns a *ForwardedError when it ran
	// the whole command in the process that holds the database instead.
	Connect func(ctx context.Context, readOnly bool) error
	// DBPath receives the --db flag's value.
	DBPath string
	// Dir is the caller's working directory, against which relative paths
	// in arguments are resolved; the process's own when empty.
	Dir string
}

// path resolves a path argument against the caller's directory.
func (env *Env) path(p string) (string, error) {
	if filepath.IsAbs(p) || env.Dir == "" {
		return filepath.Abs(p)
	}
	return filepath.Join(env.Dir, p), nil
}

// Run executes args against be as who: what the control socket and SSH do
// with a command they received.
func Run(ctx context.Context, be *backend.Backend, who core.Identity, dir string, args []string, in io.Reader, out, errOut io.Writer) int {
	env := &Env{Identity: who, In: in, Out: out, Err: errOut, Now: time.Now, Backend: be, Dir: dir}
	return Execute(ctx, NewRoot(env), env, args)
}

// ForwardedError reports that a command ran in another process, which has
// already written its output; Code is that run's exit code.
type ForwardedError struct{ Code int }

// Error implements error.
func (e *ForwardedError) Error() string { return fmt.Sprintf("forwarded command exited %d", e.Code) }

// usageError marks errors in how a command was called, which exit 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// Annotation keys on commands.
const (
	annotationAction = "tandem.action"
	annotationStore  = "tandem.store"
	// annotationReadOnly marks commands that open the file read-only.
	annotationReadOnly = "tandem.readonly"
)

// needs marks cmd as acting on the backend with permission for action.
func needs(action core.Action, cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[annotationAction] = string(action)
	cmd.Annotations[annotationStore] = "yes"
	return cmd
}

// group returns a command that only holds subcommands; called bare or with
// an unknown subcommand it is a usage error.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("%s needs a subcommand", cmd.CommandPath())
			}
			return usageErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
		},
	}
	cmd.AddCommand(subs...)
	return cmd
}

// exactArgs is cobra.ExactArgs with a usage error naming what is expected.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != len(names) {
			return usageErrorf("%s takes %d argument(s): %v, got %d", cmd.CommandPath(), len(names), names, len(args))
		}
		return nil
	}
}

// minArgs accepts at least the named arguments, the last one repeatable
// (words of a text, say).
func minArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < len(names) {
			return usageErrorf("%s takes at least %d argument(s): %v, got %d", cmd.CommandPath(), len(names), names, len(args))
		}
		return nil
	}
}

// NewRoot builds a fresh command tree over env. Each call builds new flag
// storage, so one process can run many commands at once (one per socket
// connection or SSH session).
func NewRoot(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:           "tandem",
		Short:         "One terminal cockpit for marketing and creative operations",
		SilenceErrors: true,
		SilenceUsage:  true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return nil
		},
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return prepare(cmd, env)
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.PersistentFlags().StringVar(&env.DBPath, "db", env.DBPath, "database file (env TANDEM_DB)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.AddCommand(
		briefCommand(env),
		backupCommand(env),
		statusCommand(env),
		versionCommand(env),
		demoCommand(env),
		boardCommand(env),
		taxonomyCommand(env),
		ingestCommand(env),
		experimentCommand(env),
		approvalsCommand(env),
		decideCommand(env, "approve", core.DecisionApprove),
		auditCommand(env),
		userCommand(env),
		personCommand(env),
		capacityCommand(env),
		exportCommand(env),
		importCommand(env),
		checkCommand(env),
		restoreCommand(env),
		reportCommand(env),
		retroCommand(env),
		modelsCommand(env),
		generateCommand(env),
		guidelineCommand(env),
		inboxCommand(env),
		configCommand(env),
	)
	return root
}

// prepare checks the caller's permission for cmd and connects to the
// backend when cmd needs it.
func prepare(cmd *cobra.Command, env *Env) error {
	if action, ok := cmd.Annotations[annotationAction]; ok {
		if err := core.Authorize(env.Identity, core.Action(action)); err != nil {
			return err
		}
	}
	if cmd.Annotations[annotationStore] == "" || env.Backend != nil {
		return nil
	}
	if env.Connect == nil {
		return errors.New("no database is open")
	}
	return env.Connect(cmd.Context(), cmd.Annotations[annotationReadOnly] != "")
}

// Execute runs args through root and returns the exit code, writing a
// one-line error to env.Err on failure. For the duration of the command
// env.Out and env.Err sanitize what is written to them, so that user text
// a command prints can never drive the terminal; the caller's stdout stays
// reachable as env.RawOut.
func Execute(ctx context.Context, root *cobra.Command, env *Env, args []string) int {
	out, errOut := env.Out, env.Err
	if env.RawOut == nil {
		env.RawOut = out
	}
	cleanOut, cleanErr := sanitize.NewWriter(out), sanitize.NewWriter(errOut)
	env.Out, env.Err = cleanOut, cleanErr
	defer func() {
		cleanOut.Flush()
		cleanErr.Flush()
		env.Out, env.Err = out, errOut
	}()
	return execute(ctx, root, env, args)
}

// execute is Execute over the sanitizing writers.
func execute(ctx context.Context, root *cobra.Command, env *Env, args []string) int {
	root.SetArgs(args)
	root.SetIn(env.In)
	root.SetOut(env.Out)
	root.SetErr(env.Err)
	err := root.ExecuteContext(ctx)
	var fwd *ForwardedError
	var usage *usageError
	var rejected *rejectedError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &fwd):
		return fwd.Code
	case errors.As(err, &rejected):
		fmt.Fprintf(env.Err, "tandem: %v\n", err)
		return ExitRejected
	case errors.As(err, &usage) || isCobraUsage(err):
		fmt.Fprintf(env.Err, "tandem: %v\nRun 'tandem --help' for usage.\n", err)
		return ExitUsage
	default:
		fmt.Fprintf(env.Err, "tandem: %v\n", err)
		return ExitFailure
	}
}

// isCobraUsage recognizes the errors cobra itself returns for a call it
// cannot parse, before any of tandem's code runs.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, prefix := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "invalid argument", "flag needs an argument", "required flag"} {
		if len(msg) >= len(prefix) && msg[:len(prefix)] == prefix {
			return true
		}
	}
	return false
}
