package studio

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
)

// slotsDeadline bounds a generation by slot: ten variants from a 7B model
// on a laptop's CPU take a few minutes, so a run past this is stuck.
const slotsDeadline = 15 * time.Minute

// slotsEvent is one thing a generation by slot reports.
type slotsEvent struct {
	token     string
	variant   bool
	component bool
	done      bool
	got       backend.GeneratedComponents
	err       error
}

// slotsMsg carries an event of the generation by slot under way.
type slotsMsg struct{ ev slotsEvent }

// slotsRun is a generation by slot under way.
type slotsRun struct {
	id     int
	brief  core.Brief
	counts []core.SlotCount
	events chan slotsEvent
	done   chan slotsEvent
	cancel context.CancelFunc
	// stopping says the person stopped it; its outcome is still to come.
	stopping bool
	started  time.Time
	// variants and tokens are how far the model is; live its latest text.
	variants, tokens, components int
	live                         strings.Builder
}

// startSlots generates req for br with the workspace's model client
// under a deadline, in a goroutine whose events come back as slotsMsg
// until the done one. Cancelling the run, or ctx (the session) ending,
// stops it.
func startSlots(ctx context.Context, be *backend.Backend, who core.Identity, br core.Brief, req backend.ComponentsRequest) (*slotsRun, tea.Cmd, error) {
	client, err := be.Models().Client()
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, slotsDeadline)
	r := &slotsRun{brief: br, counts: req.Slots, events: make(chan slotsEvent, 256), done: make(chan slotsEvent, 1), cancel: cancel, started: time.Now()}
	events := r.events
	// Progress is dropped once the run is stopped, so a session that left
	// never holds the goroutine; the outcome always has room in done.
	say := func(ev slotsEvent) {
		select {
		case events <- ev:
		case <-ctx.Done():
		}
	}
	go func() {
		defer cancel()
		got, err := be.GenerateComponents(ctx, who, client, req, backend.ComponentsProgress{
			Token:     func(_ int, s string) { say(slotsEvent{token: s}) },
			Variant:   func(core.GeneratedVariant) { say(slotsEvent{variant: true}) },
			Component: func(core.Component) { say(slotsEvent{component: true}) },
		})
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && err != nil {
			err = fmt.Errorf("generation by slot took longer than %s: ask for fewer, or check the model server: %w", slotsDeadline, err)
		}
		r.done <- slotsEvent{done: true, got: got, err: err}
		close(events)
	}()
	return r, r.wait(), nil
}

// wait waits for the run's next event, its outcome once the progress
// ends; the section asks again after each.
func (r *slotsRun) wait() tea.Cmd {
	events, done := r.events, r.done
	return func() tea.Msg {
		if ev, ok := <-events; ok {
			return slotsMsg{ev: ev}
		}
		return slotsMsg{ev: <-done}
	}
}

// take records ev; it reports false for the done event.
func (r *slotsRun) take(ev slotsEvent) bool {
	switch {
	case ev.done:
		return false
	case ev.token != "":
		r.live.WriteString(ev.token)
		r.tokens++
	case ev.variant:
		r.variants++
		r.live.Reset()
	case ev.component:
		r.components++
	}
	return true
}

// progress says which variant the model is writing and which slots' parts
// it becomes, or that the components are being stored and combined.
func (r *slotsRun) progress() string {
	most := 0
	for _, c := range r.counts {
		most = max(most, c.N)
	}
	elapsed := time.Since(r.started).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(r.tokens) / elapsed
	}
	clock := fmt.Sprintf("%d tokens · %.0f tokens/s · %.1fs", r.tokens, rate, elapsed)
	if r.variants >= most {
		return fmt.Sprintf("#%d: storing %d components and linting their combinations · %s", r.brief.ID, r.components, clock)
	}
	v := r.variants + 1
	var parts []string
	for _, c := range r.counts {
		if v <= c.N {
			parts = append(parts, fmt.Sprintf("%s %d of %d", slotName(c.Slot, 1), v, c.N))
		}
	}
	return fmt.Sprintf("#%d: writing variant %d of %d for %s · %s", r.brief.ID, v, most, strings.Join(parts, ", "), clock)
}

// slotName is what people call n components of slot.
func slotName(slot string, n int) string {
	for _, s := range slotsAsked {
		if s.slot == slot {
			if n == 1 {
				return s.one
			}
			return s.many
		}
	}
	return slot
}

// madeNotice counts what a generation by slot made, per slot, and how
// many of its combinations break a rule: "made 3 headlines, 2 bodies, 2
// CTAs; 12 combinations, 1 breaks a rule".
func madeNotice(got backend.GeneratedComponents) string {
	var made []string
	for _, s := range got.Slots {
		made = append(made, fmt.Sprintf("%d %s", len(s.Components), slotName(s.Slot, len(s.Components))))
	}
	breaking := 0
	for _, a := range got.Combinations {
		if len(a.Breaks) > 0 {
			breaking++
		}
	}
	verb := "break"
	if breaking == 1 {
		verb = "breaks"
	}
	text := fmt.Sprintf("made %s; %s, %d %s a rule", strings.Join(made, ", "), common.Plural(len(got.Combinations), "combination"), breaking, verb)
	if n := len(got.Rejected); n > 0 {
		text += fmt.Sprintf("; %s not kept (empty or too long)", common.Plural(n, "part"))
	}
	return text
}

// slotsProblem is the one line a failed generation by slot shows: what
// went wrong and what to do (the model client says it for the person
// where they are: here, or over SSH).
func slotsProblem(err error) string {
	var perm *core.PermissionError
	if errors.As(err, &perm) {
		return fmt.Sprintf("✗ read-only: %s (%s) may not %s", perm.Identity.Name, perm.Identity.Role, perm.Action)
	}
	return "✗ " + strings.ReplaceAll(err.Error(), "\n", "; ")
}
