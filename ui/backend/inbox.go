package backend

import (
	"context"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// Inbox lists what needs who now; see core.Inbox.
func (b *Backend) Inbox(ctx context.Context, who core.Identity, now time.Time) ([]core.InboxItem, error) {
	snap, err := b.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return InboxOf(snap, who, now), nil
}

// InboxOf computes who's inbox from a snapshot, so the cockpit can count it
// on every change without reading the store again. Failing webhooks come
// first, for admins; runs ready to start their experiment last, for those
// who may start them.
func InboxOf(s core.Snapshot, who core.Identity, now time.Time) []core.InboxItem {
	queue := core.BuildQueue(s.Reviews, s.Flows, s.ByID(), s.Guideline, who, s.Hours, now, false)
	analyses := make([]core.Analysis, 0, len(s.Experiments))
	for _, e := range s.Experiments {
		analyses = append(analyses, core.Analyze(e, s.Totals[e.Key], now, s.Guards))
	}
	out := append(core.WebhookInbox(who, s.Webhooks), core.Inbox(who, s.Briefs, queue, analyses, now)...)
	return append(out, core.RunInbox(who, s.Runs)...)
}
