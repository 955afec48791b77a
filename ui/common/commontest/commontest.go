// Package commontest builds what the view tests share: a real store on a
// fixed clock, seeded with the demo workspace, and a colourless Common over
// it, so golden files are the same on every machine.
package commontest

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/demo"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/styles"
)

// Admin is the identity view tests act as unless they need another.
var Admin = core.Identity{Name: "ana", Role: core.RoleAdmin}

// Workspace opens a store in t.TempDir() on a clock fixed at now (fsync
// off: test files are throwaway), seeds the demo, and closes it at the end.
func Workspace(t testing.TB, now time.Time) (*store.Store, *backend.Backend) {
	return WorkspaceWith(t, now, backend.Settings{})
}

// WorkspaceWith is Workspace with a backend on settings (a model server,
// a calendar).
func WorkspaceWith(t testing.TB, now time.Time, settings backend.Settings) (*store.Store, *backend.Backend) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "workspace.db"), store.Options{Now: func() time.Time { return now }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	be := backend.NewWith(st, settings)
	if _, err := be.SeedDemo(context.Background(), Admin, now); err != nil {
		t.Fatal(err)
	}
	return st, be
}

// Traffic is the demo's simulator writing through be as an administrator,
// for tests that need new events and moves.
func Traffic(be *backend.Backend, seed uint64) *demo.Simulator {
	return demo.NewSimulator(traffic{be}, seed)
}

// traffic is demo.Simulated over the backend.
type traffic struct{ be *backend.Backend }

func (w traffic) Experiments(ctx context.Context) ([]core.Experiment, error) {
	return w.be.Experiments(ctx)
}

func (w traffic) Briefs(ctx context.Context) ([]core.Brief, error) { return w.be.Briefs(ctx) }

func (w traffic) MoveBrief(ctx context.Context, actor string, id uint64, to core.Stage) (core.Brief, error) {
	return w.be.MoveBrief(ctx, core.Identity{Name: actor, Role: core.RoleAdmin}, id, to, true)
}

func (w traffic) IngestEvents(ctx context.Context, actor string, events []core.Event) error {
	_, err := w.be.Ingest(ctx, core.Identity{Name: actor, Role: core.RoleAdmin}, events, backend.IngestOptions{})
	return err
}

// Common is a colourless Common over be for who, on the fixed clock.
func Common(be *backend.Backend, who core.Identity, now time.Time) common.Common {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return common.Common{Ctx: context.Background(), Styles: styles.New(r, styles.Dark()), KeyMap: keymap.DefaultKeyMap(),
		Backend: be, Identity: who, Now: func() time.Time { return now }}
}

// Snapshot reads the workspace as the cockpit hands it to views.
func Snapshot(t testing.TB, be *backend.Backend) core.Snapshot {
	t.Helper()
	snap, err := be.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}
