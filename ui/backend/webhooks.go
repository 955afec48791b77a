package backend

import (
	"context"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// Webhooks are administered by admins only: a webhook makes the process
// holding the workspace post to a URL of the admin's choosing, and admins
// are those who run that process.

// AddWebhook subscribes a URL to alerts for who, with secret signing its
// deliveries when given. The webhook is sent the conditions that hold at
// now (an SRM, a breached SLA) and the happenings after it (decisions,
// assignments), not those before.
func (b *Backend) AddWebhook(ctx context.Context, who core.Identity, w core.Webhook, secret string, now time.Time) (core.Webhook, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return core.Webhook{}, err
	}
	if err := w.Validate(); err != nil {
		return core.Webhook{}, err
	}
	snap, err := b.Snapshot(ctx)
	if err != nil {
		return core.Webhook{}, err
	}
	w.Fired = w.Baseline(core.Alerts(snap, now), now)
	return b.store.AddWebhook(ctx, who.Name, w, secret)
}

// Webhooks returns every webhook for who.
func (b *Backend) Webhooks(ctx context.Context, who core.Identity) ([]core.Webhook, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return nil, err
	}
	return b.store.Webhooks(ctx)
}

// RemoveWebhook deletes a webhook, its secret and its queue for who.
func (b *Backend) RemoveWebhook(ctx context.Context, who core.Identity, id uint64) error {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return err
	}
	return b.store.RemoveWebhook(ctx, who.Name, id)
}

// DeliveryLog returns the latest delivery attempts for who, oldest first:
// every webhook's, or with webhook set only its.
func (b *Backend) DeliveryLog(ctx context.Context, who core.Identity, webhook uint64) ([]core.DeliveryAttempt, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return nil, err
	}
	return b.store.DeliveryLog(ctx, webhook)
}
