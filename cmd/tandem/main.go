// Command tandem is the terminal cockpit where marketing operations and
// creative operations run one content engine together.
//
// main only wires: it parses the command line with the shared command table
// (ui/cli), opens the store or forwards to the process that holds it, and
// starts the cockpit.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string) int {
	var opened []*backend.Backend
	defer func() {
		for _, be := range opened {
			_ = be.Close()
		}
	}()
	local := loadLocalConfig(os.Getenv)
	env := &cli.Env{
		Identity:   cli.LocalIdentity(os.Getenv),
		In:         os.Stdin,
		Out:        os.Stdout,
		Err:        os.Stderr,
		Now:        time.Now,
		DBPath:     cli.DefaultDBPath(os.Getenv),
		Settings:   local.settings,
		Models:     local.models,
		ConfigPath: local.path,
	}
	env.Connect = cli.ConnectLocal(env, args, func(be *backend.Backend) { opened = append(opened, be) })
	root := cli.NewRoot(env)
	var opts cockpitOptions
	root.Flags().BoolVar(&opts.demo, "demo", false, "open the demo workspace (its own file, seeded once) with a live simulator")
	root.Flags().BoolVar(&opts.readOnly, "read-only", false, "look without changing anything (as a viewer)")
	root.Flags().DurationVar(&opts.wall, "wall", 0, "team screen: show each tab in turn for this long, e.g. 20s")
	root.Flags().BoolVar(&opts.mouse, "mouse", false, "click tabs and scroll with the wheel")
	root.Flags().StringVar(&opts.theme, "theme", "", "dark, light or high-contrast (default: from the terminal's background)")
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		path := env.DBPath
		if opts.demo && !cmd.Flags().Changed("db") {
			path = cli.DemoDBPath(os.Getenv)
		}
		be, err := cli.OpenLocal(path, env.Settings)
		if err != nil {
			return err
		}
		opened = append(opened, be)
		return runCockpit(cmd.Context(), env, be, local, opts)
	}
	root.AddCommand(serveCommand(env, local, func(be *backend.Backend) { opened = append(opened, be) }))
	return cli.Execute(ctx, root, env, args)
}
