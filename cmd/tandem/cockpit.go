package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/cli"
	"github.com/tandem-ops/tandem/ui/cockpit"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/control"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/styles"
)

// simulatorInterval is how often the demo writes a batch of traffic.
const simulatorInterval = 1500 * time.Millisecond

// runCockpit runs the interactive cockpit on st in this terminal. While it
// runs, it serves other tandem commands on the control socket, and with demo
// it seeds the workspace once and keeps the simulator writing.
func runCockpit(ctx context.Context, env *cli.Env, st *store.Store, demo bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	be := backend.New(st)
	if demo {
		if _, err := be.SeedDemo(ctx, env.Identity, env.Now()); err != nil {
			return err
		}
		go func() { _ = be.Simulate(ctx, simulatorInterval, uint64(env.Now().UnixNano())) }()
	}

	ln, err := control.Listen(store.SocketPath(st.Path()))
	if err != nil {
		fmt.Fprintf(env.Err, "tandem: %v; other tandem commands on this file will fail until the cockpit closes\n", err)
	} else {
		defer ln.Close()
		go func() {
			_ = control.Serve(ctx, ln, func(ctx context.Context, req control.Request, in io.Reader, out, errOut io.Writer) int {
				who := core.Identity{Name: req.User, Role: core.RoleAdmin} // the socket is the file owner's alone
				return cli.Run(ctx, be, who, req.Dir, req.Args, in, out, errOut)
			})
		}()
	}

	r := lipgloss.DefaultRenderer()
	c := &common.Common{
		Ctx:      ctx,
		Styles:   styles.New(r, styles.ForBackground(r.HasDarkBackground())),
		KeyMap:   keymap.DefaultKeyMap(),
		Backend:  be,
		Identity: env.Identity,
		Now:      env.Now,
	}
	m := cockpit.New(c, filepath.Base(st.Path()))
	defer m.Close()
	if _, err := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx)).Run(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("cockpit: %w", err)
	}
	return nil
}
