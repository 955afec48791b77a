package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
)

// notifyCommand is `tandem notify`: webhooks the holder posts alerts to.
// Admins only, over SSH too: a webhook makes the server dial a URL of the
// admin's choosing, and admins are those who run the server.
func notifyCommand(env *Env) *cobra.Command {
	return group("notify", "Post alerts (SLA breaches, SRMs, decisions, assignments) to webhooks",
		needs(core.ActionAdminister, notifyAddCommand(env)),
		needs(core.ActionAdminister, notifyListCommand(env)),
		needs(core.ActionAdminister, notifyRemoveCommand(env)),
		needs(core.ActionAdminister, notifyLogCommand(env)))
}

func notifyAddCommand(env *Env) *cobra.Command {
	var (
		w      core.Webhook
		on     []string
		secret string
		format string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "add --webhook URL --on sla-breach,srm,decision,review-assigned [--secret S] [--format json|slack] [--json]",
		Short: "Post alerts to a webhook, signed with HMAC-SHA256 when given a secret",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			events, err := core.ParseAlertEvents(on)
			if err != nil {
				return err
			}
			w.Events, w.Format = events, core.WebhookFormat(strings.ToLower(format))
			if secret == "-" {
				if secret, err = readSecret(cmd.Context(), env.In); err != nil {
					return err
				}
			}
			if cmd.Flags().Changed("secret") && secret == "" {
				// An unset variable or a failed pipe must not quietly make
				// an unsigned webhook.
				return usageErrorf("--secret is empty; give 16 to 256 printable bytes, or leave --secret out for an unsigned webhook")
			}
			added, err := env.Backend.AddWebhook(cmd.Context(), env.Identity, w, secret, env.Now())
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, shownWebhook(added))
			}
			signed := "unsigned"
			if added.Signed {
				signed = "signed"
			}
			_, err = fmt.Fprintf(env.Out, "added webhook %d: %s alerts to %s (%s, %s); they go out while a cockpit or `tandem serve` holds the workspace\n",
				added.ID, eventList(added.Events), core.RedactURL(added.URL), added.Format, signed)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&w.URL, "webhook", "", "the http or https URL to post to")
	fl.StringSliceVar(&on, "on", nil, "the alerts to send: sla-breach, srm, decision, review-assigned")
	fl.StringVar(&secret, "secret", "", "sign each post with this secret (16 to 256 printable bytes); - reads it from stdin, which keeps it out of shell history and ps")
	fl.StringVar(&format, "format", string(core.FormatJSON), "json (tandem's fields) or slack ({\"text\": …})")
	fl.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// readSecret reads a secret from the first line of in, so that it is in
// neither the shell's history nor the process list, until ctx ends.
func readSecret(ctx context.Context, in io.Reader) (string, error) {
	if in == nil {
		return "", usageErrorf("--secret - reads the secret from stdin, which is empty")
	}
	in = &contextReader{ctx: ctx, r: in}
	line, err := bufio.NewReader(io.LimitReader(in, core.MaxWebhookSecret+2)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read the secret from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func notifyListCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "The webhooks and how their deliveries stand (URLs shortened, secrets never shown)",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			hooks, err := env.Backend.Webhooks(cmd.Context(), env.Identity)
			if err != nil {
				return err
			}
			shown := make([]core.Webhook, len(hooks))
			for i, h := range hooks {
				shown[i] = shownWebhook(h)
			}
			if asJSON {
				return writeJSON(env.Out, shown)
			}
			rows := make([][]string, len(shown))
			for i, h := range shown {
				rows[i] = []string{strconv.FormatUint(h.ID, 10), h.URL, eventList(h.Events), string(h.Format), yesNo(h.Signed), deliveryState(h),
					strconv.Itoa(h.Delivery.Queued), strconv.Itoa(h.Delivery.Dropped)}
			}
			return table(env.Out, []string{"ID", "URL", "ON", "FORMAT", "SIGNED", "STATE", "QUEUED", "DROPPED"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// shownWebhook is w as it may be shown: its URL shortened (a token may be
// in its path) and without the keys of the alerts it fired.
func shownWebhook(w core.Webhook) core.Webhook {
	w.URL, w.Fired = core.RedactURL(w.URL), nil
	return w
}

func eventList(events []core.AlertEvent) string {
	names := make([]string, len(events))
	for i, e := range events {
		names[i] = string(e)
	}
	return strings.Join(names, ",")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// deliveryState says in words how a webhook's deliveries stand.
func deliveryState(h core.Webhook) string {
	s := h.Delivery
	switch {
	case h.Failing():
		why := s.LastError
		if s.LastStatus != 0 {
			why = "HTTP " + strconv.Itoa(s.LastStatus)
		}
		return fmt.Sprintf("✗ failing since %s (%s), next try %s", stamp(s.FailingSince), why, stamp(s.NextAttempt))
	case !s.Delivered.IsZero():
		return "✓ delivered " + stamp(s.Delivered)
	}
	return "nothing sent yet"
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

func notifyRemoveCommand(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "remove ID",
		Short: "Stop posting to a webhook; its queue and secret are deleted",
		Args:  exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseWebhookID(args[0])
			if err != nil {
				return err
			}
			if err := env.Backend.RemoveWebhook(cmd.Context(), env.Identity, id); err != nil {
				return err
			}
			_, err = fmt.Fprintf(env.Out, "removed webhook %d\n", id)
			return err
		},
	}
}

func parseWebhookID(s string) (uint64, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 {
		return 0, usageErrorf("%q is not a webhook ID; use the number from `tandem notify list`", s)
	}
	return id, nil
}

func notifyLogCommand(env *Env) *cobra.Command {
	var (
		webhook string
		limit   int
		asJSON  bool
	)
	cmd := &cobra.Command{
		Use:   "log [--id ID] [--limit N] [--json]",
		Short: "The latest delivery attempts: delivered, failed and why, or dropped from a full queue",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var id uint64
			if webhook != "" {
				var err error
				if id, err = parseWebhookID(webhook); err != nil {
					return err
				}
			}
			if limit < 1 {
				return usageErrorf("--limit %d: give a number of lines from 1", limit)
			}
			log, err := env.Backend.DeliveryLog(cmd.Context(), env.Identity, id)
			if err != nil {
				return err
			}
			log = log[max(len(log)-limit, 0):]
			if asJSON {
				return writeJSON(env.Out, orEmpty(log))
			}
			rows := make([][]string, len(log))
			for i, a := range log {
				status := ""
				if a.Status != 0 {
					status = strconv.Itoa(a.Status)
				}
				rows[i] = []string{stamp(a.Time), strconv.FormatUint(a.Webhook, 10), a.Delivery, string(a.Event), a.Outcome, strconv.Itoa(a.Attempt), status, a.Error}
			}
			return table(env.Out, []string{"TIME", "WEBHOOK", "DELIVERY", "EVENT", "OUTCOME", "ATTEMPT", "HTTP", "WHY"}, rows)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&webhook, "id", "", "only this webhook's")
	fl.IntVar(&limit, "limit", 50, "the latest N lines")
	fl.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
