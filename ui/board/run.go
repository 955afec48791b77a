package board

import (
	"errors"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// runProgressMsg is news from a brief's run going on in the background:
// a variant made, a step done, or the end of the run (done).
type runProgressMsg struct {
	briefID uint64
	line    string
	done    bool
	failed  bool
	// held is the checklist a run's submit stopped at: the board asks
	// for the reason to skip it and resumes the run with it.
	held   *core.ChecklistError
	brief  core.Brief
	events <-chan runProgressMsg
}

// startRun runs (or resumes, when it has one) b's template recipe in the
// background, as `tandem run` does, reporting each variant and step as a
// notice. The run stops when the session does (the cockpit's context);
// a resume picks it up. A run held by the brief's checklist asks for the
// reason to skip it, as a move does; one held at the review's WIP limit
// says so.
func (m *Model) startRun(b core.Brief) tea.Cmd { return m.startRunWith(b, core.MoveOptions{}) }

// startRunWith is startRun past the holds on the move into review move
// confirms.
func (m *Model) startRunWith(b core.Brief, move core.MoveOptions) tea.Cmd {
	if b.Template == "" {
		m.setNotice(true, "#%d was not made from a template; a run follows its template's recipe", b.ID)
		return nil
	}
	settings := m.common.Backend.Models()
	client, err := settings.Client()
	if err != nil {
		m.setNotice(true, "run #%d: %v", b.ID, err)
		return nil
	}
	m.setNotice(false, "run #%d: starting…", b.ID)
	events := make(chan runProgressMsg, 64)
	ctx, be, who, now := m.common.Ctx, m.common.Backend, m.common.Identity, m.common.Now()
	go func() {
		_, err := be.Run(ctx, b.ID)
		req := backend.RunRequest{BriefID: b.ID, Resume: err == nil, Model: settings.Model, Seed: 1, Now: now, Move: move,
			OnVariant: func(v core.GeneratedVariant) {
				events <- runProgressMsg{briefID: b.ID, line: fmt.Sprintf("made variant %d (lint %d)", v.ID, v.Lint.Score)}
			},
			OnStep: func(r core.Run) {
				l := r.Log[len(r.Log)-1]
				events <- runProgressMsg{briefID: b.ID, line: fmt.Sprintf("%s ✓ %s", l.Step, l.Note)}
			}}
		run, err := be.RunBrief(ctx, who, client, req)
		end := runEnd(b.ID, run, err)
		end.brief = b
		events <- end
		close(events)
	}()
	return waitRunCmd(events)
}

// runEnd says how a run ended: done, waiting for people, or stopped.
func runEnd(id uint64, run core.Run, err error) runProgressMsg {
	var waiting *core.RunWaitingError
	var held *core.ChecklistError
	switch {
	case errors.As(err, &held):
		return runProgressMsg{briefID: id, done: true, held: held, line: "held by its checklist"}
	case errors.As(err, &waiting):
		return runProgressMsg{briefID: id, done: true, line: "waits: " + waiting.Reason + "; it goes on by itself once approved"}
	case err != nil:
		return runProgressMsg{briefID: id, done: true, failed: true, line: fmt.Sprintf("stopped at %s: %v", run.Step, err)}
	}
	c := run.Cost()
	return runProgressMsg{briefID: id, done: true, line: fmt.Sprintf("done: experiment %s (%d tokens, cost %.4f)", run.Experiment, c.TokensIn+c.TokensOut, c.Cost)}
}

// waitRunCmd waits for a run's next news; the board asks again after
// each until the run is done.
func waitRunCmd(events <-chan runProgressMsg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-events
		if !ok {
			return nil
		}
		msg.events = events
		return msg
	}
}

// runProgress shows a run's news and waits for more.
func (m *Model) runProgress(msg runProgressMsg) tea.Cmd {
	m.setNotice(msg.failed, "run #%d: %s", msg.briefID, sanitize.Line(msg.line))
	if msg.held != nil {
		return m.askSkip(checklistMsg{brief: msg.brief, to: core.StageReview, items: msg.held.Items, run: true})
	}
	if msg.done {
		return nil
	}
	return waitRunCmd(msg.events)
}
