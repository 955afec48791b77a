package backend

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// Bounds on one delivery: a receiver that hangs or talks too much costs
// the holder little.
const (
	alertTimeout     = 10 * time.Second
	alertDialTimeout = 5 * time.Second
	// alertReadLimit is how much of a receiver's answer is read before
	// the connection is closed.
	alertReadLimit = 64 << 10
	// maxAlertError bounds the reason a failure is logged with.
	maxAlertError = 200
)

// The headers a delivery carries besides its body.
const (
	HeaderEvent     = "X-Tandem-Event"
	HeaderDelivery  = "X-Tandem-Delivery"
	HeaderTimestamp = "X-Tandem-Timestamp"
	HeaderSignature = "X-Tandem-Signature"
)

// errNoRedirects refuses every redirect: a receiver cannot send the
// holder, with its signed alert, anywhere else.
var errNoRedirects = errors.New("redirects are not followed")

// AlertClient is the HTTP client alerts are posted with: bounded dial,
// TLS handshake, headers and whole request; no proxy from the
// environment; no redirects followed.
func AlertClient() *http.Client {
	return &http.Client{
		Timeout: alertTimeout,
		Transport: &http.Transport{
			DialContext:           (&net.Dialer{Timeout: alertDialTimeout, Control: refuseAddr}).DialContext,
			TLSHandshakeTimeout:   alertDialTimeout,
			ResponseHeaderTimeout: alertTimeout,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       time.Minute,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// refuseAddr checks each address the alert client connects to, after
// its name was resolved: a webhook whose name resolves to a link-local
// address (a cloud's metadata service) posts nothing there.
func refuseAddr(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("connect to %q: %w", address, err)
	}
	if !core.WebhookAddrAllowed(ap.Addr()) {
		return fmt.Errorf("the receiver's name resolves to %s, a link-local, metadata-service, multicast or unspecified address; alerts are not posted there", ap.Addr())
	}
	return nil
}

// postAlert posts q to h once and says how it went. The reason of a
// failure never holds h's URL, whose path may be a token.
func postAlert(ctx context.Context, client *http.Client, h core.Webhook, secret []byte, workspace string, q core.QueuedAlert, now func() time.Time) core.DeliveryAttempt {
	start := time.Now()
	a := core.DeliveryAttempt{Outcome: core.OutcomeFailed}
	defer func() { a.DurationMS = time.Since(start).Milliseconds() }()
	if h.Signed && len(secret) == 0 {
		a.Error = "its secret is not in this workspace (exports hold none): remove the webhook and add it again with --secret"
		return a
	}
	body, err := core.AlertBody(h.Format, workspace, q)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		a.Error = "the URL does not make a request"
		return a
	}
	ts := now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "tandem-alerts")
	req.Header.Set(HeaderEvent, string(q.Alert.Event))
	req.Header.Set(HeaderDelivery, q.DeliveryID())
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	if len(secret) > 0 {
		req.Header.Set(HeaderSignature, core.SignAlert(secret, ts, body))
	}
	resp, err := client.Do(req)
	if err != nil {
		a.Error = postError(err)
		return a
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, alertReadLimit))
	_ = resp.Body.Close()
	a.Status = resp.StatusCode
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		a.Outcome = core.OutcomeDelivered
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		a.Error = fmt.Sprintf("answered a redirect (HTTP %d): %v; give the final URL", resp.StatusCode, errNoRedirects)
	default:
		a.Error = fmt.Sprintf("answered HTTP %d", resp.StatusCode)
	}
	return a
}

// postError says why a request failed without the URL it went to.
func postError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return fmt.Sprintf("no answer within %s", alertTimeout)
		}
		err = ue.Err
	}
	msg := err.Error()
	if len(msg) > maxAlertError {
		msg = strings.ToValidUTF8(msg[:maxAlertError], "") + "…"
	}
	return msg
}
