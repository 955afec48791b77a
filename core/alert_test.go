package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// alertWorkspace is a snapshot with one alert of each kind at alertNow:
// experiment x in SRM (10,000 against 11,000 units at equal weights),
// experiment y declared, and review 7 past its 8-hour SLA at its legal
// stage, which waits on ana and bo together.
var alertNow = time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC) // a Tuesday

func alertWorkspace() Snapshot {
	srm := twoArms()
	declared := Experiment{Key: "y", Name: "Spring <!channel>", Started: analysisStart, Winner: "b", Decided: alertNow.Add(-time.Hour), Variants: srm.Variants}
	srm.Name = "Checkout"
	flow := ApprovalFlow{ID: 1, Name: "copy", Stages: []ApprovalStage{{Name: "legal", Mode: ModeParallel, Rule: RuleAll, Approvers: []string{"ana", "bo"}, SLAHours: 8}}}
	return Snapshot{
		Experiments: []Experiment{srm, declared},
		Totals:      map[string]map[string]VariantTotals{"x": totals2(10000, 400, 11000, 600), "y": totals2(10000, 400, 10000, 420)},
		Briefs:      []Brief{{ID: 7, Title: "Spring email"}},
		Flows:       []ApprovalFlow{flow},
		Reviews: []Review{
			{BriefID: 7, FlowID: 1, Round: 1, Stage: 0, StageStarted: alertNow.Add(-48 * time.Hour), Status: ReviewPending, Updated: alertNow.Add(-48 * time.Hour)},
			{BriefID: 8, FlowID: 1, Round: 2, Stage: 0, StageStarted: alertNow.Add(-48 * time.Hour), Status: ReviewApproved},
		},
		Hours:  DefaultWorkingHours(),
		Guards: DefaultGuards(),
	}
}

// Ensure that the alerts derived from a snapshot are the SRM, the
// declared winner, the breached SLA and one assignment per approver
// waited on, each under a key that names it.
func TestAlerts_FromSnapshot(t *testing.T) {
	alerts := Alerts(alertWorkspace(), alertNow)
	var keys []string
	for _, a := range alerts {
		keys = append(keys, a.Key)
	}
	want := []string{"srm/x", "decision/y/b", "sla-breach/brief/7/round/1/stage/0", "review-assigned/brief/7/round/1/stage/0/ana", "review-assigned/brief/7/round/1/stage/0/bo"}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys = %q, want %q", keys, want)
	}
	if a := alerts[2]; a.Event != AlertSLABreach || a.Subject != "brief/7" || !strings.Contains(a.Text, "Spring email") || !strings.Contains(a.Text, "waiting on ana, bo") {
		t.Errorf("SLA breach = %+v", a)
	}
	if a := alerts[0]; a.Event != AlertSRM || !strings.Contains(a.Text, "Checkout has a sample-ratio mismatch") {
		t.Errorf("SRM = %+v", a)
	}
}

// Ensure that a webhook fires each alert it wants once, that a new one
// is sent the conditions that hold but not the happenings from before
// it, and that a cleared alert is forgotten only FiredKeepFor after it
// fired.
func TestWebhook_Due(t *testing.T) {
	alerts := Alerts(alertWorkspace(), alertNow)
	w := Webhook{Events: []AlertEvent{AlertSRM, AlertSLABreach, AlertReviewAssigned}}
	w.Fired = w.Baseline(alerts, alertNow)
	if len(w.Fired) != 2 {
		t.Fatalf("baseline = %v, want the two assignments", w.Fired)
	}
	due, fired := w.Due(alerts, alertNow)
	if len(due) != 2 || due[0].Event != AlertSRM || due[1].Event != AlertSLABreach {
		t.Fatalf("due = %+v, want the SRM and the SLA breach", due)
	}
	w.Fired = fired
	if due, _ := w.Due(alerts, alertNow.Add(time.Minute)); len(due) != 0 {
		t.Errorf("fired again: %+v", due)
	}
	// The SRM clears; within a week it is remembered, after it forgotten.
	rest := alerts[1:]
	if _, fired := w.Due(rest, alertNow.Add(FiredKeepFor)); fired["srm/x"].IsZero() {
		t.Error("the SRM was forgotten within FiredKeepFor")
	}
	_, fired = w.Due(rest, alertNow.Add(FiredKeepFor+time.Minute))
	if _, ok := fired["srm/x"]; ok {
		t.Error("the SRM was remembered past FiredKeepFor")
	}
	if _, ok := fired["sla-breach/brief/7/round/1/stage/0"]; !ok {
		t.Error("an alert that still holds was forgotten")
	}
}

// Ensure that a signature is the HMAC-SHA256 of the timestamp, a dot and
// the body, as Python's hmac module computes it:
// hmac.new(b"0123456789abcdef", b'1700000000.{"event":"srm"}', hashlib.sha256).hexdigest().
func TestSignAlert_Reference(t *testing.T) {
	got := SignAlert([]byte("0123456789abcdef"), 1700000000, []byte(`{"event":"srm"}`))
	if want := "sha256=81fc6f407bd5a57d4f28480e572917c9d64b37220cf730be6bca8292489b4294"; got != want {
		t.Errorf("signature = %s, want %s", got, want)
	}
}

// Ensure that a body is JSON with control characters escaped, and that a
// Slack body escapes Slack's markup so a title cannot ping a channel.
func TestAlertBody(t *testing.T) {
	q := QueuedAlert{Webhook: 3, Seq: 9, Alert: Alert{Event: AlertDecision, Key: "decision/y/b", Subject: "experiment/y", Text: "Spring <!channel>\x1b[31m & co", Time: alertNow}}
	body, err := AlertBody(FormatJSON, "team.db", q)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(string(body), 0x1b) {
		t.Errorf("raw escape in %s", body)
	}
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if v["delivery"] != "3-9" || v["event"] != "decision" || v["time"] != "2026-11-10T12:00:00Z" || v["workspace"] != "team.db" {
		t.Errorf("body = %s", body)
	}
	slack, err := AlertBody(FormatSlack, "team.db", q)
	if err != nil {
		t.Fatal(err)
	}
	var s struct{ Text string }
	if err := json.Unmarshal(slack, &s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.Text, "Spring &lt;!channel&gt;") || !strings.Contains(s.Text, "&amp; co") || !strings.HasPrefix(s.Text, "tandem decision (team.db): ") {
		t.Errorf("slack text = %q", s.Text)
	}
}

// Ensure that only absolute http(s) URLs with a host and without
// credentials are accepted, and that shown URLs keep no token.
func TestWebhookURL_Hostile(t *testing.T) {
	for _, raw := range []string{"", "ftp://x/y", "file:///etc/passwd", "/relative", "http://", "https://user:pw@hooks.example/x",
		"https://hooks.example/x#frag", "https://hooks.example/\x1b[31m", "https://hooks.example/\u202e", "https://hooks.example/ x",
		"https://hooks.example/" + strings.Repeat("a", MaxWebhookURL), "javascript:alert(1)", "http://[::1",
		"http://169.254.169.254/latest/meta-data/", "http://[fe80::1%25eth0]/x", "http://[::ffff:169.254.169.254]/", "http://0.0.0.0:8080/", "http://[::]/", "http://224.0.0.1/",
		"http://[fd00:ec2::254]/latest/meta-data/", "http://100.100.100.200/latest/meta-data/"} {
		if CheckWebhookURL(raw) == nil {
			t.Errorf("accepted %q", raw)
		}
	}
	for _, raw := range []string{"https://hooks.slack.com/services/T0/B0/XYZ", "http://127.0.0.1:8080/hook?token=1", "http://10.0.0.7/hook", "http://[::1]:9000/"} {
		if err := CheckWebhookURL(raw); err != nil {
			t.Errorf("refused %q: %v", raw, err)
		}
	}
	for raw, want := range map[string]string{
		"https://hooks.slack.com/services/T0/B0/XYZ": "https://hooks.slack.com/services/…",
		"http://127.0.0.1:8080/hook?token=1":         "http://127.0.0.1:8080/hook/…",
		"https://example.com":                        "https://example.com",
		"https://example.com/in":                     "https://example.com/in",
	} {
		if got := RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

// Ensure that a webhook's fields and secret are checked as one field
// error each.
func TestWebhook_Validate(t *testing.T) {
	ok := Webhook{URL: "https://example.com/in", Events: []AlertEvent{AlertSRM}, Format: FormatJSON}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]Webhook{
		"no events":  {URL: ok.URL, Format: FormatJSON},
		"bad event":  {URL: ok.URL, Events: []AlertEvent{"everything"}, Format: FormatJSON},
		"bad format": {URL: ok.URL, Events: ok.Events, Format: "xml"},
	} {
		var fe *FieldError
		if err := w.Validate(); !errors.As(err, &fe) {
			t.Errorf("%s: %v, want a field error", name, err)
		}
	}
	for _, s := range []string{"short", strings.Repeat("x", MaxWebhookSecret+1), "sixteen bytes with spaces", "0123456789abcdef\n", "0123456789abcdé"} {
		if CheckSecret(s) == nil {
			t.Errorf("accepted secret %q", s)
		}
	}
	if _, err := ParseAlertEvents([]string{"srm", " SLA-breach ", "srm"}); err != nil {
		t.Error(err)
	}
	if _, err := ParseAlertEvents([]string{"srm", "\x1b[2J"}); err == nil {
		t.Error("accepted an escape sequence as an alert")
	}
}

// Ensure that retries back off exponentially from one second up to the
// ceiling.
func TestAlertRetryAfter(t *testing.T) {
	want := []time.Duration{0, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for n, w := range want {
		if got := AlertRetryAfter(n); got != w {
			t.Errorf("AlertRetryAfter(%d) = %s, want %s", n, got, w)
		}
	}
	if got := AlertRetryAfter(1 << 30); got != AlertRetryCeiling {
		t.Errorf("AlertRetryAfter(huge) = %s", got)
	}
}

// Ensure that admins, and only they, are told of a failing webhook and of
// dropped alerts, with the URL shortened.
func TestWebhookInbox(t *testing.T) {
	hooks := []Webhook{
		{ID: 1, URL: "https://hooks.slack.com/services/T0/B0/XYZ", Delivery: WebhookStatus{FailingSince: alertNow, LastStatus: 500, Queued: 3}},
		{ID: 2, URL: "https://ok.example/in", Delivery: WebhookStatus{Delivered: alertNow}},
		{ID: 3, URL: "https://ok.example/in", Delivery: WebhookStatus{Dropped: 4}},
	}
	if items := WebhookInbox(Identity{Name: "mo", Role: RoleMOps}, hooks); len(items) != 0 {
		t.Errorf("a mops person sees %+v", items)
	}
	items := WebhookInbox(Identity{Name: "ad", Role: RoleAdmin}, hooks)
	if len(items) != 2 || !items[0].Urgent || !strings.Contains(items[0].Text, "webhook 1 failing since Nov 10 12:00 UTC (HTTP 500), 3 queued, retried with backoff: https://hooks.slack.com/services/…") ||
		!strings.Contains(items[1].Text, "dropped its 4 oldest alerts") || strings.Contains(items[0].Text, "XYZ") {
		t.Errorf("items = %+v", items)
	}
}

// BenchmarkAlerts derives the alerts of a workspace with 100 running
// experiments and 1,000 pending reviews: what the holder does after every
// write while a webhook is subscribed.
func BenchmarkAlerts(b *testing.B) {
	s := alertWorkspace()
	s.Experiments, s.Totals, s.Reviews = nil, map[string]map[string]VariantTotals{}, nil
	for i := range 100 {
		e := twoArms()
		e.Key = fmt.Sprintf("e%d", i)
		s.Experiments = append(s.Experiments, e)
		s.Totals[e.Key] = totals2(10000+uint64(i), 400, 10000, 420+uint64(i))
	}
	for i := range 1000 {
		s.Reviews = append(s.Reviews, Review{BriefID: uint64(i + 1), FlowID: 1, Round: 1, StageStarted: alertNow.Add(-time.Duration(i) * time.Minute), Status: ReviewPending})
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = len(Alerts(s, alertNow))
	}
	b.ReportMetric(float64(n), "alerts")
}

// FuzzWebhookURL checks that any URL accepted as a webhook is shown
// without its query, credentials or path past the first segment, and
// that neither check panics on any input.
func FuzzWebhookURL(f *testing.F) {
	for _, s := range []string{"https://hooks.slack.com/services/T0/B0/XYZ", "http://127.0.0.1:8080/hook?token=1", "https://u:p@h/x", "http://[::1]:80/a/b", "https://h/%2F/x", "http://0/@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		shown := RedactURL(raw)
		if CheckWebhookURL(raw) != nil {
			return
		}
		if strings.ContainsAny(shown, "?@#") {
			t.Errorf("RedactURL(%q) = %q keeps a query, credentials or a fragment", raw, shown)
		}
		_, path, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(shown, "https://"), "http://"), "/")
		if strings.Count(strings.TrimSuffix(path, "/…"), "/") > 0 {
			t.Errorf("RedactURL(%q) = %q keeps more than the first path segment", raw, shown)
		}
	})
}
