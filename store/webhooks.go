package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// webhookLogLimit is how many delivery log entries are kept; older ones
// are deleted as new ones are written.
const webhookLogLimit = 1000

// AddWebhook stores a subscription, with its secret apart from it when it
// has one, and returns it with its ID. The new webhook starts from
// baseline: the happenings it is not to be sent.
func (s *Store) AddWebhook(ctx context.Context, actor string, w core.Webhook, secret string) (core.Webhook, error) {
	w.Author, w.Signed, w.Delivery = actor, secret != "", core.WebhookStatus{}
	if err := w.Validate(); err != nil {
		return w, err
	}
	if secret != "" {
		if err := core.CheckSecret(secret); err != nil {
			return w, err
		}
	}
	err := s.update(ctx, actor, func(wt *writeTx) error {
		w.Created = wt.now
		if err := wt.putNext(bucketWebhooks, KindWebhook, "webhook.add", func(id uint64) { w.ID = id }, &w); err != nil {
			return err
		}
		if secret == "" {
			return nil
		}
		return wt.tx.Bucket(bucketWebhookSecrets).Put(itob(w.ID), []byte(secret))
	})
	if err != nil {
		return w, fmt.Errorf("add webhook: %w", err)
	}
	return w, nil
}

// Webhooks returns every subscription, oldest first.
func (s *Store) Webhooks(ctx context.Context) ([]core.Webhook, error) {
	return listAll[core.Webhook](ctx, s, bucketWebhooks, "webhooks")
}

// WebhookSecret returns webhook id's signing secret; nil when it has none
// (it is unsigned, or was imported from an export, which holds no secret).
func (s *Store) WebhookSecret(ctx context.Context, id uint64) ([]byte, error) {
	var secret []byte
	err := s.view(ctx, func(tx *bolt.Tx) error {
		secret = bytes.Clone(tx.Bucket(bucketWebhookSecrets).Get(itob(id)))
		return nil
	})
	return secret, err
}

// RemoveWebhook deletes subscription id with its secret and its queue,
// audited. Its lines in the delivery log stay until they age out.
func (s *Store) RemoveWebhook(ctx context.Context, actor string, id uint64) error {
	err := s.update(ctx, actor, func(w *writeTx) error {
		b := w.tx.Bucket(bucketWebhooks)
		before := b.Get(itob(id))
		if before == nil {
			return fmt.Errorf("webhook %d: %w; see `tandem notify list`", id, ErrNotFound)
		}
		if err := b.Delete(itob(id)); err != nil {
			return err
		}
		if err := w.tx.Bucket(bucketWebhookSecrets).Delete(itob(id)); err != nil {
			return err
		}
		if err := deleteQueue(w.tx, id); err != nil {
			return err
		}
		return w.record(KindWebhook, "webhook.remove", strconv.FormatUint(id, 10), before, nil)
	})
	if err != nil {
		return fmt.Errorf("remove webhook %d: %w", id, err)
	}
	return nil
}

// queueKey is a queued alert's key: the webhook ID, then its sequence.
func queueKey(webhook, seq uint64) []byte { return append(itob(webhook), itob(seq)...) }

func deleteQueue(tx *bolt.Tx, webhook uint64) error {
	c := tx.Bucket(bucketWebhookQueue).Cursor()
	prefix := itob(webhook)
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// QueueAlerts queues, in one transaction, each alert a webhook wants and
// has not fired, dropping a webhook's oldest alert (logged) when its
// queue is full, and forgets the fired alerts that cleared long ago (see
// core.Webhook.Due). A webhook with nothing new is not written. It
// returns how many alerts it queued.
func (s *Store) QueueAlerts(ctx context.Context, actor string, alerts []core.Alert) (int, error) {
	// Most passes find nothing new: look first in a read, so that they
	// cost no write (and no fsync) for every write someone else makes.
	now := s.now()
	if at, ok := ctx.Value(writeTimeKey{}).(time.Time); ok {
		now = at
	}
	news := false
	err := s.view(ctx, func(tx *bolt.Tx) error {
		hooks, err := list[core.Webhook](tx, bucketWebhooks)
		for _, h := range hooks {
			due, fired := h.Due(alerts, now.UTC())
			news = news || len(due) > 0 || !maps.EqualFunc(fired, h.Fired, time.Time.Equal)
		}
		return err
	})
	if err != nil || !news {
		return 0, err
	}
	queued := 0
	err = s.update(ctx, actor, func(w *writeTx) error {
		queued = 0
		hooks, err := list[core.Webhook](w.tx, bucketWebhooks)
		if err != nil {
			return err
		}
		for _, h := range hooks {
			due, fired := h.Due(alerts, w.now)
			if len(due) == 0 && maps.EqualFunc(fired, h.Fired, time.Time.Equal) {
				continue
			}
			before, err := json.Marshal(h)
			if err != nil {
				return err
			}
			h.Fired = fired
			for _, a := range due {
				if err := w.enqueue(&h, a); err != nil {
					return err
				}
			}
			queued += len(due)
			if err := w.putWebhook(h, "webhook.queue", before); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("queue alerts: %w", err)
	}
	return queued, nil
}

// enqueue appends a to h's queue, dropping the oldest alert when the
// queue is full.
func (w *writeTx) enqueue(h *core.Webhook, a core.Alert) error {
	b := w.tx.Bucket(bucketWebhookQueue)
	if h.Delivery.Queued >= core.WebhookQueueLimit {
		k, v := b.Cursor().Seek(itob(h.ID))
		if k != nil && bytes.HasPrefix(k, itob(h.ID)) {
			var oldest core.QueuedAlert
			if err := json.Unmarshal(v, &oldest); err != nil {
				return damaged(fmt.Sprintf("queued alert %x does not decode", k), err)
			}
			if err := b.Delete(k); err != nil {
				return err
			}
			h.Delivery.Queued--
			h.Delivery.Dropped++
			if err := w.logDelivery(core.DeliveryAttempt{Webhook: h.ID, Delivery: oldest.DeliveryID(), Event: oldest.Alert.Event, Key: oldest.Alert.Key,
				Outcome: core.OutcomeDropped, Attempt: oldest.Attempts,
				Error: fmt.Sprintf("the queue holds %d alerts; the oldest was dropped unsent", core.WebhookQueueLimit)}); err != nil {
				return err
			}
		}
	}
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	v, err := json.Marshal(core.QueuedAlert{Webhook: h.ID, Seq: seq, Alert: a, Queued: w.now})
	if err != nil {
		return err
	}
	h.Delivery.Queued++
	return b.Put(queueKey(h.ID, seq), v)
}

// putWebhook stores h, audited as action, over its encoding before.
func (w *writeTx) putWebhook(h core.Webhook, action string, before []byte) error {
	v, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := w.tx.Bucket(bucketWebhooks).Put(itob(h.ID), v); err != nil {
		return err
	}
	return w.record(KindWebhook, action, strconv.FormatUint(h.ID, 10), before, v)
}

// logDelivery appends a line to the delivery log, deleting the lines
// past webhookLogLimit.
func (w *writeTx) logDelivery(a core.DeliveryAttempt) error {
	b := w.tx.Bucket(bucketWebhookLog)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	a.Seq, a.Time = seq, w.now
	v, err := json.Marshal(a)
	if err != nil {
		return err
	}
	if err := b.Put(itob(seq), v); err != nil {
		return err
	}
	c := b.Cursor()
	for k, _ := c.First(); k != nil && btoi(k)+webhookLogLimit <= seq; k, _ = c.First() {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// NextAlert returns the oldest alert queued for webhook; false when none is.
func (s *Store) NextAlert(ctx context.Context, webhook uint64) (core.QueuedAlert, bool, error) {
	var q core.QueuedAlert
	found := false
	err := s.view(ctx, func(tx *bolt.Tx) error {
		k, v := tx.Bucket(bucketWebhookQueue).Cursor().Seek(itob(webhook))
		if k == nil || !bytes.HasPrefix(k, itob(webhook)) {
			return nil
		}
		found = true
		if err := json.Unmarshal(v, &q); err != nil {
			return damaged(fmt.Sprintf("queued alert %x does not decode", k), err)
		}
		return nil
	})
	if err != nil {
		return q, false, fmt.Errorf("next alert of webhook %d: %w", webhook, err)
	}
	return q, found, nil
}

// RecordDelivery records, in one audited transaction, how an attempt to
// deliver q went: delivered, it leaves the queue; failed, it stays at the
// head and the webhook waits core.AlertRetryAfter its failures in a row.
// Either way the attempt is logged. It returns the webhook as it now
// stands, or ErrNotFound when it was removed meanwhile.
func (s *Store) RecordDelivery(ctx context.Context, actor string, q core.QueuedAlert, a core.DeliveryAttempt) (core.Webhook, error) {
	var h core.Webhook
	err := s.update(ctx, actor, func(w *writeTx) error {
		before := w.tx.Bucket(bucketWebhooks).Get(itob(q.Webhook))
		if before == nil {
			return fmt.Errorf("webhook %d: %w", q.Webhook, ErrNotFound)
		}
		if err := json.Unmarshal(before, &h); err != nil {
			return damaged(fmt.Sprintf("webhook %d does not decode", q.Webhook), err)
		}
		queue := w.tx.Bucket(bucketWebhookQueue)
		key := queueKey(q.Webhook, q.Seq)
		inQueue := queue.Get(key) != nil
		q.Attempts++
		a.Webhook, a.Delivery, a.Event, a.Key, a.Attempt = q.Webhook, q.DeliveryID(), q.Alert.Event, q.Alert.Key, q.Attempts
		st := &h.Delivery
		action := "webhook.delivered"
		if a.Outcome == core.OutcomeDelivered {
			if inQueue {
				if err := queue.Delete(key); err != nil {
					return err
				}
				st.Queued = max(st.Queued-1, 0)
			}
			st.Delivered, st.FailingSince, st.Failures, st.LastError, st.LastStatus, st.NextAttempt = w.now, time.Time{}, 0, "", 0, time.Time{}
			if st.Queued == 0 {
				st.Dropped = 0 // the inbox says so until the queue drains; the log keeps the drops
			}
		} else {
			action, a.Outcome = "webhook.failed", core.OutcomeFailed
			if inQueue {
				v, err := json.Marshal(q)
				if err != nil {
					return err
				}
				if err := queue.Put(key, v); err != nil {
					return err
				}
			}
			if st.FailingSince.IsZero() {
				st.FailingSince = w.now
			}
			st.Failures++
			st.LastError, st.LastStatus = a.Error, a.Status
			st.NextAttempt = w.now.Add(core.AlertRetryAfter(st.Failures))
		}
		if err := w.logDelivery(a); err != nil {
			return err
		}
		return w.putWebhook(h, action, before)
	})
	if err != nil {
		return h, fmt.Errorf("record delivery %s: %w", q.DeliveryID(), err)
	}
	return h, nil
}

// DeliveryLog returns the delivery log, oldest first: every webhook's, or
// with webhook set only its.
func (s *Store) DeliveryLog(ctx context.Context, webhook uint64) ([]core.DeliveryAttempt, error) {
	all, err := listAll[core.DeliveryAttempt](ctx, s, bucketWebhookLog, "the delivery log")
	if err != nil || webhook == 0 {
		return all, err
	}
	out := all[:0]
	for _, a := range all {
		if a.Webhook == webhook {
			out = append(out, a)
		}
	}
	return out, nil
}
