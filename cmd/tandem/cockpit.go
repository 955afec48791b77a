package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/cli"
	"github.com/tandem-ops/tandem/ui/cockpit"
	"github.com/tandem-ops/tandem/ui/styles"
)

// simulatorInterval is how often the demo writes a batch of traffic.
const simulatorInterval = 1500 * time.Millisecond

// cockpitOptions are the cockpit's flags.
type cockpitOptions struct {
	demo     bool
	readOnly bool
	mouse    bool
	wall     time.Duration
	theme    string
}

// runCockpit runs the interactive cockpit on st in this terminal. While it
// runs, it serves other tandem commands on the control socket, and with demo
// it seeds the workspace once and keeps the simulator writing.
func runCockpit(ctx context.Context, env *cli.Env, st *store.Store, opts cockpitOptions) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	be := backend.New(st)
	if opts.demo {
		if _, err := be.SeedDemo(ctx, env.Identity, env.Now()); err != nil {
			return err
		}
		go func() { _ = be.Simulate(ctx, simulatorInterval, uint64(env.Now().UnixNano())) }()
	}
	stop, err := cli.ServeControl(ctx, be)
	if err != nil {
		fmt.Fprintf(env.Err, "tandem: %v; other tandem commands on this file will fail until the cockpit closes\n", err)
	}
	defer stop()

	who := env.Identity
	if opts.readOnly {
		who.Role = core.RoleViewer // every write is refused with the reason
	}
	r := lipgloss.DefaultRenderer()
	theme := styles.ForBackground(r.HasDarkBackground())
	if opts.theme != "" {
		var ok bool
		if theme, ok = styles.ByName(opts.theme); !ok {
			return fmt.Errorf("--theme %q: use dark, light or high-contrast", opts.theme)
		}
	}
	m := cockpit.NewSessionWithTheme(ctx, be, who, r, theme, filepath.Base(st.Path()), env.Now)
	defer m.Close()
	m.Wall(opts.wall)
	progOpts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx)}
	if opts.mouse {
		progOpts = append(progOpts, tea.WithMouseCellMotion())
	}
	if _, err := tea.NewProgram(m, progOpts...).Run(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("cockpit: %w", err)
	}
	return nil
}
