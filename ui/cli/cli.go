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
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// Deadlines of commands run for another process or machine: a command
// that streams its input or output gets the long one.
const (
	CommandDeadline = 2 * time.Minute
	StreamDeadline  = time.Hour
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
	// Settings are what this process opens a workspace with (local
	// commands); cmd gathers them from the environment and config.
	Settings backend.Settings
	// Models are the caller's own model settings, over the workspace's:
	// a command forwarded to a holder generates as its caller asked.
	Models backend.ModelSettings
	// ConfigPath is the caller's config file.
	ConfigPath string
	// Remote says the caller is on another machine (SSH): arguments never
	// name files on this one, and commands that act on this machine's own
	// files are refused.
	Remote bool
	// Deadline bounds each command run for another process or machine,
	// and StreamDeadline one that streams; none when zero.
	Deadline, StreamDeadline time.Duration
	// deadlineCtx is the command's context under its deadline, and cancel
	// releases it.
	deadlineCtx context.Context
	cancel      context.CancelFunc
}

// errServerPath is returned when a remote caller names a file.
var errServerPath = errors.New("over SSH a command reads stdin and writes stdout, never a file on the server: pass - (e.g. `ssh HOST ingest - < events.jsonl`, `ssh HOST backup - > tandem.db`)")

// errRemoteDB is returned when a remote caller passes --db.
var errRemoteDB = errors.New("--db names a file on the server, which is not yours to choose over SSH: you act on the workspace the server serves; drop --db")

// path resolves a path argument against the caller's directory. A remote
// caller may not name one.
func (env *Env) path(p string) (string, error) {
	if env.Remote {
		return "", &usageError{errServerPath}
	}
	if filepath.IsAbs(p) || env.Dir == "" {
		return filepath.Abs(p)
	}
	return filepath.Join(env.Dir, p), nil
}

// Call is one command received from another process (the control socket)
// or machine (SSH).
type Call struct {
	// Identity is who runs it, established by the transport.
	Identity core.Identity
	Args     []string
	// Dir is the caller's working directory (local callers only).
	Dir string
	// Remote is set for callers on another machine.
	Remote bool
	// Models are the caller's model settings, over the workspace's.
	Models backend.ModelSettings
	// Deadline and StreamDeadline bound the command (CommandDeadline and
	// StreamDeadline when zero).
	Deadline, StreamDeadline time.Duration
	// Now is the command's clock; time.Now when nil.
	Now func() time.Time
}

// Run executes call against be: what the control socket and SSH do with a
// command they received. It ends when ctx does (the caller went away) or
// at the command's deadline.
func Run(ctx context.Context, be *backend.Backend, call Call, in io.Reader, out, errOut io.Writer) int {
	if call.Now == nil {
		call.Now = time.Now
	}
	env := &Env{Identity: call.Identity, In: in, Out: out, Err: errOut, Now: call.Now, Backend: be,
		Dir: call.Dir, Remote: call.Remote, Deadline: call.Deadline, StreamDeadline: call.StreamDeadline, Models: call.Models}
	if env.Deadline <= 0 {
		env.Deadline = CommandDeadline
	}
	if env.StreamDeadline <= 0 {
		env.StreamDeadline = StreamDeadline
	}
	if len(call.Args) > 0 && strings.HasPrefix(call.Args[0], "__complete") && call.Remote {
		// Shell completion skips the hooks that authorize and bound a
		// command; it is for a local shell only.
		fmt.Fprintln(errOut, "tandem: shell completion runs on your own machine, not over SSH")
		return ExitUsage
	}
	if len(call.Args) == 0 && call.Remote {
		// `ssh HOST` with no command opens the cockpit; a command that is
		// only blanks is a mistake, not a request for the cockpit or help.
		fmt.Fprintln(errOut, "tandem: the command is blank; pass one such as `status` (`help` lists them), or connect without a command for the cockpit")
		return ExitUsage
	}
	return Execute(ctx, NewRoot(env), env, call.Args)
}

// CommandPath names the command args would run ("brief add"), for logs;
// it never includes the arguments, which may hold people's text.
func CommandPath(args []string) string {
	root := NewRoot(&Env{})
	cmd, _, err := root.Find(args)
	if err != nil || cmd == root {
		return "tandem"
	}
	return cmd.CommandPath()
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

// UsageError marks err as a mistake in how tandem was called, which exits
// ExitUsage: for flags the command table does not own (the cockpit's).
func UsageError(err error) error { return &usageError{err} }

func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// Annotation keys on commands.
const (
	annotationAction = "tandem.action"
	annotationStore  = "tandem.store"
	// annotationReadOnly marks commands that open the file read-only.
	annotationReadOnly = "tandem.readonly"
	// annotationLocal marks commands that act on this machine's own files
	// or processes, which a remote caller may not run.
	annotationLocal = "tandem.local"
	// annotationGroup marks commands that only hold subcommands.
	annotationGroup = "tandem.group"
	// annotationStream marks commands that stream input or output, which
	// get StreamDeadline.
	annotationStream = "tandem.stream"
)

// needs marks cmd as acting on the backend with permission for action.
func needs(action core.Action, cmd *cobra.Command) *cobra.Command {
	annotate(cmd, annotationAction, string(action))
	annotate(cmd, annotationStore, "yes")
	return cmd
}

// allows marks cmd as needing permission for action without the database.
func allows(action core.Action, cmd *cobra.Command) *cobra.Command {
	annotate(cmd, annotationAction, string(action))
	return cmd
}

// localOnly marks cmd as acting on this machine's own files or processes.
func localOnly(cmd *cobra.Command) *cobra.Command {
	annotate(cmd, annotationLocal, "yes")
	return cmd
}

// streams marks cmd as streaming its input or output.
func streams(cmd *cobra.Command) *cobra.Command {
	annotate(cmd, annotationStream, "yes")
	return cmd
}

func annotate(cmd *cobra.Command, key, value string) {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[key] = value
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
	annotate(cmd, annotationGroup, "yes")
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
	root.CompletionOptions.HiddenDefaultCmd = false
	root.PersistentFlags().StringVar(&env.DBPath, "db", env.DBPath, "database file (env TANDEM_DB)")
	if env.Remote {
		// A remote caller acts on the workspace served; prepare refuses
		// the flag, so their help does not offer it.
		_ = root.PersistentFlags().MarkHidden("db")
	}
	root.SetFlagErrorFunc(flagError)
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
		planCommand(env),
		claimCommand(env),
		componentCommand(env),
		retroCommand(env),
		modelsCommand(env),
		generateCommand(env),
		guidelineCommand(env),
		inboxCommand(env),
		configCommand(env),
		meCommand(env),
		templateCommand(env),
		tagCommand(env),
		notifyCommand(env),
		runCommand(env),
	)
	root.SetHelpCommand(helpCommand(env))
	attachCompletions(root, env)
	return root
}

// localOnlyError is returned when a remote caller runs a command that acts
// on the server's own files or processes.
type localOnlyError struct{ command string }

func (e *localOnlyError) Error() string {
	return fmt.Sprintf("`%s` acts on the server's own files, so it runs only in a terminal on the server itself, not over SSH", e.command)
}

// prepare checks the caller's permission for cmd, sets its deadline, and
// connects to the backend when cmd needs it.
func prepare(cmd *cobra.Command, env *Env) error {
	if env.Remote && hasAnnotation(cmd, annotationLocal) {
		return &localOnlyError{strings.TrimPrefix(cmd.CommandPath(), "tandem ")}
	}
	if env.Remote && cmd.Flags().Changed("db") {
		return &usageError{errRemoteDB}
	}
	if env.Deadline > 0 {
		d := env.Deadline
		if hasAnnotation(cmd, annotationStream) && env.StreamDeadline > 0 {
			d = env.StreamDeadline
		}
		ctx, cancel := context.WithTimeoutCause(cmd.Context(), d, &deadlineError{d})
		cmd.SetContext(ctx)
		env.deadlineCtx, env.cancel = ctx, cancel
	}
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

// hasAnnotation reports whether cmd or a command above it carries key.
func hasAnnotation(cmd *cobra.Command, key string) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Annotations[key] != "" {
			return true
		}
	}
	return false
}

// deadlineError is the cause of a command's context ending at its
// deadline.
type deadlineError struct{ d time.Duration }

func (e *deadlineError) Error() string {
	return fmt.Sprintf("the command ran past its deadline of %v and was stopped; ask for less (a shorter period, a smaller file) or run it on the server", e.d)
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
	if args == nil {
		// Given nil, cobra parses this process's own command line
		// (os.Args), which is not the caller's.
		args = []string{}
	}
	root.SetArgs(args)
	root.SetIn(env.In)
	root.SetOut(env.Out)
	root.SetErr(env.Err)
	err := root.ExecuteContext(ctx)
	// A command stopped because its caller's access ended (an SSH
	// session's user was removed) says so, not "context canceled".
	var revoked *core.RevokedError
	if err != nil && errors.As(context.Cause(ctx), &revoked) {
		err = revoked
	}
	if env.cancel != nil {
		// An error from a command stopped at its deadline says so, not
		// "context deadline exceeded" from wherever it stopped.
		var de *deadlineError
		if err != nil && errors.As(context.Cause(env.deadlineCtx), &de) {
			err = de
		}
		env.cancel()
	}
	var fwd *ForwardedError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &fwd):
		return fwd.Code
	}
	fmt.Fprintf(env.Err, "tandem: %s\n", oneLine(err))
	return exitCode(err)
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
