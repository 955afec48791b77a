// Package common holds what every cockpit view shares: the Component
// contract, and the Common struct with size, styles, keys and the caller's
// identity.
package common

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/styles"
)

// Component is a view of the cockpit: a Bubble Tea model that lists its keys
// for help and lays itself out in the size it is given.
type Component interface {
	tea.Model
	help.KeyMap
	SetSize(width, height int)
}

// InputCapturer is implemented by views that sometimes take typed text (a
// filter, a form). While CapturesInput is true, the cockpit passes every key
// but ctrl+c to the view instead of treating it as a global key.
type InputCapturer interface {
	CapturesInput() bool
}

// Common is shared by every view of one session.
type Common struct {
	Ctx      context.Context
	Width    int
	Height   int
	Styles   *styles.Styles
	KeyMap   *keymap.KeyMap
	Backend  *backend.Backend
	Identity core.Identity
	// Now is the session's clock; tests fix it so renders are repeatable.
	Now func() time.Time
}

// SetSize records the space a view has.
func (c *Common) SetSize(width, height int) {
	c.Width, c.Height = width, height
}

// WriteKey is a key that changes the workspace, with the action it needs.
type WriteKey struct {
	Binding *key.Binding
	Action  core.Action
}

// Writer is implemented by views with keys that change the workspace. The
// cockpit turns off the ones the session's person may not use, so help
// never offers them, and answers them with a one-line note instead of
// opening anything.
type Writer interface {
	WriteKeys() []WriteKey
}
