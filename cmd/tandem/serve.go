package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/cli"
	"github.com/tandem-ops/tandem/ui/sanitize"
	tandemssh "github.com/tandem-ops/tandem/ui/ssh"
)

// shutdownGrace is how long sessions get to close on SIGTERM.
const shutdownGrace = 5 * time.Second

// serveCommand is `tandem serve`: it holds the database and serves the
// cockpit over SSH (and other local tandem commands over the socket).
func serveCommand(env *cli.Env, local localConfig, opened func(*backend.Backend)) *cobra.Command {
	opts := tandemssh.DefaultOptions()
	var kafka cli.HolderKafka
	cmd := &cobra.Command{
		Use:   "serve [--listen 127.0.0.1:2323] [--kafka BROKERS --topic T [--group G] [--format jsonl|csv]]",
		Short: "Serve the shared cockpit over SSH; each user's key is their identity",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			// Refused before anything is opened or listened on: a server
			// must not quietly run on other limits than those asked for.
			if err := opts.Validate(); err != nil {
				return cli.UsageError(err)
			}
			if len(local.problems) > 0 {
				fmt.Fprintf(env.Err, "tandem: config %v: serving with the default calendar and model\n", local.problems[0])
			}
			src, err := kafka.Source()
			if err != nil {
				return err
			}
			// The cockpit's people are on other machines: model errors
			// send them to the admin instead of naming this machine's
			// Ollama.
			env.Settings.Models.Remote = true
			be, err := cli.OpenLocal(env.DBPath, env.Settings)
			if err != nil {
				return err
			}
			opened(be)
			if opts.HostKeyPath == "" {
				opts.HostKeyPath = filepath.Join(filepath.Dir(env.DBPath), "tandem_host_ed25519")
			}
			opts.Workspace, opts.Now = filepath.Base(env.DBPath), env.Now
			opts.Log = slog.New(slog.NewTextHandler(env.Err, nil))
			ln, err := net.Listen("tcp", opts.Listen)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", opts.Listen, err)
			}
			if err := be.Announce(ln.Addr().String()); err != nil {
				return err
			}
			stop, err := cli.ServeControl(ctx, be)
			if err != nil {
				fmt.Fprintf(env.Err, "tandem: %v; local commands on this file cannot be forwarded\n", err)
			}
			defer stop()
			go func() {
				if err := be.SendAlerts(ctx, backend.AlertOptions{Now: env.Now}); err != nil {
					opts.Log.Error("alerts stopped", "err", err)
				}
			}()
			srv, err := tandemssh.New(be, opts)
			if err != nil {
				return err
			}
			served := make(chan error, 1)
			go func() { served <- srv.Serve(ln) }()
			host, port, _ := net.SplitHostPort(ln.Addr().String())
			fmt.Fprintf(env.Out, "serving %s on %s: connect with `ssh -p %s %s`\n", env.DBPath, ln.Addr(), port, host)
			if src != nil {
				// The consumer stops before the store closes.
				kctx, stopKafka := context.WithCancel(ctx)
				held := make(chan struct{})
				go func() {
					defer close(held)
					be.HoldKafka(kctx, env.Identity, *src, opts.Log)
				}()
				defer func() { stopKafka(); <-held }()
				fmt.Fprintf(env.Out, "reading kafka topic %s as group %s: `tandem status` shows its lag\n", sanitize.Line(src.Topic), sanitize.Line(src.Group))
			}
			select {
			case err := <-served:
				return err
			case <-ctx.Done():
			}
			fmt.Fprintln(env.Out, "shutting down: closing sessions")
			sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
			defer cancel()
			if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Listen, "listen", opts.Listen, "address to listen on")
	fl.StringVar(&opts.HostKeyPath, "host-key", "", "host key file, made on first start (default: beside the database)")
	fl.IntVar(&opts.MaxSessions, "max-sessions", opts.MaxSessions, "most sessions at once (1 to 100000)")
	fl.DurationVar(&opts.IdleTimeout, "idle-timeout", opts.IdleTimeout, "close a cockpit whose person has typed nothing for this long (1s to 168h)")
	fl.DurationVar(&opts.HandshakeTimeout, "handshake-timeout", opts.HandshakeTimeout, "close a connection that has not started a session within this long (1s to 10m)")
	fl.IntVar(&opts.CommandsPerPerson, "commands-per-person", opts.CommandsPerPerson, "most commands one person runs at once (1 to 1000)")
	fl.Float64Var(&opts.CommandRate, "command-rate", opts.CommandRate, fmt.Sprintf("commands one person may start per second, sustained, in bursts of %d (above 0, at most 10000)", opts.CommandBurst))
	fl.BoolVar(&opts.AllowUnknownViewer, "allow-unknown-viewer", false, "admit keys no user has, as read-only viewers")
	kafka.Register(cmd)
	return cmd
}
