package core

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core/stats"
)

// AlertEvent is a kind of alert a webhook may subscribe to.
type AlertEvent string

// The alerts. SRM and SLA breaches are conditions, sent while they hold;
// decisions and assignments are happenings, sent when they happen.
const (
	AlertSRM            AlertEvent = "srm"
	AlertSLABreach      AlertEvent = "sla-breach"
	AlertDecision       AlertEvent = "decision"
	AlertReviewAssigned AlertEvent = "review-assigned"
)

// alertEvents lists every alert, in the order help names them.
var alertEvents = []AlertEvent{AlertSLABreach, AlertSRM, AlertDecision, AlertReviewAssigned}

// maxAlertKey bounds an alert's key, which names an experiment or a
// review's round, stage and approver.
const maxAlertKey = 256

// FiredKeepFor is how long a webhook remembers an alert it fired after
// the alert's condition has cleared: one that clears and comes back
// within it (an SRM p-value hovering at the threshold) is not sent again.
const FiredKeepFor = 7 * 24 * time.Hour

// Valid reports whether e is a known alert.
func (e AlertEvent) Valid() bool { return slices.Contains(alertEvents, e) }

// Happening reports whether e is something that happens once (a
// decision, an assignment) rather than a condition that holds: a new
// webhook is not sent the happenings from before it.
func (e AlertEvent) Happening() bool { return e == AlertDecision || e == AlertReviewAssigned }

func alertEventNames() string {
	names := make([]string, len(alertEvents))
	for i, e := range alertEvents {
		names[i] = string(e)
	}
	return strings.Join(names, ", ")
}

// ParseAlertEvents reads the comma-separated alert names a person gives,
// each once.
func ParseAlertEvents(names []string) ([]AlertEvent, error) {
	var out []AlertEvent
	for _, n := range names {
		e := AlertEvent(strings.ToLower(strings.TrimSpace(n)))
		if !e.Valid() {
			return nil, &FieldError{Record: "webhook", Field: "on", Problem: fmt.Sprintf("%q is not an alert: use %s", n, alertEventNames())}
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out, nil
}

// Alert is one thing a webhook is told.
type Alert struct {
	Event AlertEvent `json:"event"`
	// Key names the alert: the same condition or happening always has
	// the same key, so each webhook sends it once.
	Key string `json:"key"`
	// Subject is the record it is about, such as experiment/KEY or
	// brief/ID.
	Subject string `json:"subject"`
	Text    string `json:"text"`
	// Time is when it happened or, for a condition, when it was found.
	Time time.Time `json:"time"`
	// To names who a review waits on, for review-assigned.
	To string `json:"to,omitempty"`
}

// Alerts derives every alert that holds in s at now: experiments with a
// sample-ratio mismatch, declared winners, reviews past their stage's SLA,
// and each approver a pending review waits on.
func Alerts(s Snapshot, now time.Time) []Alert {
	var out []Alert
	for _, e := range s.Experiments {
		a := Analyze(e, s.Totals[e.Key], now, s.Guards)
		subject := "experiment/" + e.Key
		if a.SRMP < stats.SRMThreshold {
			out = append(out, Alert{Event: AlertSRM, Key: "srm/" + e.Key, Subject: subject, Time: now,
				Text: fmt.Sprintf("%s has a sample-ratio mismatch (p = %.2g): check assignment and logging; it counts as no evidence until fixed", e.Name, a.SRMP)})
		}
		if e.Winner != "" {
			text := fmt.Sprintf("%s: %s was declared the winner", e.Name, e.Winner)
			if e.Override != "" {
				text += " over the analysis: " + e.Override
			}
			out = append(out, Alert{Event: AlertDecision, Key: "decision/" + e.Key + "/" + e.Winner, Subject: subject, Time: e.Decided, Text: text})
		}
	}
	flows := make(map[uint64]ApprovalFlow, len(s.Flows))
	for _, f := range s.Flows {
		flows[f.ID] = f
	}
	briefs := s.ByID()
	for _, r := range s.Reviews {
		fl, ok := flows[r.FlowID]
		if r.Status != ReviewPending || !ok || r.Stage >= len(fl.Stages) {
			continue
		}
		stage := fl.Stages[r.Stage].Name
		at := fmt.Sprintf("brief/%d/round/%d/stage/%d", r.BriefID, r.Round, r.Stage)
		title := briefs[r.BriefID].Title
		if sla := SLAOf(r, fl, s.Hours, now); sla.Risk == RiskBreached {
			out = append(out, Alert{Event: AlertSLABreach, Key: "sla-breach/" + at, Subject: fmt.Sprintf("brief/%d", r.BriefID), Time: sla.Due,
				Text: fmt.Sprintf("review #%d %s (%s, round %d) is past its SLA, due %s, waiting on %s", r.BriefID, title, stage, r.Round, sla.Due.UTC().Format(time.RFC3339), strings.Join(r.Waiting(fl), ", "))})
		}
		for _, name := range r.Waiting(fl) {
			out = append(out, Alert{Event: AlertReviewAssigned, Key: "review-assigned/" + at + "/" + name, Subject: fmt.Sprintf("brief/%d", r.BriefID), Time: r.Updated, To: name,
				Text: fmt.Sprintf("review #%d %s (%s, round %d) waits on %s", r.BriefID, title, stage, r.Round, name)})
		}
	}
	return out
}

// Due returns the alerts w wants that it has not fired, and w's fired
// keys as they should be after queueing them: with theirs added at now,
// and without those whose alert no longer holds and that fired more than
// FiredKeepFor ago.
func (w Webhook) Due(alerts []Alert, now time.Time) ([]Alert, map[string]time.Time) {
	fired := maps.Clone(w.Fired)
	if fired == nil {
		fired = map[string]time.Time{}
	}
	active := make(map[string]bool, len(alerts))
	var due []Alert
	for _, a := range alerts {
		if !w.Wants(a.Event) || len(a.Key) > maxAlertKey {
			continue
		}
		active[a.Key] = true
		if _, ok := fired[a.Key]; !ok {
			fired[a.Key] = now
			due = append(due, a)
		}
	}
	for k, t := range fired {
		if !active[k] && now.Sub(t) > FiredKeepFor {
			delete(fired, k)
		}
	}
	return due, fired
}

// Baseline returns the keys of the happenings among alerts that w wants,
// each at now: what a new webhook starts from, so it is told what happens
// after it was added, and every condition that holds.
func (w Webhook) Baseline(alerts []Alert, now time.Time) map[string]time.Time {
	out := map[string]time.Time{}
	for _, a := range alerts {
		if a.Event.Happening() && w.Wants(a.Event) && len(a.Key) <= maxAlertKey {
			out[a.Key] = now
		}
	}
	return out
}
