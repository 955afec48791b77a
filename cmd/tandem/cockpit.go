package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/cli"
	"github.com/tandem-ops/tandem/ui/cockpit"
	"github.com/tandem-ops/tandem/ui/config"
	"github.com/tandem-ops/tandem/ui/keymap"
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
func runCockpit(ctx context.Context, env *cli.Env, be *backend.Backend, local localConfig, opts cockpitOptions) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
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
	// The holder sends the alerts, so they go out once; a failure shows
	// in the admins' inbox, not on this terminal.
	go func() { _ = be.SendAlerts(ctx, backend.AlertOptions{Now: env.Now}) }()

	who := env.Identity
	if opts.readOnly || opts.wall > 0 {
		// A viewer in every respect: no write key is offered, and every
		// write is refused with the reason.
		who.Role = core.RoleViewer
	}
	// A bad config never stops tandem: it starts on defaults and says why.
	// The person's own settings come first, the local file over them.
	cfg, problems := local.cfg, local.problems
	if personal, err := be.PersonalSettings(ctx, who); err == nil {
		if own, bad := config.Personal(personal); len(bad) == 0 {
			cfg = own.Over(cfg)
		}
	}
	r := lipgloss.DefaultRenderer()
	theme := styles.ForBackground(r.HasDarkBackground())
	name := cfg.Theme
	if opts.theme != "" {
		name = opts.theme
	}
	if name != "" {
		var ok bool
		if theme, ok = styles.ByName(name); !ok {
			return cli.UsageError(fmt.Errorf("--theme %q: use dark, light or high-contrast", name))
		}
	}
	km := keymap.DefaultKeyMap()
	km.Remap(cfg.Keys)
	// Your own keys and the file's can each be fine and clash together.
	clash := km.Conflicts()
	if len(clash) > 0 {
		km = keymap.DefaultKeyMap()
	}
	m := cockpit.NewSessionWithTheme(ctx, be, who, r, theme.WithColors(cfg.Colors), km, filepath.Base(be.Path()), env.Now)
	switch {
	case len(problems) > 0:
		m.Notice(fmt.Sprintf("config %v (and %d more): started on defaults; fix it and restart", problems[0], len(problems)-1))
	case len(clash) > 0:
		m.Notice(fmt.Sprintf("keys: %s: %v (your settings with the config file's); started on default keys", clash[0].Name, clash[0]))
	}
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
