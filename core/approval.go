package core

import (
	"fmt"
	"strings"
	"time"
)

// StageMode says whether a stage's people review one after another or all at
// once.
type StageMode string

// The stage modes.
const (
	ModeSequential StageMode = "sequential"
	ModeParallel   StageMode = "parallel"
)

// StageRule says how many approvers must approve for a stage to pass.
type StageRule string

// The stage rules: every approver, any one, or N of them.
const (
	RuleAll  StageRule = "all"
	RuleAny  StageRule = "any"
	RuleNOfM StageRule = "n-of-m"
)

// ApprovalStage is one step of an approval flow.
type ApprovalStage struct {
	Name      string    `json:"name"`
	Mode      StageMode `json:"mode"`
	Reviewers []string  `json:"reviewers,omitempty"`
	Approvers []string  `json:"approvers"`
	Rule      StageRule `json:"rule"`
	// N is how many approvals RuleNOfM needs.
	N int `json:"n,omitempty"`
	// SLAHours is the time allowed for the stage, in working hours.
	SLAHours float64 `json:"sla_hours"`
}

// maxSLAHours bounds a stage's SLA: a year of working days, far past any
// review, and well inside what a clock can add without overflowing.
const maxSLAHours = 365 * 24

// DefaultSLAHours is a stage's SLA when neither the flow nor the config
// gives one: one working day.
const DefaultSLAHours = 8

// ApprovalFlow is the template of reviews an asset type passes before it
// ships.
type ApprovalFlow struct {
	ID uint64 `json:"id"`
	// Version counts the writes to the flow: 1 when added.
	Version   uint64          `json:"version,omitempty"`
	Name      string          `json:"name"`
	AssetType string          `json:"asset_type"`
	Stages    []ApprovalStage `json:"stages"`
	// AllowSelfApproval lets the brief's owner approve their own work.
	AllowSelfApproval bool `json:"allow_self_approval,omitempty"`
	// RequireClaimSupport holds every approval until each claim in the
	// copy is backed by evidence (see ClaimsOf).
	RequireClaimSupport bool `json:"require_claim_support,omitempty"`
	// Template and TemplateVersion name the flow template it was added
	// from, if any.
	Template        string `json:"template,omitempty"`
	TemplateVersion uint64 `json:"template_version,omitempty"`
}

// Validate returns an error naming every invalid field of fl.
func (fl ApprovalFlow) Validate() error {
	f := fieldErrors{record: "approval flow"}
	f.name("name", fl.Name, maxName, true)
	f.name("asset_type", fl.AssetType, maxName, false)
	f.name("template", fl.Template, maxName, false)
	if len(fl.Stages) == 0 {
		f.add("stages", "is empty; a flow needs at least one stage")
	}
	for i, s := range fl.Stages {
		field := fmt.Sprintf("stages[%d]", i)
		f.name(field+".name", s.Name, maxName, true)
		for j, who := range s.Approvers {
			f.name(fmt.Sprintf("%s.approvers[%d]", field, j), who, maxName, true)
		}
		for j, who := range s.Reviewers {
			f.name(fmt.Sprintf("%s.reviewers[%d]", field, j), who, maxName, true)
		}
		if s.Mode != ModeSequential && s.Mode != ModeParallel {
			f.add(field+".mode", "is %q; use sequential or parallel", s.Mode)
		}
		if len(s.Approvers) == 0 {
			f.add(field+".approvers", "is empty; a stage needs at least one approver")
		}
		switch s.Rule {
		case RuleAll, RuleAny:
		case RuleNOfM:
			if s.N < 1 || s.N > len(s.Approvers) {
				f.add(field+".n", "is %d; use 1 to %d (the number of approvers)", s.N, len(s.Approvers))
			}
		default:
			f.add(field+".rule", "is %q; use all, any or n-of-m", s.Rule)
		}
		if !(s.SLAHours > 0 && s.SLAHours <= maxSLAHours) {
			f.add(field+".sla_hours", "is %g; give the stage a positive SLA of at most %d working hours", s.SLAHours, maxSLAHours)
		}
	}
	return f.err()
}

// DecisionKind is what a reviewer or approver said.
type DecisionKind string

// The decisions. Comment is a reviewer's note and decides nothing.
const (
	DecisionApprove        DecisionKind = "approve"
	DecisionRequestChanges DecisionKind = "request-changes"
	DecisionReject         DecisionKind = "reject"
	DecisionComment        DecisionKind = "comment"
)

// Decision is one person's word on one round of one stage of a brief's review.
type Decision struct {
	ID      uint64       `json:"id"`
	BriefID uint64       `json:"brief_id"`
	Stage   int          `json:"stage"`
	Round   int          `json:"round"`
	Actor   string       `json:"actor"`
	Kind    DecisionKind `json:"kind"`
	Comment string       `json:"comment,omitempty"`
	Time    time.Time    `json:"time"`
}

// Validate returns an error naming every invalid field of d.
func (d Decision) Validate() error {
	f := fieldErrors{record: "decision"}
	if d.BriefID == 0 {
		f.add("brief_id", "is required")
	}
	f.name("actor", d.Actor, maxName, true)
	switch d.Kind {
	case DecisionApprove:
	case DecisionRequestChanges, DecisionComment:
		if strings.TrimSpace(d.Comment) == "" {
			f.add("comment", "is required to %s; say what should change", d.Kind)
		}
	case DecisionReject:
		if strings.TrimSpace(d.Comment) == "" {
			f.add("comment", "is required to reject; give the reason")
		}
	default:
		f.add("kind", "is %q; use approve, request-changes, reject or comment", d.Kind)
	}
	f.text("comment", d.Comment, maxText)
	if d.Stage < 0 {
		f.add("stage", "is %d; stages count from 0", d.Stage)
	}
	if d.Round < 1 {
		f.add("round", "is %d; rounds count from 1", d.Round)
	}
	return f.err()
}
