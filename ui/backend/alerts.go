package backend

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// AlertActor is who the audit trail names for the alerts the holder
// queues and delivers.
const AlertActor = "tandem-alerts"

// Defaults of AlertOptions.
const (
	// DefaultAlertCheck is how often alerts that come with time (a stage
	// passing its SLA) are looked for between writes.
	DefaultAlertCheck = time.Minute
	// deliveriesPerPass bounds how many alerts one webhook is sent before
	// the others get their turn.
	deliveriesPerPass = 50
)

// AlertOptions say how SendAlerts runs.
type AlertOptions struct {
	// Now is the clock alerts are derived and signed by; time.Now when nil.
	Now func() time.Time
	// Check is how often conditions that come with time are looked for;
	// DefaultAlertCheck when zero.
	Check time.Duration
	// Client posts the alerts; AlertClient() when nil.
	Client *http.Client
}

// SendAlerts runs until ctx ends: after every write, and every Check, it
// derives the alerts that hold (core.Alerts), queues each webhook's new
// ones in the store, and posts each webhook's queue in order, retrying a
// failing webhook with backoff. Only the process holding the workspace
// runs it, so alerts go out once. It returns nil when ctx ends and an
// error when the store closes under it.
func (b *Backend) SendAlerts(ctx context.Context, opts AlertOptions) error {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Check <= 0 {
		opts.Check = DefaultAlertCheck
	}
	if opts.Client == nil {
		opts.Client = AlertClient()
	}
	s := &alertSender{b: b, opts: opts, workspace: filepath.Base(b.Path())}
	sub := b.Subscribe(DefaultSubscriptionBuffer)
	defer func() { sub.Close() }()
	// A pass says when the next is due, at most Check away, so one timer
	// covers retries and the conditions that come with time.
	next := time.NewTimer(0)
	defer next.Stop()
	for {
		wait, err := s.pass(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, store.ErrClosed) {
				return err
			}
			wait = opts.Check // a bad read (damage) is retried, not fatal
		}
		next.Reset(wait)
		select {
		case <-ctx.Done():
			return nil
		case <-next.C:
		case _, ok := <-sub.C():
			if !ok {
				if !sub.Dropped() {
					return fmt.Errorf("send alerts: %w", store.ErrClosed)
				}
				sub = b.Subscribe(DefaultSubscriptionBuffer)
			}
			// One pass covers every change waiting; the pass's own writes
			// wake one more, which finds nothing new and writes nothing.
			drain(sub)
		}
	}
}

// drain takes the changes already waiting on sub.
func drain(sub *Subscription) {
	for {
		select {
		case _, ok := <-sub.C():
			if !ok {
				return
			}
		default:
			return
		}
	}
}

// alertSender is one SendAlerts run.
type alertSender struct {
	b         *Backend
	opts      AlertOptions
	workspace string
}

// pass queues the alerts that are new and delivers what is due, and
// returns how long until the next delivery is due (Check when none is).
func (s *alertSender) pass(ctx context.Context) (time.Duration, error) {
	snap, err := s.b.Snapshot(ctx)
	if err != nil {
		return 0, err
	}
	if len(snap.Webhooks) == 0 {
		return s.opts.Check, nil
	}
	queued, err := s.b.store.QueueAlerts(ctx, AlertActor, core.Alerts(snap, s.opts.Now()))
	if err != nil {
		return 0, err
	}
	hooks := snap.Webhooks // as of every write before this pass
	if queued > 0 {
		if hooks, err = s.b.store.Webhooks(ctx); err != nil {
			return 0, err
		}
	}
	// Side by side, so a receiver that hangs does not hold up what the
	// others are sent in this pass; the next pass waits for it, at most
	// the request timeout.
	waits := make([]time.Duration, len(hooks))
	errs := make([]error, len(hooks))
	var wg sync.WaitGroup
	for i, h := range hooks {
		wg.Go(func() { waits[i], errs[i] = s.deliver(ctx, h) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	return min(s.opts.Check, slices.Min(waits)), nil
}

// deliver posts h's queue, oldest first, until it is empty, an attempt
// fails or deliveriesPerPass were sent, and returns how long until h is
// due again.
func (s *alertSender) deliver(ctx context.Context, h core.Webhook) (time.Duration, error) {
	for range deliveriesPerPass {
		if h.Delivery.Queued == 0 {
			return s.opts.Check, nil
		}
		if wait := h.Delivery.NextAttempt.Sub(s.opts.Now()); wait > 0 {
			return wait, nil
		}
		q, ok, err := s.b.store.NextAlert(ctx, h.ID)
		if err != nil || !ok {
			return s.opts.Check, err
		}
		secret, err := s.b.store.WebhookSecret(ctx, h.ID)
		if err != nil {
			return 0, err
		}
		attempt := postAlert(ctx, s.opts.Client, h, secret, s.workspace, q, s.opts.Now)
		if ctx.Err() != nil {
			return 0, ctx.Err() // shutting down: the attempt was cut short, not failed
		}
		h, err = s.b.store.RecordDelivery(ctx, AlertActor, q, attempt)
		if errors.Is(err, store.ErrNotFound) {
			return s.opts.Check, nil // removed meanwhile
		}
		if err != nil {
			return 0, err
		}
	}
	return 0, nil
}
