package core

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// ReviewStatus is where a brief's review stands.
type ReviewStatus string

// The review statuses.
const (
	ReviewPending          ReviewStatus = "pending"
	ReviewChangesRequested ReviewStatus = "changes requested"
	ReviewApproved         ReviewStatus = "approved"
	ReviewRejected         ReviewStatus = "rejected"
)

// RoundCopy is the copy submitted for one revision round.
type RoundCopy struct {
	Round     int       `json:"round"`
	Copy      string    `json:"copy"`
	By        string    `json:"by"`
	Submitted time.Time `json:"submitted"`
	// ChangesRequested is the comment of the request for changes that
	// ended this round, and RequestedBy who made it.
	ChangesRequested string `json:"changes_requested,omitempty"`
	RequestedBy      string `json:"requested_by,omitempty"`
}

// Review is a brief going through its approval flow: the round, the stage
// it waits at and since when, who has approved that stage so far, and the
// copy of every round.
type Review struct {
	BriefID      uint64       `json:"brief_id"`
	FlowID       uint64       `json:"flow_id"`
	Owner        string       `json:"owner"`
	Round        int          `json:"round"`
	Stage        int          `json:"stage"`
	StageStarted time.Time    `json:"stage_started"`
	Status       ReviewStatus `json:"status"`
	// Approved lists who approved the current stage in the current round.
	Approved []string    `json:"approved,omitempty"`
	Copies   []RoundCopy `json:"copies"`
	Updated  time.Time   `json:"updated"`
	// Claims link the copy's claims to their evidence; they carry over
	// rounds, matched by the claim's sentence.
	Claims []ClaimLink `json:"claims,omitempty"`
}

// Errors from applying decisions.
var (
	// ErrNotAwaiting is returned for a decision on a review that is not pending.
	ErrNotAwaiting = errors.New("not awaiting a decision")
	// ErrNotYourTurn is returned when the decider is not an approver of the
	// current stage, or a sequential stage waits on someone before them.
	ErrNotYourTurn = errors.New("not yours to decide")
	// ErrSelfApproval is returned when the owner decides their own work and
	// the flow does not allow it.
	ErrSelfApproval = errors.New("nobody approves their own work in this flow")
)

// Copy returns the current round's copy.
func (r Review) Copy() string {
	if len(r.Copies) == 0 {
		return ""
	}
	return r.Copies[len(r.Copies)-1].Copy
}

// Diff compares the current round's copy with the round before; nil in
// round 1.
func (r Review) Diff() []DiffChunk {
	if len(r.Copies) < 2 {
		return nil
	}
	return WordDiff(r.Copies[len(r.Copies)-2].Copy, r.Copies[len(r.Copies)-1].Copy)
}

// Submit starts a review round with copy: the first, or the next after
// changes were requested.
func (r Review) Submit(copyText, by string, now time.Time) (Review, error) {
	switch r.Status {
	case "", ReviewChangesRequested:
	case ReviewPending:
		return r, fmt.Errorf("round %d is still under review; wait for a decision", r.Round)
	default:
		return r, fmt.Errorf("the review is %s; it cannot take a new round", r.Status)
	}
	if len(copyText) > maxText {
		return r, &FieldError{Record: "review", Field: "copy", Problem: fmt.Sprintf("is %d bytes; at most %d", len(copyText), maxText)}
	}
	r.Round++
	r.Stage, r.StageStarted, r.Status, r.Approved, r.Updated = 0, now, ReviewPending, nil, now
	r.Copies = append(r.Copies, RoundCopy{Round: r.Round, Copy: copyText, By: by, Submitted: now})
	return r, nil
}

// Waiting returns who may decide the current stage now: every approver not
// yet approved in a parallel stage, the next in order in a sequential one.
func (r Review) Waiting(fl ApprovalFlow) []string {
	if r.Status != ReviewPending || r.Stage >= len(fl.Stages) {
		return nil
	}
	var out []string
	for _, name := range fl.Stages[r.Stage].Approvers {
		if slices.Contains(r.Approved, name) {
			continue
		}
		out = append(out, name)
		if fl.Stages[r.Stage].Mode == ModeSequential {
			break
		}
	}
	return out
}

// Apply records decision d by someone with role on the review under flow
// fl, checking permission, turn and self-approval, and advances the stage
// when its rule is met. Comments change nothing but are checked too.
func (r Review) Apply(fl ApprovalFlow, d Decision, role Role, now time.Time) (Review, error) {
	if r.Status != ReviewPending {
		return r, fmt.Errorf("brief %d is %s: %w", r.BriefID, r.Status, ErrNotAwaiting)
	}
	if r.Stage >= len(fl.Stages) {
		return r, fmt.Errorf("flow %q has no stage %d", fl.Name, r.Stage)
	}
	stage := fl.Stages[r.Stage]
	who := Identity{Name: d.Actor, Role: role}
	if d.Kind == DecisionComment {
		return r, Authorize(who, ActionComment)
	}
	if err := Authorize(who, ActionDecide); err != nil {
		return r, err
	}
	if d.Actor == r.Owner && !fl.AllowSelfApproval {
		return r, ErrSelfApproval
	}
	if role != RoleAdmin && !slices.Contains(r.Waiting(fl), d.Actor) {
		if slices.Contains(r.Approved, d.Actor) {
			return r, fmt.Errorf("%s already approved stage %q in round %d: %w", d.Actor, stage.Name, r.Round, ErrNotYourTurn)
		}
		return r, fmt.Errorf("stage %q waits on %v: %w", stage.Name, r.Waiting(fl), ErrNotYourTurn)
	}
	r.Updated = now
	switch d.Kind {
	case DecisionRequestChanges:
		r.Status = ReviewChangesRequested
		if n := len(r.Copies); n > 0 {
			r.Copies = slices.Clone(r.Copies) // r shares the caller's rounds
			r.Copies[n-1].ChangesRequested, r.Copies[n-1].RequestedBy = d.Comment, d.Actor
		}
	case DecisionReject:
		r.Status = ReviewRejected
	case DecisionApprove:
		if !slices.Contains(r.Approved, d.Actor) {
			r.Approved = append(r.Approved, d.Actor)
		}
		if stageMet(stage, len(r.Approved)) {
			r.Approved = nil
			if r.Stage == len(fl.Stages)-1 {
				r.Status = ReviewApproved
			} else {
				r.Stage++
				r.StageStarted = now
			}
		}
	}
	return r, nil
}

// stageMet reports whether approvals satisfy a stage's rule.
func stageMet(s ApprovalStage, approvals int) bool {
	switch s.Rule {
	case RuleAny:
		return approvals >= 1
	case RuleNOfM:
		return approvals >= s.N
	}
	return approvals >= len(s.Approvers)
}

// SLARisk orders the queue: breached first, then due within four hours.
type SLARisk int

// The SLA risks, most urgent first.
const (
	RiskBreached SLARisk = iota
	RiskDueSoon
	RiskOnTrack
)

// Slug names the risk in JSON: breached, due_soon or on_track.
func (r SLARisk) Slug() string {
	switch r {
	case RiskBreached:
		return "breached"
	case RiskDueSoon:
		return "due_soon"
	}
	return "on_track"
}

// DueSoonWindow is how close to its SLA a stage counts as due soon.
const DueSoonWindow = 4 * time.Hour

// SLA is a pending review's clock at its current stage.
type SLA struct {
	Due time.Time
	// Left is the working time until Due; negative once breached.
	Left time.Duration
	Risk SLARisk
}

// slaJSON is an SLA as JSON holds it: the clock with its unit in the key
// and the risk in words, {"due": …, "left_working_hours": -8, "risk":
// "breached"}.
type slaJSON struct {
	Due       time.Time `json:"due"`
	LeftHours float64   `json:"left_working_hours"`
	Risk      string    `json:"risk"`
}

// MarshalJSON implements json.Marshaler.
func (s SLA) MarshalJSON() ([]byte, error) {
	return json.Marshal(slaJSON{s.Due, math.Round(s.Left.Hours()*100) / 100, s.Risk.Slug()})
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *SLA) UnmarshalJSON(b []byte) error {
	var v slaJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	risk := RiskOnTrack
	for _, r := range []SLARisk{RiskBreached, RiskDueSoon, RiskOnTrack} {
		if r.Slug() == v.Risk {
			risk = r
		}
	}
	*s = SLA{Due: v.Due, Left: time.Duration(v.LeftHours * float64(time.Hour)), Risk: risk}
	return nil
}

// String says how the SLA stands, with a symbol so no colour is needed.
func (s SLA) String() string {
	left := s.Left.Round(time.Minute)
	switch s.Risk {
	case RiskBreached:
		if left == 0 {
			return "✗ breached" // out of hours: the clock is not running
		}
		return "✗ breached " + hoursText(-left) + " ago"
	case RiskDueSoon:
		return "! " + hoursText(left) + " left"
	}
	return hoursText(left) + " left"
}

func hoursText(d time.Duration) string {
	if d >= time.Hour {
		return fmt.Sprintf("%.1fh", d.Hours())
	}
	return fmt.Sprintf("%dm", int(d.Minutes()))
}

// SLAOf returns the review's SLA at now under working hours wh.
func SLAOf(r Review, fl ApprovalFlow, wh WorkingHours, now time.Time) SLA {
	hours := 8.0
	if r.Stage < len(fl.Stages) {
		hours = fl.Stages[r.Stage].SLAHours
	}
	due := wh.Add(r.StageStarted, hours)
	s := SLA{Due: due, Left: wh.Between(now, due), Risk: RiskOnTrack}
	switch {
	case !now.Before(due):
		s.Risk, s.Left = RiskBreached, -wh.Between(due, now)
	case s.Left <= DueSoonWindow:
		s.Risk = RiskDueSoon
	}
	return s
}

// QueueItem is one pending review in a queue, with its SLA. It points at
// the review so that sorting moves small values.
type QueueItem struct {
	Review *Review
	SLA    SLA
}

// OrderQueue sorts items by SLA risk, then by due time.
func OrderQueue(items []QueueItem) {
	slices.SortFunc(items, func(a, b QueueItem) int {
		if a.SLA.Risk != b.SLA.Risk {
			return int(a.SLA.Risk) - int(b.SLA.Risk)
		}
		return cmp.Compare(a.SLA.Due.UnixNano(), b.SLA.Due.UnixNano())
	})
}
