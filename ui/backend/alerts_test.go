package backend

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// alertClock runs a workspace's time a thousand times faster than the
// wall clock from a Tuesday 10:00 UTC, so backoffs and SLAs pass in
// milliseconds, and can jump ahead.
type alertClock struct {
	mu    sync.Mutex
	base  time.Time
	start time.Time
}

func newAlertClock() *alertClock {
	return &alertClock{base: time.Date(2026, 11, 10, 10, 0, 0, 0, time.UTC), start: time.Now()}
}

func (c *alertClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(1000 * time.Since(c.start))
}

func (c *alertClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base = c.base.Add(d)
}

var alertAdmin = core.Identity{Name: "ana", Role: core.RoleAdmin}

// alertBackend opens a workspace on clock and runs SendAlerts on it until
// the test ends.
func alertBackend(t *testing.T, clock *alertClock) *Backend {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "team.db"), store.Options{Now: clock.Now, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	be := New(st)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- be.SendAlerts(ctx, AlertOptions{Now: clock.Now, Check: 20 * time.Millisecond}) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("SendAlerts: %v", err)
		}
		st.Close()
	})
	return be
}

// received is one POST a test receiver took.
type received struct {
	header http.Header
	body   []byte
}

// receiver is a webhook receiver that answers status() and passes on
// every POST it answers 2xx.
func receiver(t *testing.T, status func() int) (*httptest.Server, <-chan received, *atomic.Int64) {
	t.Helper()
	got := make(chan received, 64)
	var attempts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		body, _ := io.ReadAll(r.Body)
		code := status()
		w.WriteHeader(code)
		if code < 300 && r.Method == http.MethodPost {
			got <- received{r.Header.Clone(), body}
		}
	}))
	t.Cleanup(srv.Close)
	return srv, got, &attempts
}

// verify checks a delivery's signature as the README tells receivers to:
// the HMAC-SHA256 of the timestamp header, a dot and the body, under the
// secret, compared in constant time, and a timestamp within five minutes.
func verify(t *testing.T, r received, secret string, now time.Time) {
	t.Helper()
	ts := r.header.Get("X-Tandem-Timestamp")
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(r.body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(r.header.Get("X-Tandem-Signature"))) {
		t.Errorf("signature %q, want %q", r.header.Get("X-Tandem-Signature"), want)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || now.Sub(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		t.Errorf("timestamp %q is not within 5 minutes of %s", ts, now)
	}
}

// mustSRM adds an experiment whose equal arms got 1,000 and 1,300 units:
// a sample-ratio mismatch (p ≈ 4e-10).
func mustSRM(t *testing.T, be *Backend, now time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := be.AddExperiment(ctx, alertAdmin, core.Experiment{Key: "checkout", Name: "Checkout", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}); err != nil {
		t.Fatal(err)
	}
	var events []core.Event
	for i := range 2300 {
		v := "a"
		if i >= 1000 {
			v = "b"
		}
		events = append(events, core.Event{TS: now.Add(-time.Hour), Experiment: "checkout", Variant: v, Unit: fmt.Sprintf("u%d", i), Type: core.EventExposure})
	}
	if _, err := be.Ingest(ctx, alertAdmin, events, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
}

// mustReview submits a brief to a one-stage flow with a one-hour SLA that
// waits on cy.
func mustReview(t *testing.T, be *Backend) {
	t.Helper()
	ctx := context.Background()
	br, err := be.AddBrief(ctx, alertAdmin, core.Brief{Title: "Spring email", Channel: "email", Stage: core.StageInProduction})
	if err != nil {
		t.Fatal(err)
	}
	fl, err := be.AddFlow(ctx, alertAdmin, core.ApprovalFlow{Name: "copy", Stages: []core.ApprovalStage{{Name: "legal", Mode: core.ModeSequential, Rule: core.RuleAll, Approvers: []string{"cy"}, SLAHours: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := be.Submit(ctx, alertAdmin, br.ID, fl.ID, "Spring is here", true); err != nil {
		t.Fatal(err)
	}
}

func mustWebhook(t *testing.T, be *Backend, url, secret string, now time.Time, events ...core.AlertEvent) core.Webhook {
	t.Helper()
	w, err := be.AddWebhook(context.Background(), alertAdmin, core.Webhook{URL: url, Events: events, Format: core.FormatJSON}, secret, now)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// next returns the next delivery, failing the test after 15 s.
func next(t *testing.T, got <-chan received) received {
	t.Helper()
	select {
	case r := <-got:
		return r
	case <-time.After(15 * time.Second):
		t.Fatal("no delivery within 15 s")
		return received{}
	}
}

// Ensure that the holder posts a signed alert for an SRM and, once the
// review's stage is past its SLA, for the breach, each once; and not the
// assignment from before the webhook was added.
func TestSendAlerts_SignedSRMAndSLABreach(t *testing.T) {
	clock := newAlertClock()
	be := alertBackend(t, clock)
	srv, got, _ := receiver(t, func() int { return http.StatusNoContent })
	const secret = "0123456789abcdef-tandem"
	mustReview(t, be)
	mustWebhook(t, be, srv.URL+"/hook", secret, clock.Now(), core.AlertSRM, core.AlertSLABreach, core.AlertReviewAssigned)
	mustSRM(t, be, clock.Now())

	srm := next(t, got)
	verify(t, srm, secret, clock.Now())
	var body map[string]any
	if err := json.Unmarshal(srm.body, &body); err != nil {
		t.Fatal(err)
	}
	if body["event"] != "srm" || body["key"] != "srm/checkout" || body["delivery"] != srm.header.Get("X-Tandem-Delivery") || srm.header.Get("X-Tandem-Event") != "srm" ||
		!strings.Contains(body["text"].(string), "Checkout has a sample-ratio mismatch") || body["workspace"] != "team.db" {
		t.Errorf("SRM delivery: %s %v", srm.body, srm.header)
	}

	clock.advance(2 * time.Hour) // past the legal stage's one working hour
	breach := next(t, got)
	verify(t, breach, secret, clock.Now())
	if err := json.Unmarshal(breach.body, &body); err != nil {
		t.Fatal(err)
	}
	if body["event"] != "sla-breach" || body["subject"] != "brief/1" || !strings.Contains(body["text"].(string), "Spring email (legal, round 1) is past its SLA") {
		t.Errorf("SLA delivery: %s", breach.body)
	}
	select {
	case r := <-got:
		t.Errorf("a further delivery: %s", r.body)
	case <-time.After(200 * time.Millisecond): // ten more passes
	}
}

// Ensure that with the receiver down the alert is retried with backoff,
// each failure logged and the webhook shown failing in an admin's inbox,
// and delivered once the receiver is back.
func TestSendAlerts_ReceiverDownThenUp(t *testing.T) {
	clock := newAlertClock()
	be := alertBackend(t, clock)
	var down atomic.Bool
	down.Store(true)
	srv, got, attempts := receiver(t, func() int {
		if down.Load() {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	mustWebhook(t, be, srv.URL, "", clock.Now(), core.AlertSRM)
	mustSRM(t, be, clock.Now())

	ctx := context.Background()
	waitForWrite(t, be, "three failed attempts", func() bool {
		log, _ := be.DeliveryLog(ctx, alertAdmin, 0)
		return len(log) >= 3
	})
	log, _ := be.DeliveryLog(ctx, alertAdmin, 0)
	for i, a := range log[:3] {
		if a.Outcome != core.OutcomeFailed || a.Status != 500 || a.Attempt != i+1 || a.Delivery != "1-1" {
			t.Errorf("attempt %d: %+v", i+1, a)
		}
	}
	inbox, err := be.Inbox(ctx, alertAdmin, clock.Now())
	if err != nil || len(inbox) == 0 || inbox[0].Kind != "webhook" || !strings.Contains(inbox[0].Text, "failing since") || !strings.Contains(inbox[0].Text, "HTTP 500") {
		t.Errorf("inbox = %+v, %v", inbox, err)
	}

	down.Store(false)
	r := next(t, got)
	if r.header.Get("X-Tandem-Delivery") != "1-1" || r.header.Get("X-Tandem-Signature") != "" {
		t.Errorf("delivery headers: %v", r.header)
	}
	waitForWrite(t, be, "the delivery recorded", func() bool {
		hooks, _ := be.Webhooks(ctx, alertAdmin)
		return len(hooks) == 1 && !hooks[0].Failing() && hooks[0].Delivery.Queued == 0
	})
	if inbox, _ := be.Inbox(ctx, alertAdmin, clock.Now()); len(inbox) > 0 && inbox[0].Kind == "webhook" {
		t.Errorf("the inbox still says %q", inbox[0].Text)
	}
	if n := attempts.Load(); n < 4 {
		t.Errorf("%d attempts, want at least 3 failures and the delivery", n)
	}
}

// Ensure that a redirect is not followed, and is logged as a failure that
// says so.
func TestSendAlerts_NoRedirects(t *testing.T) {
	clock := newAlertClock()
	be := alertBackend(t, clock)
	elsewhere, got, _ := receiver(t, func() int { return http.StatusOK })
	redirect := httptest.NewServer(http.RedirectHandler(elsewhere.URL, http.StatusTemporaryRedirect))
	t.Cleanup(redirect.Close)
	mustWebhook(t, be, redirect.URL, "", clock.Now(), core.AlertSRM)
	mustSRM(t, be, clock.Now())
	ctx := context.Background()
	waitForWrite(t, be, "a failed attempt", func() bool {
		log, _ := be.DeliveryLog(ctx, alertAdmin, 0)
		return len(log) > 0
	})
	log, _ := be.DeliveryLog(ctx, alertAdmin, 0)
	if log[0].Outcome != core.OutcomeFailed || log[0].Status != http.StatusTemporaryRedirect || !strings.Contains(log[0].Error, "not followed") {
		t.Errorf("log = %+v", log[0])
	}
	select {
	case r := <-got:
		t.Errorf("the redirect was followed: %s", r.body)
	default:
	}
}

// Ensure that the alert client connects to no link-local address, whatever
// name led there, and still reaches a receiver on loopback.
func TestAlertClient_RefusesLinkLocal(t *testing.T) {
	client := AlertClient()
	for _, addr := range []string{"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://100.100.100.200/"} {
		resp, err := client.Get(addr)
		if err == nil {
			_ = resp.Body.Close()
			t.Fatalf("%s answered", addr)
		}
		if !strings.Contains(postError(err), "link-local") {
			t.Errorf("%s: %v", addr, err)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(srv.Close)
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatalf("loopback receiver: %v", err)
	}
	_ = resp.Body.Close()
}

// Ensure that a receiver that hangs does not hold up another webhook's
// delivery of the same alert.
func TestSendAlerts_HangingReceiverHoldsUpNoOther(t *testing.T) {
	clock := newAlertClock()
	be := alertBackend(t, clock)
	release := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(hanging.Close)
	t.Cleanup(func() { close(release) }) // runs first: the server can close
	fast, got, _ := receiver(t, func() int { return http.StatusNoContent })
	mustWebhook(t, be, hanging.URL, "", clock.Now(), core.AlertSRM)
	mustWebhook(t, be, fast.URL, "", clock.Now(), core.AlertSRM)
	mustSRM(t, be, clock.Now())
	if r := next(t, got); r.header.Get("X-Tandem-Delivery") != "2-2" {
		t.Errorf("delivery %s, want the second webhook's", r.header.Get("X-Tandem-Delivery"))
	}
}

// Ensure that only admins manage webhooks.
func TestWebhooks_AdminOnly(t *testing.T) {
	be, _ := openBackend(t)
	ctx := context.Background()
	mops := core.Identity{Name: "mo", Role: core.RoleMOps}
	w := core.Webhook{URL: "https://hooks.example/in", Events: []core.AlertEvent{core.AlertSRM}, Format: core.FormatJSON}
	if _, err := be.AddWebhook(ctx, mops, w, "", snapNow); err == nil {
		t.Error("mops added a webhook")
	}
	if _, err := be.Webhooks(ctx, mops); err == nil {
		t.Error("mops listed webhooks")
	}
	if _, err := be.DeliveryLog(ctx, mops, 0); err == nil {
		t.Error("mops read the delivery log")
	}
	if err := be.RemoveWebhook(ctx, mops, 1); err == nil {
		t.Error("mops removed a webhook")
	}
}

// waitForWrite waits until cond holds, checking after every write, and fails
// after 15 s.
func waitForWrite(t *testing.T, be *Backend, what string, cond func() bool) {
	t.Helper()
	sub := be.Subscribe(1 << 16)
	defer sub.Close()
	deadline := time.After(15 * time.Second)
	for !cond() {
		select {
		case <-sub.C():
		case <-deadline:
			t.Fatalf("no %s within 15 s", what)
		}
	}
}

// BenchmarkAlertPass is what the holder does after every write while a
// webhook is subscribed and nothing new holds: derive the demo
// workspace's alerts and find none to queue or send.
func BenchmarkAlertPass(b *testing.B) {
	st, err := store.Open(filepath.Join(b.TempDir(), "team.db"), store.Options{Now: func() time.Time { return snapNow }, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	be := New(st)
	ctx := context.Background()
	if _, err := be.SeedDemo(ctx, alertAdmin, snapNow); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer srv.Close()
	if _, err := be.AddWebhook(ctx, alertAdmin, core.Webhook{URL: srv.URL, Events: []core.AlertEvent{core.AlertSRM, core.AlertSLABreach, core.AlertDecision, core.AlertReviewAssigned}, Format: core.FormatJSON}, "", snapNow); err != nil {
		b.Fatal(err)
	}
	s := &alertSender{b: be, opts: AlertOptions{Now: func() time.Time { return snapNow }, Check: time.Minute, Client: AlertClient()}, workspace: "team.db"}
	if _, err := s.pass(ctx); err != nil { // queues and sends what holds now
		b.Fatal(err)
	}
	seq := st.Seq()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.pass(ctx); err != nil {
			b.Fatal(err)
		}
	}
	if st.Seq() != seq {
		b.Fatalf("a pass with nothing new wrote (seq %d → %d)", seq, st.Seq())
	}
}
