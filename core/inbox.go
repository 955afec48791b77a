package core

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// InboxItem is something that needs a person's attention.
type InboxItem struct {
	Kind    string `json:"kind"` // assigned, approval, experiment, webhook, run
	Subject string `json:"subject"`
	Text    string `json:"text"`
	// Urgent items (a breached or nearly due SLA, a broken experiment) sort
	// first and are marked.
	Urgent bool `json:"urgent"`
}

// Inbox lists what needs who: open briefs they own, reviews waiting on them
// (SLA breached or due within four working hours first), and, for those who
// can declare winners, experiments whose rule named a winner under their
// guards (never a mere leader) and those with a sample-ratio mismatch or a
// data error, which count as no evidence until fixed, declared ones
// included.
func Inbox(who Identity, briefs []Brief, queue []QueueEntry, analyses []Analysis, now time.Time) []InboxItem {
	var out []InboxItem
	for _, e := range queue {
		if !slices.Contains(e.Waiting, who.Name) {
			continue
		}
		out = append(out, InboxItem{Kind: "approval", Subject: fmt.Sprintf("brief/%d", e.Brief.ID),
			Text:   fmt.Sprintf("review #%d %s (%s, round %d): %s", e.Brief.ID, e.Brief.Title, e.Stage, e.Review.Round, e.SLA),
			Urgent: e.SLA.Risk != RiskOnTrack})
	}
	if Can(who.Role, ActionDeclareWinner) {
		for _, a := range analyses {
			subject := "experiment/" + a.Experiment.Key
			switch a.Status {
			case StatusWinner:
				out = append(out, InboxItem{Kind: "experiment", Subject: subject, Text: winnerPrompt(a)})
			case StatusGuardrail:
				out = append(out, InboxItem{Kind: "experiment", Subject: subject,
					Text: fmt.Sprintf("%s: %s beat the control, but a guardrail moved the wrong way, so there is no winner; see `x`", a.Experiment.Name, strings.Join(a.Blocked, ", "))})
			case StatusSRM:
				out = append(out, InboxItem{Kind: "experiment", Subject: subject, Urgent: true,
					Text: fmt.Sprintf("%s has a sample-ratio mismatch: check assignment and logging", a.Experiment.Name)})
			case StatusVoid:
				out = append(out, InboxItem{Kind: "experiment", Subject: subject, Urgent: true,
					Text: fmt.Sprintf("%s: the declared winner %s no longer holds (%s since); briefs no longer see it", a.Experiment.Name, a.Experiment.Winner, a.VoidedBy())})
			case StatusDataError:
				out = append(out, InboxItem{Kind: "experiment", Subject: subject, Urgent: true,
					Text: fmt.Sprintf("%s has a data error and counts as no evidence: %s", a.Experiment.Name, a.Problems[0])})
			}
		}
	}
	for _, b := range briefs {
		if !SameName(b.Owner, who.Name) || b.Stage >= StageLive {
			continue
		}
		text := fmt.Sprintf("#%d %s is yours (%s)", b.ID, b.Title, b.Stage)
		if !b.Due.IsZero() {
			text += ", due " + b.Due.Format("Jan 2")
		}
		out = append(out, InboxItem{Kind: "assigned", Subject: fmt.Sprintf("brief/%d", b.ID), Text: text, Urgent: b.Late(now)})
	}
	slices.SortStableFunc(out, func(a, b InboxItem) int {
		if a.Urgent != b.Urgent {
			if a.Urgent {
				return -1
			}
			return 1
		}
		return 0
	})
	return out
}

// winnerPrompt asks to declare what a's rule decided, with the lift and
// interval the rule read, so the person declaring sees what holds.
func winnerPrompt(a Analysis) string {
	if len(a.Winners) == 0 && len(a.Arms) > 0 && a.Leader == a.Arms[0].Variant.Key {
		return fmt.Sprintf("%s: every treatment loses to the control under the %s rule; declare the control so new briefs see it", a.Experiment.Name, a.Policy.Rule)
	}
	for _, arm := range a.Arms {
		if arm.Variant.Key == a.Leader && arm.Lift != nil {
			l := arm.Lift
			return fmt.Sprintf("%s has a winner (%s, %+.1f%% [%+.1f, %+.1f] under the %s rule): declare it so new briefs see it",
				a.Experiment.Name, a.Leader, 100*l.Estimate, 100*l.CI.Low, 100*l.CI.High, a.Policy.Rule)
		}
	}
	return fmt.Sprintf("%s has a winner (%s): declare it so new briefs see it", a.Experiment.Name, a.Leader)
}

// WebhookInbox lists, for those who administer the workspace, the
// webhooks whose last delivery failed and those that dropped alerts from
// a full queue: nobody else is told when alerts stop going out.
func WebhookInbox(who Identity, hooks []Webhook) []InboxItem {
	if !Can(who.Role, ActionAdminister) {
		return nil
	}
	var out []InboxItem
	for _, w := range hooks {
		subject := fmt.Sprintf("webhook/%d", w.ID)
		s := w.Delivery
		if w.Failing() {
			why := s.LastError
			if s.LastStatus != 0 {
				why = fmt.Sprintf("HTTP %d", s.LastStatus)
			}
			out = append(out, InboxItem{Kind: "webhook", Subject: subject, Urgent: true,
				Text: fmt.Sprintf("webhook %d failing since %s (%s), %d queued, retried with backoff: %s; see `tandem notify log`", w.ID, s.FailingSince.UTC().Format("Jan 2 15:04 MST"), why, s.Queued, RedactURL(w.URL))})
		}
		if s.Dropped > 0 {
			out = append(out, InboxItem{Kind: "webhook", Subject: subject, Urgent: true,
				Text: fmt.Sprintf("webhook %d dropped its %d oldest alerts (its queue holds %d): %s; see `tandem notify log`", w.ID, s.Dropped, WebhookQueueLimit, RedactURL(w.URL))})
		}
	}
	return out
}

// RunInbox lists, for those who may edit experiments, the runs whose
// copy people approved and whose experiment is still to start: an
// approver who may not start experiments leaves the run to them.
func RunInbox(who Identity, runs []Run) []InboxItem {
	if !Can(who.Role, ActionEditExperiment) {
		return nil
	}
	var out []InboxItem
	for _, r := range runs {
		if !r.ReadyToStart() {
			continue
		}
		// Short enough that the command fits an 80-column inbox.
		text := fmt.Sprintf("#%d approved, ready to start: `tandem run --brief %d --resume`", r.BriefID, r.BriefID)
		if r.Status == RunFailed {
			text += "; it stopped: " + r.Reason
		}
		out = append(out, InboxItem{Kind: "run", Subject: fmt.Sprintf("brief/%d", r.BriefID), Text: text})
	}
	return out
}
