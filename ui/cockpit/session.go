package cockpit

import (
	"context"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/styles"
)

// NewSession returns a cockpit for one terminal, local or SSH: styles made
// on that terminal's renderer for its background, and the caller's
// identity in the status bar and on every write.
func NewSession(ctx context.Context, be *backend.Backend, who core.Identity, r *lipgloss.Renderer, workspace string, now func() time.Time) *Model {
	return NewSessionWithTheme(ctx, be, who, r, styles.ForBackground(r.HasDarkBackground()), keymap.DefaultKeyMap(), workspace, now)
}

// NewSessionWithTheme is NewSession with a chosen theme and key map.
func NewSessionWithTheme(ctx context.Context, be *backend.Backend, who core.Identity, r *lipgloss.Renderer, theme styles.Theme, km *keymap.KeyMap, workspace string, now func() time.Time) *Model {
	c := &common.Common{
		Ctx:      ctx,
		Styles:   styles.New(r, theme),
		KeyMap:   km,
		Backend:  be,
		Identity: who,
		Now:      now,
	}
	return New(c, workspace)
}
