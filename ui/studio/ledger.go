package studio

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// ledgerMsg carries the recipe ledger's rows, read after a write that can
// change them.
type ledgerMsg struct {
	seq  uint64
	rows []core.RecipeRow
	err  error
}

// ledgerKinds are the writes that change the ledger: experiments
// declared, variants generated, reviews that edit copy. Event batches,
// which come many a second, are left out: they move an experiment's lift
// a little, and the next such write, or `tandem report recipes`, reads
// them.
var ledgerKinds = map[core.Kind]bool{core.KindExperiment: true, core.KindGenerated: true, core.KindReview: true}

// ledgerCmd reads the ledger as of now.
func ledgerCmd(ctx context.Context, be *backend.Backend, seq uint64, now time.Time) tea.Cmd {
	return func() tea.Msg {
		rows, _, err := be.RecipeLedger(ctx, now)
		return ledgerMsg{seq: seq, rows: rows, err: err}
	}
}

// wantsLedger reports whether snapshot s calls for reading the ledger
// again: the first one, or one after a write that can change it.
func (m *Model) wantsLedger(s core.Snapshot) bool {
	return !m.ledgerRead || ledgerKinds[s.Change.Kind]
}

// ledgerView is the "what works" panel: the ledger's claims, so whoever
// generates sees which recipes have paid off, and how far to trust that.
func (m *Model) ledgerView() string {
	st := m.common.Styles
	if m.ledgerErr != nil {
		return st.App.Error.Render("recipe ledger: "+sanitize.Line(m.ledgerErr.Error())) + "\n"
	}
	var claims []string
	for _, r := range m.ledger {
		if r.Claim {
			arrow := "▲"
			if *r.Estimate < 0 {
				arrow = "▼"
			}
			claims = append(claims, fmt.Sprintf("%s %s = %s %+.1f%% [%+.1f, %+.1f] k=%d", arrow, sanitize.Line(r.Attribute), sanitize.Line(r.Level),
				100**r.Estimate, 100*r.Lift.Low, 100*r.Lift.High, r.K))
		}
	}
	head := st.Detail.Section.Render("What works (recipe ledger, exploratory)")
	if len(claims) == 0 {
		return head + "\n" + st.App.Muted.Render("no recipe claim yet: one needs 3 finished experiments per level; `tandem report recipes` shows them all") + "\n"
	}
	return head + "\n" + strings.Join(claims, "\n") + "\n"
}
