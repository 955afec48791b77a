package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/control"
)

// DefaultDBPath is the database tandem uses without --db: $TANDEM_DB, else
// tandem.db in the XDG data dir ($XDG_DATA_HOME/tandem, or
// ~/.local/share/tandem).
func DefaultDBPath(getenv func(string) string) string {
	if p := getenv("TANDEM_DB"); p != "" {
		return p
	}
	return filepath.Join(dataDir(getenv), "tandem.db")
}

// DemoDBPath is the separate file the demo workspace lives in, so that
// --demo never touches a real workspace.
func DemoDBPath(getenv func(string) string) string {
	return filepath.Join(dataDir(getenv), "demo.db")
}

func dataDir(getenv func(string) string) string {
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "tandem")
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".local", "share", "tandem")
	}
	return "."
}

// LocalIdentity is whoever runs tandem on this machine: the owner of the
// database file, with every permission.
func LocalIdentity(getenv func(string) string) core.Identity {
	name := getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	if name == "" {
		name = "local"
	}
	return core.Identity{Name: name, Role: core.RoleAdmin}
}

// OpenLocal opens the workspace at path in this process, creating its
// folder when needed. The lock wait is short: a held file is forwarded to,
// not waited on.
func OpenLocal(path string, settings backend.Settings) (*backend.Backend, error) {
	return backend.Open(path, backend.OpenOptions{Timeout: localLockWait, Settings: settings})
}

// localLockWait is how long a local command waits for another process's
// lock before it says the file is held.
const localLockWait = 250 * time.Millisecond

// openLocalReadOnly opens an existing workspace without a write lock.
func openLocalReadOnly(path string, settings backend.Settings) (*backend.Backend, error) {
	return backend.Open(path, backend.OpenOptions{Timeout: localLockWait, ReadOnly: true, Settings: settings})
}

// ConnectLocal returns an Env.Connect for the local CLI. When a holder
// answers on the file's control socket, it forwards args, the whole
// command, there at once and returns a *ForwardedError; otherwise it opens
// env.DBPath in this process and hands the backend to opened (the caller
// closes it). A file held by a process that does not answer gives the
// *backend.HeldError, which says what to do.
func ConnectLocal(env *Env, args []string, opened func(*backend.Backend)) func(ctx context.Context, readOnly bool) error {
	return func(ctx context.Context, readOnly bool) error {
		if forwarded, err := forward(ctx, env, args); forwarded || err != nil {
			return err
		}
		open := OpenLocal
		if readOnly {
			open = openLocalReadOnly
		}
		be, err := open(env.DBPath, env.Settings)
		var held *backend.HeldError
		if errors.As(err, &held) {
			// The holder may have started its socket since we looked.
			if forwarded, ferr := forward(ctx, env, args); forwarded || ferr != nil {
				return ferr
			}
			return held
		}
		if err != nil {
			return err
		}
		opened(be)
		env.Backend = be
		return nil
	}
}

// forward runs args in the process holding env.DBPath, when one answers on
// its socket. forwarded is false (with no error) when none does, before any
// input was sent, so the caller can go on and open the file itself.
func forward(ctx context.Context, env *Env, args []string) (forwarded bool, err error) {
	sock := backend.SocketPath(env.DBPath)
	if _, err := os.Stat(sock); err != nil {
		return false, nil
	}
	dir, _ := os.Getwd()
	// The caller's model settings travel with the command: the holder
	// generates as its caller asked, not with its own environment.
	m := env.Models
	req := control.Request{Args: args, Dir: dir, Stdin: pipedInput(env.In), Model: m.Model, OllamaHost: m.Host, EmbedModel: m.EmbedModel}
	code, err := control.Forward(ctx, sock, req, env.In, env.RawOut, env.Err)
	switch {
	case errors.Is(err, control.ErrNoAnswer):
		return false, nil
	case err != nil:
		return true, err
	}
	return true, &ForwardedError{Code: code}
}

// pipedInput reports whether in is a pipe or file rather than a terminal,
// so that it is worth streaming to a command run elsewhere.
func pipedInput(in io.Reader) bool {
	f, ok := in.(*os.File)
	if !ok {
		return in != nil
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice == 0
}
