package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

func srmAlert(key string) core.Alert {
	return core.Alert{Event: core.AlertSRM, Key: "srm/" + key, Subject: "experiment/" + key, Text: key + " has an SRM", Time: fixedNow}
}

func mustAddWebhook(t *testing.T, s *Store, secret string) core.Webhook {
	t.Helper()
	w, err := s.AddWebhook(context.Background(), "ana", core.Webhook{URL: "https://hooks.example/in", Events: []core.AlertEvent{core.AlertSRM}, Format: core.FormatJSON}, secret)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// Ensure that a webhook's secret is kept for signing but never in its
// record or an export, so an imported webhook has none and says so.
func TestStore_Webhook_SecretNeverExported(t *testing.T) {
	s := mustOpenStore(t)
	seedAll(t, s)
	ctx := context.Background()
	if secret, err := s.WebhookSecret(ctx, 1); err != nil || string(secret) != seedSecret {
		t.Fatalf("secret = %q, %v", secret, err)
	}
	var exp bytes.Buffer
	if err := s.Export(ctx, &exp); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(exp.String(), seedSecret) || strings.Contains(exp.String(), "webhook_secrets") {
		t.Fatal("the export holds the secret")
	}
	for _, bucket := range []string{"webhooks", "webhook_queue", "webhook_log"} {
		recordLine(t, strings.Split(exp.String(), "\n"), bucket)
	}
	fresh := mustOpenStoreAt(t, filepath.Join(t.TempDir(), "fresh.db"))
	if _, err := fresh.Import(ctx, &exp); err != nil {
		t.Fatal(err)
	}
	hooks, err := fresh.Webhooks(ctx)
	if err != nil || len(hooks) != 1 || !hooks[0].Signed || hooks[0].Delivery.Queued != 1 {
		t.Fatalf("imported webhooks = %+v, %v", hooks, err)
	}
	if secret, err := fresh.WebhookSecret(ctx, 1); err != nil || secret != nil {
		t.Errorf("imported secret = %q, %v", secret, err)
	}
	if q, ok, err := fresh.NextAlert(ctx, 1); err != nil || !ok || q.Alert.Key != "srm/spring-email" || q.Attempts != 1 {
		t.Errorf("imported queue head = %+v, %v, %v", q, ok, err)
	}
}

// Ensure that each alert is queued once per webhook, however often the
// same alerts are offered, and that offering nothing new writes nothing.
func TestStore_QueueAlerts_Once(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddWebhook(t, s, "")
	alerts := []core.Alert{srmAlert("a"), srmAlert("b"), {Event: core.AlertDecision, Key: "decision/a/b"}}
	if n, err := s.QueueAlerts(ctx, "alerts", alerts); err != nil || n != 2 {
		t.Fatalf("queued %d, %v; want the two SRMs", n, err)
	}
	seq := s.Seq()
	if n, err := s.QueueAlerts(ctx, "alerts", alerts); err != nil || n != 0 || s.Seq() != seq {
		t.Fatalf("queued %d more, %v, seq %d → %d", n, err, seq, s.Seq())
	}
}

// Ensure that a full queue drops its oldest alert for each new one, each
// drop logged with its delivery, and that the log keeps the latest
// webhookLogLimit lines.
func TestStore_QueueAlerts_BoundDropsOldest(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddWebhook(t, s, "")
	offer := func(from, n int) {
		t.Helper()
		alerts := make([]core.Alert, n)
		for i := range alerts {
			alerts[i] = srmAlert(fmt.Sprintf("e%d", from+i))
		}
		if _, err := s.QueueAlerts(ctx, "alerts", alerts); err != nil {
			t.Fatal(err)
		}
	}
	offer(0, core.WebhookQueueLimit+3)
	hooks, _ := s.Webhooks(ctx)
	if st := hooks[0].Delivery; st.Queued != core.WebhookQueueLimit || st.Dropped != 3 {
		t.Fatalf("status = %+v, want a full queue and 3 dropped", st)
	}
	if q, _, _ := s.NextAlert(ctx, 1); q.Alert.Key != "srm/e3" {
		t.Errorf("head = %s, want the 4th alert", q.Alert.Key)
	}
	log, _ := s.DeliveryLog(ctx, 1)
	if len(log) != 3 || log[0].Outcome != core.OutcomeDropped || log[0].Delivery != "1-1" || log[0].Key != "srm/e0" || !strings.Contains(log[0].Error, "oldest was dropped") {
		t.Fatalf("log = %+v", log)
	}
	offer(core.WebhookQueueLimit+3, webhookLogLimit)
	log, _ = s.DeliveryLog(ctx, 0)
	if len(log) != webhookLogLimit || log[0].Key != "srm/e3" {
		t.Fatalf("log has %d lines from %s, want %d from srm/e3", len(log), log[0].Key, webhookLogLimit)
	}
}

// Ensure that a failed attempt keeps the alert at the head and backs the
// webhook off, doubling each time, and that a delivery takes it off the
// queue and clears the failure.
func TestStore_RecordDelivery(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddWebhook(t, s, "")
	if _, err := s.QueueAlerts(ctx, "alerts", []core.Alert{srmAlert("a")}); err != nil {
		t.Fatal(err)
	}
	q, _, _ := s.NextAlert(ctx, 1)
	for n, wait := range []time.Duration{time.Second, 2 * time.Second} {
		h, err := s.RecordDelivery(ctx, "alerts", q, core.DeliveryAttempt{Outcome: core.OutcomeFailed, Status: 500, Error: "answered HTTP 500"})
		if err != nil {
			t.Fatal(err)
		}
		if st := h.Delivery; !h.Failing() || st.Failures != n+1 || !st.NextAttempt.Equal(fixedNow.Add(wait)) || st.LastStatus != 500 || st.Queued != 1 {
			t.Fatalf("after failure %d: %+v", n+1, st)
		}
		if q, _, _ = s.NextAlert(ctx, 1); q.Attempts != n+1 {
			t.Fatalf("head attempts = %d, want %d", q.Attempts, n+1)
		}
	}
	h, err := s.RecordDelivery(ctx, "alerts", q, core.DeliveryAttempt{Outcome: core.OutcomeDelivered, Status: 204})
	if err != nil {
		t.Fatal(err)
	}
	if st := h.Delivery; h.Failing() || st.Queued != 0 || !st.Delivered.Equal(fixedNow) || !st.NextAttempt.IsZero() {
		t.Fatalf("after delivery: %+v", st)
	}
	if _, ok, _ := s.NextAlert(ctx, 1); ok {
		t.Error("the delivered alert is still queued")
	}
	log, _ := s.DeliveryLog(ctx, 1)
	if len(log) != 3 || log[2].Outcome != core.OutcomeDelivered || log[2].Attempt != 3 || log[2].Delivery != "1-1" {
		t.Errorf("log = %+v", log)
	}
}

// Ensure that removing a webhook deletes its queue and secret, and that a
// delivery finishing after it is refused as not found.
func TestStore_RemoveWebhook(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddWebhook(t, s, "0123456789abcdef")
	keep := mustAddWebhook(t, s, "")
	if _, err := s.QueueAlerts(ctx, "alerts", []core.Alert{srmAlert("a")}); err != nil {
		t.Fatal(err)
	}
	q, _, _ := s.NextAlert(ctx, 1)
	if err := s.RemoveWebhook(ctx, "ana", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordDelivery(ctx, "alerts", q, core.DeliveryAttempt{Outcome: core.OutcomeDelivered}); !errors.Is(err, ErrNotFound) {
		t.Errorf("delivery after removal: %v", err)
	}
	if _, ok, _ := s.NextAlert(ctx, 1); ok {
		t.Error("the removed webhook's queue is left")
	}
	if secret, _ := s.WebhookSecret(ctx, 1); secret != nil {
		t.Error("the removed webhook's secret is left")
	}
	if _, ok, _ := s.NextAlert(ctx, keep.ID); !ok {
		t.Error("the other webhook's queue went too")
	}
	if err := s.RemoveWebhook(ctx, "ana", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("second removal: %v", err)
	}
}
