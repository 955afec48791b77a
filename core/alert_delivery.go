package core

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// QueuedAlert is an alert waiting to be delivered to one webhook.
type QueuedAlert struct {
	Webhook uint64 `json:"webhook"`
	// Seq orders a webhook's queue and, with Webhook, names the delivery
	// to its receiver (see DeliveryID), the same on every retry.
	Seq      uint64    `json:"seq"`
	Alert    Alert     `json:"alert"`
	Queued   time.Time `json:"queued"`
	Attempts int       `json:"attempts"`
}

// DeliveryID names q to its receiver, which can drop a retry it already
// took: "WEBHOOK-SEQ".
func (q QueuedAlert) DeliveryID() string { return fmt.Sprintf("%d-%d", q.Webhook, q.Seq) }

// The outcomes a delivery log entry records.
const (
	OutcomeDelivered = "delivered"
	OutcomeFailed    = "failed"
	// OutcomeDropped: the queue was full and the oldest alert was dropped
	// unsent.
	OutcomeDropped = "dropped"
)

// DeliveryAttempt is one line of the delivery log: an attempt to deliver
// an alert and how it went, or an alert dropped from a full queue.
type DeliveryAttempt struct {
	Seq      uint64     `json:"seq"`
	Webhook  uint64     `json:"webhook"`
	Delivery string     `json:"delivery"`
	Event    AlertEvent `json:"event"`
	Key      string     `json:"key"`
	Time     time.Time  `json:"time"`
	Outcome  string     `json:"outcome"`
	Attempt  int        `json:"attempt"`
	// Status is the HTTP status the receiver answered, 0 when none.
	Status     int    `json:"status,omitempty"`
	Error      string `json:"error,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

// alertJSON is the body a json-format webhook receives.
type alertJSON struct {
	Delivery  string     `json:"delivery"`
	Workspace string     `json:"workspace"`
	Event     AlertEvent `json:"event"`
	Key       string     `json:"key"`
	Subject   string     `json:"subject"`
	Text      string     `json:"text"`
	Time      time.Time  `json:"time"`
	To        string     `json:"to,omitempty"`
}

// AlertBody is the JSON body q is posted with in format, from workspace:
// tandem's fields, or Slack's {"text": …} with Slack's markup characters
// escaped so that a brief's title cannot mention @channel or link away.
// Control and invisible characters are escaped either way.
func AlertBody(format WebhookFormat, workspace string, q QueuedAlert) ([]byte, error) {
	var v any
	switch format {
	case FormatSlack:
		text := fmt.Sprintf("tandem %s (%s): %s", q.Alert.Event, workspace, q.Alert.Text)
		v = struct {
			Text string `json:"text"`
		}{slackEscaper.Replace(text)}
	default:
		a := q.Alert
		v = alertJSON{Delivery: q.DeliveryID(), Workspace: workspace, Event: a.Event, Key: a.Key, Subject: a.Subject, Text: a.Text, Time: a.Time.UTC().Truncate(time.Second), To: a.To}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode alert %s: %w", q.DeliveryID(), err)
	}
	return AppendSafeJSON(nil, b), nil
}

// slackEscaper escapes what Slack reads as markup, as its docs ask.
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// SignAlert is the X-Tandem-Signature of body sent at timestamp (Unix
// seconds) under secret: "sha256=" and the hex HMAC-SHA256 of the
// timestamp, a dot and the body. Signing the timestamp with the body lets
// a receiver refuse a replay of an old delivery.
func SignAlert(secret []byte, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(strconv.AppendInt(nil, timestamp, 10))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// AlertRetryAfter is how long to wait after the nth failure in a row (from
// 1) before trying again: 2^(n-1) seconds, at most AlertRetryCeiling.
func AlertRetryAfter(n int) time.Duration {
	if n < 1 {
		return 0
	}
	if n > 12 {
		return AlertRetryCeiling
	}
	return min(time.Duration(1<<(n-1))*time.Second, AlertRetryCeiling)
}

// AlertRetryCeiling is the longest wait between attempts.
const AlertRetryCeiling = 10 * time.Minute
