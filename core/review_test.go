package core

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Mon 2026-11-02 … Sun 2026-11-08.
func day(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }

func TestWorkingHours_Add(t *testing.T) {
	wh := DefaultWorkingHours()
	tests := []struct {
		name  string
		start time.Time
		hours float64
		want  time.Time
	}{
		{"within a day", day(2, 10, 0), 4, day(2, 14, 0)},
		{"across the evening", day(2, 15, 0), 4, day(3, 11, 0)},
		{"before opening", day(2, 7, 0), 1, day(2, 10, 0)},
		{"friday into monday", day(6, 15, 0), 8, day(9, 15, 0)},
		{"started on saturday", day(7, 12, 0), 2, day(9, 11, 0)},
		{"exactly to closing", day(2, 9, 0), 8, day(2, 17, 0)},
		{"zero hours", day(4, 12, 30), 0, day(4, 12, 30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wh.Add(tt.start, tt.hours); !got.Equal(tt.want) {
				t.Fatalf("Add = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWorkingHours_Between(t *testing.T) {
	wh := DefaultWorkingHours()
	tests := []struct {
		a, b time.Time
		want time.Duration
	}{
		{day(2, 10, 0), day(2, 12, 30), 150 * time.Minute},
		{day(6, 16, 0), day(9, 10, 0), 2 * time.Hour}, // over a weekend
		{day(7, 0, 0), day(8, 23, 0), 0},              // all weekend
		{day(2, 12, 0), day(2, 10, 0), -2 * time.Hour},
	}
	for _, tt := range tests {
		if got := wh.Between(tt.a, tt.b); got != tt.want {
			t.Errorf("Between(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func twoStageFlow(mode StageMode, rule StageRule, n int) ApprovalFlow {
	return ApprovalFlow{Name: "copy", Stages: []ApprovalStage{
		{Name: "brand", Mode: mode, Approvers: []string{"ana", "bo", "cy"}, Reviewers: []string{"dev"}, Rule: rule, N: n, SLAHours: 8},
		{Name: "legal", Mode: ModeSequential, Approvers: []string{"lee"}, Rule: RuleAll, SLAHours: 16},
	}}
}

func submitted(t *testing.T) Review {
	t.Helper()
	r, err := Review{BriefID: 7, Owner: "olga"}.Submit("Save five hours a week", "olga", day(2, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func approve(t *testing.T, r Review, fl ApprovalFlow, who string) (Review, error) {
	t.Helper()
	return r.Apply(fl, Decision{BriefID: 7, Round: r.Round, Actor: who, Kind: DecisionApprove}, RoleApprover, day(2, 11, 0))
}

func TestReview_StageRules(t *testing.T) {
	tests := []struct {
		name    string
		fl      ApprovalFlow
		order   []string
		passAt  int // approvals after which the stage passes
		refused []string
	}{
		{"parallel all", twoStageFlow(ModeParallel, RuleAll, 0), []string{"cy", "ana", "bo"}, 3, nil},
		{"parallel any", twoStageFlow(ModeParallel, RuleAny, 0), []string{"bo"}, 1, nil},
		{"parallel 2 of 3", twoStageFlow(ModeParallel, RuleNOfM, 2), []string{"cy", "ana"}, 2, nil},
		{"sequential all", twoStageFlow(ModeSequential, RuleAll, 0), []string{"ana", "bo", "cy"}, 3, []string{"cy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := submitted(t)
			for _, who := range tt.refused {
				if _, err := approve(t, r, tt.fl, who); !errors.Is(err, ErrNotYourTurn) {
					t.Fatalf("%s out of turn: %v", who, err)
				}
			}
			for i, who := range tt.order {
				var err error
				if r, err = approve(t, r, tt.fl, who); err != nil {
					t.Fatalf("%s: %v", who, err)
				}
				if passed := r.Stage == 1; passed != (i+1 >= tt.passAt) {
					t.Fatalf("after %d approvals stage = %d", i+1, r.Stage)
				}
			}
			if r.StageStarted != day(2, 11, 0) || len(r.Approved) != 0 {
				t.Fatalf("next stage not started cleanly: %+v", r)
			}
			if r, _ = approve(t, r, tt.fl, "lee"); r.Status != ReviewApproved {
				t.Fatalf("final stage: %s", r.Status)
			}
		})
	}
}

func TestReview_Permissions(t *testing.T) {
	fl := twoStageFlow(ModeParallel, RuleAll, 0)
	r := submitted(t)
	d := Decision{BriefID: 7, Round: 1, Actor: "ana", Kind: DecisionApprove}
	if _, err := r.Apply(fl, d, RoleViewer, day(2, 10, 0)); err == nil {
		t.Fatal("a viewer decided")
	}
	d.Actor = "zed"
	if _, err := r.Apply(fl, d, RoleApprover, day(2, 10, 0)); !errors.Is(err, ErrNotYourTurn) {
		t.Fatalf("a non-approver decided: %v", err)
	}
	if _, err := r.Apply(fl, d, RoleAdmin, day(2, 10, 0)); err != nil {
		t.Fatalf("an admin could not decide: %v", err)
	}
	d.Actor = "olga"
	if _, err := r.Apply(fl, d, RoleAdmin, day(2, 10, 0)); !errors.Is(err, ErrSelfApproval) {
		t.Fatalf("self-approval: %v", err)
	}
	fl.AllowSelfApproval = true
	if _, err := r.Apply(fl, d, RoleAdmin, day(2, 10, 0)); err != nil {
		t.Fatalf("self-approval allowed by the flow: %v", err)
	}
	c := Decision{BriefID: 7, Round: 1, Actor: "dev", Kind: DecisionComment, Comment: "tighten the verb"}
	if got, err := r.Apply(fl, c, RoleCreative, day(2, 10, 0)); err != nil || got.Status != ReviewPending {
		t.Fatalf("reviewer comment: %v", err)
	}
}

func TestReview_RoundsAndDiff(t *testing.T) {
	fl := twoStageFlow(ModeParallel, RuleAny, 0)
	r := submitted(t)
	r, err := r.Apply(fl, Decision{BriefID: 7, Round: 1, Actor: "ana", Kind: DecisionRequestChanges, Comment: "say who it is for"}, RoleApprover, day(2, 10, 0))
	if err != nil || r.Status != ReviewChangesRequested {
		t.Fatalf("request changes: %v %s", err, r.Status)
	}
	if _, err := approve(t, r, fl, "bo"); !errors.Is(err, ErrNotAwaiting) {
		t.Fatalf("decision while changes are requested: %v", err)
	}
	r, err = r.Submit("Busy owners save five hours every week", "olga", day(3, 9, 0))
	if err != nil || r.Round != 2 || r.Stage != 0 || r.Status != ReviewPending {
		t.Fatalf("resubmit: %v %+v", err, r)
	}
	if got := FormatDiff(r.Diff()); got != "[-Save-] {+Busy owners save+} five hours [-a-] {+every+} week" {
		t.Fatalf("diff = %q", got)
	}
	if _, err := r.Submit("again", "olga", day(3, 10, 0)); err == nil {
		t.Fatal("a new round while one is pending")
	}
	r, _ = r.Apply(fl, Decision{BriefID: 7, Round: 2, Actor: "bo", Kind: DecisionReject, Comment: "off brand"}, RoleApprover, day(3, 11, 0))
	if r.Status != ReviewRejected {
		t.Fatalf("reject: %s", r.Status)
	}
}

func TestWordDiff(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"same words", "same words", "same words"},
		{"", "all new", "{+all new+}"},
		{"all gone", "", "[-all gone-]"},
		{"the quick brown fox", "the slow brown dog", "the [-quick-] {+slow+} brown [-fox-] {+dog+}"},
	}
	for _, tt := range tests {
		if got := FormatDiff(WordDiff(tt.a, tt.b)); got != tt.want {
			t.Errorf("diff(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
	long := strings.Repeat("w ", maxDiffWords+1)
	if got := WordDiff(long, "x"); len(got) != 2 {
		t.Errorf("oversized diff = %d chunks", len(got))
	}
}

func TestSLAOf(t *testing.T) {
	fl := twoStageFlow(ModeParallel, RuleAll, 0) // brand: 8 working hours
	r := submitted(t)                            // stage started Mon 09:00, due Mon 17:00
	wh := DefaultWorkingHours()
	tests := []struct {
		now  time.Time
		risk SLARisk
		left time.Duration
	}{
		{day(2, 10, 0), RiskOnTrack, 7 * time.Hour},
		{day(2, 14, 0), RiskDueSoon, 3 * time.Hour},
		{day(3, 10, 0), RiskBreached, -time.Hour},
	}
	for _, tt := range tests {
		s := SLAOf(r, fl, wh, tt.now)
		if s.Risk != tt.risk || s.Left != tt.left {
			t.Errorf("at %v: risk %d left %v, want %d %v", tt.now, s.Risk, s.Left, tt.risk, tt.left)
		}
	}
}

func BenchmarkOrderQueue10k(b *testing.B) {
	items := make([]QueueItem, 10_000)
	for i := range items {
		items[i] = QueueItem{SLA: SLA{Risk: SLARisk(i % 3), Due: day(2, 9, 0).Add(time.Duration(i*7919%10000) * time.Minute)}}
	}
	work := make([]QueueItem, len(items))
	b.ReportAllocs()
	for b.Loop() {
		copy(work, items)
		OrderQueue(work)
	}
}

func BenchmarkAuditSeal(b *testing.B) {
	e := AuditEntry{Seq: 1, Time: day(2, 9, 0), Actor: "ana", Action: "decision.approve", Subject: "decision/1", After: Digest([]byte("x"))}
	b.ReportAllocs()
	for b.Loop() {
		e.Seal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
	}
}

func TestWorkingHours_Holidays(t *testing.T) {
	wh := DefaultWorkingHours()
	wh.Holidays = []time.Time{day(3, 0, 0)} // Tuesday off
	if got := wh.Add(day(2, 15, 0), 4); !got.Equal(day(4, 11, 0)) {
		t.Fatalf("Add over a holiday = %v", got)
	}
}
