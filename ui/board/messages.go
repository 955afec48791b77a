package board

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
)

// movedMsg reports a committed stage move.
type movedMsg struct {
	brief core.Brief
	from  core.Stage
	// undid, for a move that undid an earlier one, is the version that
	// move left, which the undo was made from; 0 for any other move.
	undid uint64
}

// savedMsg reports a brief saved from the form.
type savedMsg struct {
	brief   core.Brief
	created bool
	// merged says what the save took from changes made while the form
	// was open.
	merged core.Merged
}

// historyMsg carries what the detail view shows beyond the brief itself.
type historyMsg struct {
	briefID   uint64
	entries   []core.AuditEntry
	moves     []core.StageChange
	decisions []core.Decision
	// daily are the experiments' units by day, for the brief's expected
	// decisions.
	daily map[string]core.DailyUnits
	// run is the brief's run of its template's recipe, nil when none.
	run *core.Run
	err error
}

// errMsg reports a failed action; the board shows it and carries on.
type errMsg struct{ err error }

// saveFailedMsg reports a save from the form that the store refused; the
// form stays open with what was typed. current is the stored brief when
// the refusal was a conflict, for the form to offer its values.
type saveFailedMsg struct {
	err     error
	current *core.Brief
}

// wipMsg reports a move the store refused at the target's WIP limit,
// which the board's own count had not foreseen (someone else filled the
// stage): the board asks y/n as it would have.
type wipMsg struct {
	brief core.Brief
	to    core.Stage
	opts  core.MoveOptions
	err   error
}

// moveRefusedMsg reports a move the store refused because the brief was
// written after the version it was made from: the card's, or for an undo
// the version the undone move left.
type moveRefusedMsg struct {
	brief    core.Brief // as the person saw it
	conflict *core.ConflictError
	undo     bool
}

// moveCmd moves b to to past the holds opts confirms; a hold still in the
// way (a WIP limit filled since) asks again. The move is made from b's
// version, so a brief someone wrote since is not moved over their change;
// a move made from an earlier version (opts.From) undoes one.
func moveCmd(ctx context.Context, be *backend.Backend, who core.Identity, b core.Brief, to core.Stage, opts core.MoveOptions) tea.Cmd {
	return func() tea.Msg {
		checked := opts
		if checked.From == 0 {
			checked.From = b.Version
		}
		moved, err := be.MoveBriefWith(ctx, who, b.ID, to, checked)
		if msg := heldMsg(b, to, opts, err); msg != nil {
			return msg
		}
		var conflict *core.ConflictError
		if errors.As(err, &conflict) {
			return moveRefusedMsg{brief: b, conflict: conflict, undo: opts.From != 0}
		}
		if err != nil {
			return errMsg{err}
		}
		return movedMsg{brief: moved, from: b.Stage, undid: opts.From}
	}
}

func saveCmd(ctx context.Context, be *backend.Backend, who core.Identity, b core.Brief) tea.Cmd {
	return func() tea.Msg {
		var err error
		var merged core.Merged
		id, created := b.ID, b.ID == 0
		switch {
		case created && b.Template != "":
			b, err = be.AddBriefFromTemplate(ctx, who, b.Template, b)
		case created:
			b, err = be.AddBrief(ctx, who, b)
		default:
			b, merged, err = be.UpdateBrief(ctx, who, b)
		}
		var conflict *core.ConflictError
		if errors.As(err, &conflict) {
			current, cerr := be.Brief(ctx, id)
			if cerr != nil {
				return saveFailedMsg{err: err}
			}
			return saveFailedMsg{err: err, current: &current}
		}
		if err != nil {
			return saveFailedMsg{err: err}
		}
		return savedMsg{brief: b, created: created, merged: merged}
	}
}

func historyCmd(ctx context.Context, be *backend.Backend, id uint64, now time.Time) tea.Cmd {
	return func() tea.Msg {
		entries, err := be.History(ctx, id)
		if err != nil {
			return historyMsg{briefID: id, err: err}
		}
		moves, err := be.StageChanges(ctx, id)
		if err != nil {
			return historyMsg{briefID: id, err: err}
		}
		var run *core.Run // none when it never ran: the lines stay as audited
		if r, err := be.Run(ctx, id); err == nil {
			run = &r
		}
		all, err := be.Decisions(ctx)
		var decisions []core.Decision
		for _, d := range all {
			if d.BriefID == id {
				decisions = append(decisions, d)
			}
		}
		if err != nil {
			return historyMsg{briefID: id, err: err}
		}
		daily, err := be.DailyUnits(ctx, now)
		return historyMsg{briefID: id, entries: entries, moves: moves, decisions: decisions, daily: daily, run: run, err: err}
	}
}
