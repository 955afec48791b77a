package backend

import (
	"context"
	"strings"

	"github.com/tandem-ops/tandem/core"
)

// AddRetroNote records what who says about a retro period (2026-W47 or
// 2026-11), under their team.
func (b *Backend) AddRetroNote(ctx context.Context, who core.Identity, period, text string) (core.RetroNote, error) {
	if err := core.Authorize(who, core.ActionNote); err != nil {
		return core.RetroNote{}, err
	}
	n := core.RetroNote{Period: strings.ToUpper(strings.TrimSpace(period)), Team: core.TeamOf(who.Role), Author: who.Name, Text: strings.TrimSpace(text)}
	return b.store.AddRetroNote(ctx, who.Name, n)
}

// RetroNotes returns every retro note in the order they were written.
func (b *Backend) RetroNotes(ctx context.Context) ([]core.RetroNote, error) {
	return b.store.RetroNotes(ctx)
}
