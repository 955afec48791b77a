package core

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Limits on a webhook, so that a subscription stays a small record and a
// URL fits a log line.
const (
	MaxWebhookURL    = 2048
	MaxWebhookSecret = 256
	// MinWebhookSecret is the shortest secret accepted: a signature keyed
	// by a few guessable bytes proves nothing.
	MinWebhookSecret = 16
	// WebhookQueueLimit is how many alerts wait for one webhook at most;
	// past it the oldest is dropped, and the drop is logged.
	WebhookQueueLimit = 1000
)

// WebhookFormat is the body a webhook receives.
type WebhookFormat string

// The formats: tandem's JSON, or Slack's incoming-webhook {"text": …}.
const (
	FormatJSON  WebhookFormat = "json"
	FormatSlack WebhookFormat = "slack"
)

// Webhook is a subscription: the alerts it wants, where they are posted,
// and how its deliveries stand. Its secret is kept apart (see the store)
// and never in this record, so listing or exporting it never shows it.
type Webhook struct {
	ID      uint64        `json:"id"`
	URL     string        `json:"url"`
	Events  []AlertEvent  `json:"events"`
	Format  WebhookFormat `json:"format"`
	Signed  bool          `json:"signed"`
	Author  string        `json:"author"`
	Created time.Time     `json:"created"`
	// Fired holds, by event key, when each alert was queued for this
	// webhook, so each fires once (see FiredKeepFor).
	Fired map[string]time.Time `json:"fired,omitempty"`
	// Delivery is how its deliveries stand.
	Delivery WebhookStatus `json:"delivery"`
}

// WebhookStatus is how a webhook's deliveries stand.
type WebhookStatus struct {
	// Queued is how many alerts wait; Dropped how many were dropped,
	// oldest first, because the queue was full.
	Queued  int `json:"queued"`
	Dropped int `json:"dropped"`
	// Delivered is when the last alert was delivered.
	Delivered time.Time `json:"delivered,omitzero"`
	// FailingSince is when the first of the failures in a row began, zero
	// when the last attempt succeeded; Failures counts them.
	FailingSince time.Time `json:"failing_since,omitzero"`
	Failures     int       `json:"failures"`
	// LastError and LastStatus are the last failure's reason and HTTP
	// status (0 when none came back).
	LastError  string `json:"last_error,omitempty"`
	LastStatus int    `json:"last_status,omitempty"`
	// NextAttempt is when the head of the queue is tried again.
	NextAttempt time.Time `json:"next_attempt,omitzero"`
}

// Failing reports whether the last attempt failed.
func (w Webhook) Failing() bool { return !w.Delivery.FailingSince.IsZero() }

// Wants reports whether w subscribes to event.
func (w Webhook) Wants(event AlertEvent) bool { return slices.Contains(w.Events, event) }

// Validate checks a webhook's fields.
func (w Webhook) Validate() error {
	f := &fieldErrors{record: "webhook"}
	if err := CheckWebhookURL(w.URL); err != nil {
		f.add("url (--webhook)", "%s", err)
	}
	if len(w.Events) == 0 {
		f.add("on", "is required: name one or more of %s", alertEventNames())
	}
	for _, e := range w.Events {
		if !e.Valid() {
			f.add("on", "%q is not an alert: use %s", e, alertEventNames())
		}
	}
	if w.Format != FormatJSON && w.Format != FormatSlack {
		f.add("format", "%q is not a format: use json or slack", w.Format)
	}
	for k := range w.Fired {
		if len(k) > maxAlertKey {
			f.add("fired", "an alert key is %d bytes long; at most %d are allowed", len(k), maxAlertKey)
			break
		}
	}
	if s := w.Delivery; s.Queued < 0 || s.Queued > WebhookQueueLimit || s.Dropped < 0 || s.Failures < 0 || s.LastStatus < 0 || s.LastStatus > 999 {
		f.add("delivery", "holds counts out of range")
	}
	return f.err()
}

// CheckSecret checks a webhook's signing secret: printable ASCII, from
// MinWebhookSecret to MaxWebhookSecret bytes.
func CheckSecret(s string) error {
	if len(s) < MinWebhookSecret || len(s) > MaxWebhookSecret {
		return &FieldError{Record: "webhook", Field: "secret", Problem: fmt.Sprintf("is %d bytes long; use %d to %d (e.g. `openssl rand -hex 32`)", len(s), MinWebhookSecret, MaxWebhookSecret)}
	}
	for _, r := range s {
		if r <= ' ' || r > '~' {
			return &FieldError{Record: "webhook", Field: "secret", Problem: "may hold only printable ASCII without spaces"}
		}
	}
	return nil
}

// CheckWebhookURL checks where a webhook posts: an absolute http or https
// URL with a host, without credentials (a secret goes in --secret, where
// it is never printed) or a fragment, in printable ASCII.
func CheckWebhookURL(raw string) error {
	if raw == "" {
		return fmt.Errorf("is required: an http or https URL")
	}
	if len(raw) > MaxWebhookURL {
		return fmt.Errorf("is %d bytes long; at most %d are allowed", len(raw), MaxWebhookURL)
	}
	for _, r := range raw {
		if r <= ' ' || r > '~' {
			return fmt.Errorf("may hold only printable ASCII (percent-encode the rest)")
		}
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("is not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("must start with http:// or https://")
	case u.Host == "" || u.Hostname() == "":
		return fmt.Errorf("names no host")
	case u.User != nil:
		return fmt.Errorf("holds credentials; pass a signing secret with --secret instead")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return fmt.Errorf("has a fragment, which is never sent")
	}
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil && !WebhookAddrAllowed(ip) {
		return fmt.Errorf("points at %s, a link-local, metadata-service, multicast or unspecified address; give the receiver's routable address or name", ip)
	}
	return nil
}

// metadataAddrs are the cloud instance-metadata services outside the
// link-local range: AWS's over IPv6 and Alibaba Cloud's.
var metadataAddrs = []netip.Addr{netip.MustParseAddr("fd00:ec2::254"), netip.MustParseAddr("100.100.100.200")}

// WebhookAddrAllowed says whether an alert may be posted to ip. Link-local
// addresses (where clouds serve instance metadata and credentials, at
// 169.254.169.254), the metadata services elsewhere, multicast and
// unspecified ones are refused; loopback and private networks are where
// an on-premises receiver lives, so they are allowed.
func WebhookAddrAllowed(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	return ip.IsValid() && !ip.IsLinkLocalUnicast() && !ip.IsLinkLocalMulticast() &&
		!ip.IsInterfaceLocalMulticast() && !ip.IsMulticast() && !ip.IsUnspecified() && !slices.Contains(metadataAddrs, ip)
}

// RedactURL is a webhook URL as it may be shown: scheme, host and the
// first path segment. Services such as Slack put the token in the rest of
// the path or the query, so those never reach a screen or a log.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(unreadable URL)"
	}
	out := u.Scheme + "://" + u.Host
	first, rest, _ := strings.Cut(strings.TrimPrefix(u.EscapedPath(), "/"), "/")
	if strings.ContainsAny(first, "@?#") {
		// A segment that reads like credentials or a query is not shown.
		first, rest = "…", ""
	}
	if first != "" {
		out += "/" + first
	}
	if rest != "" || u.RawQuery != "" {
		out += "/…"
	}
	return out
}
