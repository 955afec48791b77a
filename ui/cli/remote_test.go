package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
)

// runRemote runs args as who over SSH would, with stdin, and returns the
// exit code, stdout and stderr.
func runRemote(t *testing.T, be *backend.Backend, who core.Identity, stdin string, args []string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), be, Call{Identity: who, Args: args, Remote: true}, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// Ensure that a blank command over SSH (`ssh HOST "   "`) is a usage
// error saying what to pass: cobra given no arguments parses this
// process's own command line, which once told people `unknown flag:
// --listen` from the server's `tandem serve`.
func TestRun_RemoteBlankCommand(t *testing.T) {
	be := mustOpenBackend(t)
	own := os.Args
	t.Cleanup(func() { os.Args = own })
	os.Args = []string{"tandem", "serve", "--listen", "127.0.0.1:2323"}
	for name, args := range map[string][]string{"nil": nil, "empty": {}} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runRemote(t, be, admin, "", args)
			if code != ExitUsage || out != "" {
				t.Errorf("exit %d, stdout %q; want %d and nothing", code, out, ExitUsage)
			}
			if errOut != "tandem: the command is blank; pass one such as `status` (`help` lists them), or connect without a command for the cockpit\n" {
				t.Errorf("stderr %q", errOut)
			}
		})
	}
}

// Ensure that a command forwarded over the control socket with no
// arguments is a bare `tandem` (help), not the command line of the
// process that runs it (here, as under `tandem serve`).
func TestRun_LocalNoArgs(t *testing.T) {
	be := mustOpenBackend(t)
	own := os.Args
	t.Cleanup(func() { os.Args = own })
	os.Args = []string{"tandem", "serve", "--listen", "127.0.0.1:2323"}
	var out, errOut bytes.Buffer
	code := Run(context.Background(), be, Call{Identity: admin}, nil, &out, &errOut)
	if code != ExitOK || !strings.Contains(out.String(), "Available Commands") || errOut.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q; want the help", code, out.String(), errOut.String())
	}
}

// Ensure that --db over SSH is refused (a remote caller acts on the
// workspace served, and never names a server file) and that nothing a
// remote caller is told offers --db.
func TestRun_RemoteDB(t *testing.T) {
	be := mustOpenBackend(t)
	elsewhere := filepath.Join(t.TempDir(), "new.db")
	for _, args := range [][]string{
		{"brief", "list", "--db", elsewhere},
		{"--db", elsewhere, "import", "-"},
		{"--db=" + elsewhere, "status", "--json"},
		{"brief", "--db", elsewhere},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := runRemote(t, be, admin, "", args)
			if code != ExitUsage || out != "" || errOut != "tandem: "+errRemoteDB.Error()+"\n" {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d and the --db refusal", code, out, errOut, ExitUsage)
			}
			if _, err := os.Stat(elsewhere); !os.IsNotExist(err) {
				t.Errorf("the server made %s", elsewhere)
			}
		})
	}

	run(t, be, admin, "brief", "add", "--title", "Keep me")
	var export bytes.Buffer
	if code := Run(context.Background(), be, Call{Identity: admin, Args: []string{"export"}, Remote: true}, nil, &export, &bytes.Buffer{}); code != ExitOK {
		t.Fatalf("export: exit %d", code)
	}
	code, _, errOut := runRemote(t, be, admin, export.String(), []string{"import", "-"})
	if code != ExitFailure || !strings.Contains(errOut, "not empty") || !strings.Contains(errOut, "ask its admin") || strings.Contains(errOut, "--db") {
		t.Errorf("remote import into a used workspace: exit %d, %q; want the server's admin named and no --db", code, errOut)
	}
	var localErr bytes.Buffer
	code = Run(context.Background(), be, Call{Identity: admin, Args: []string{"import", "-"}}, strings.NewReader(export.String()), &bytes.Buffer{}, &localErr)
	if code != ExitFailure || !strings.Contains(localErr.String(), "import into a new file with --db PATH") {
		t.Errorf("local import into a used workspace: exit %d, %q; want --db offered", code, localErr.String())
	}
	for _, args := range [][]string{{"help"}, {"help", "brief", "list"}, {"brief", "list", "--help"}, {"demo", "seed", "--help"}} {
		if _, out, _ := runRemote(t, be, admin, "", args); strings.Contains(out, "--db") {
			t.Errorf("remote %v offers --db:\n%s", args, out)
		}
	}
}
