package store

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// seedAll stores one record of every type and returns nothing: callers read
// back through the store.
func seedAll(tb testing.TB, s *Store) {
	tb.Helper()
	ctx := context.Background()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(s.SetTaxonomy(ctx, "ana", core.Taxonomy{Channels: []string{"email"}, Audiences: []string{"smb"}}))
	_, err := s.AddBrief(ctx, "ana", core.Brief{Title: "Spring email", Channel: "email", Audience: "smb", Stage: core.StagePlanned, EstimateHours: 6})
	must(err)
	_, err = s.AddPerson(ctx, "ana", core.Person{Name: "Bo", Lane: core.LaneFreelance, Skills: []string{"copy"}, WeeklyHours: 20, CostPerHour: 60})
	must(err)
	_, err = s.AddExperiment(ctx, "ana", core.Experiment{Key: "spring-email", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}})
	must(err)
	_, err = s.Ingest(ctx, "ingest", []core.Event{{TS: fixedNow, Experiment: "spring-email", Variant: "b", Unit: "u1", Type: core.EventExposure}}, IngestOptions{})
	must(err)
	_, err = s.AddFlow(ctx, "ana", core.ApprovalFlow{Name: "email", Stages: []core.ApprovalStage{{Name: "brand", Mode: core.ModeSequential, Approvers: []string{"cy"}, Rule: core.RuleAll, SLAHours: 8}}})
	must(err)
	_, err = s.Submit(ctx, "ana", 1, 0, "Spring is here")
	must(err)
	_, err = s.Decide(ctx, core.Identity{Name: "cy", Role: core.RoleApprover}, core.Decision{BriefID: 1, Kind: core.DecisionApprove})
	must(err)
	_, _, err = s.SaveGuideline(ctx, "ana", core.BrandGuideline{Voice: "warm, plain", Banned: []string{"synergy"}})
	must(err)
	_, err = s.AddWebhook(ctx, "ana", core.Webhook{URL: "https://hooks.example/in/token", Events: []core.AlertEvent{core.AlertSRM}, Format: core.FormatSlack}, seedSecret)
	must(err)
	_, err = s.QueueAlerts(ctx, "alerts", []core.Alert{{Event: core.AlertSRM, Key: "srm/spring-email", Subject: "experiment/spring-email", Text: "SRM", Time: fixedNow}})
	must(err)
	q, _, err := s.NextAlert(ctx, 1)
	must(err)
	_, err = s.RecordDelivery(ctx, "alerts", q, core.DeliveryAttempt{Outcome: core.OutcomeFailed, Status: 503, Error: "answered HTTP 503"})
	must(err)
}

// seedSecret is the secret of seedAll's webhook, which no export holds.
const seedSecret = "s3cret-s3cret-s3cret"

// Ensure that every record type reads back exactly as it was written.
func TestStore_RoundTrip(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	seedAll(t, s)

	brief, err := s.Brief(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantBrief := core.Brief{ID: 1, Version: 3, Title: "Spring email", Channel: "email", Audience: "smb", Stage: core.StageApproved, EstimateHours: 6, Created: fixedNow, Updated: fixedNow}
	if !reflect.DeepEqual(brief, wantBrief) {
		t.Errorf("brief = %+v\nwant %+v", brief, wantBrief)
	}
	people, _ := s.People(ctx)
	if want := (core.Person{ID: 1, Version: 1, Name: "Bo", Lane: core.LaneFreelance, Skills: []string{"copy"}, WeeklyHours: 20, CostPerHour: 60}); len(people) != 1 || !reflect.DeepEqual(people[0], want) {
		t.Errorf("people = %+v", people)
	}
	exp, err := s.Experiment(ctx, "spring-email")
	if err != nil || !exp.Started.IsZero() || len(exp.Variants) != 2 {
		t.Errorf("experiment = %+v, %v", exp, err)
	}
	totals, err := s.Totals(ctx, "spring-email")
	if err != nil || totals["b"].Exposures != 1 || totals["a"] != (core.VariantTotals{}) {
		t.Errorf("totals = %+v, %v", totals, err)
	}
	flows, _ := s.Flows(ctx)
	if len(flows) != 1 || flows[0].ID != 1 || flows[0].Stages[0].Approvers[0] != "cy" {
		t.Errorf("flows = %+v", flows)
	}
	decisions, _ := s.Decisions(ctx)
	if len(decisions) != 1 || decisions[0].Time != fixedNow || decisions[0].Kind != core.DecisionApprove || decisions[0].Round != 1 {
		t.Errorf("decisions = %+v", decisions)
	}
	reviews, _ := s.Reviews(ctx)
	if len(reviews) != 1 || reviews[0].Status != core.ReviewApproved || reviews[0].Copy() != "Spring is here" {
		t.Errorf("reviews = %+v", reviews)
	}
	if b, _ := s.Brief(ctx, 1); b.Stage != core.StageApproved {
		t.Errorf("approved brief is in %s", b.Stage)
	}
	g, err := s.Guideline(ctx)
	if err != nil || g.Version != 1 || g.Banned[0] != "synergy" {
		t.Errorf("guideline = %+v, %v", g, err)
	}
	tax, _ := s.Taxonomy(ctx)
	if tax.Channels[0] != "email" {
		t.Errorf("taxonomy = %+v", tax)
	}
	hooks, err := s.Webhooks(ctx)
	if err != nil || len(hooks) != 1 || hooks[0].Delivery.Queued != 1 || hooks[0].Delivery.LastStatus != 503 || !hooks[0].Signed {
		t.Errorf("webhooks = %+v, %v", hooks, err)
	}
	audit, _ := s.Audit(ctx)
	if len(audit) != 15 || audit[1].Subject != "brief/1" || audit[1].Actor != "ana" {
		t.Errorf("audit = %+v", audit)
	}
}

// Ensure that invalid records are refused with the bad field named, and
// nothing is written.
func TestStore_AddBrief_Invalid(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	if err := s.SetTaxonomy(ctx, "ana", core.Taxonomy{Channels: []string{"email"}}); err != nil {
		t.Fatal(err)
	}
	for field, b := range map[string]core.Brief{
		"title":   {},
		"channel": {Title: "x", Channel: "billboard"},
	} {
		_, err := s.AddBrief(ctx, "ana", b)
		if got := core.Field(err); got != field {
			t.Errorf("AddBrief(%+v) field = %q (%v), want %q", b, got, err, field)
		}
	}
	if briefs, _ := s.Briefs(ctx); len(briefs) != 0 {
		t.Fatalf("invalid briefs were stored: %+v", briefs)
	}
	// A batch with one bad brief stores none.
	if _, err := s.AddBriefs(ctx, "ana", []core.Brief{{Title: "ok"}, {}}); err == nil {
		t.Fatal("batch with an invalid brief succeeded")
	}
	if briefs, _ := s.Briefs(ctx); len(briefs) != 0 {
		t.Fatalf("half a batch was stored: %+v", briefs)
	}
}

// Ensure that moving a brief updates the stage index and the audit trail
// records the before and after digests.
func TestStore_MoveBrief(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	b, err := s.AddBrief(ctx, "ana", core.Brief{Title: "Banner"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveBrief(ctx, "bo", b.ID, core.StageReview); err != nil {
		t.Fatal(err)
	}
	intake, _ := s.BriefsInStage(ctx, core.StageIntake)
	review, _ := s.BriefsInStage(ctx, core.StageReview)
	if len(intake) != 0 || len(review) != 1 || review[0].Stage != core.StageReview {
		t.Fatalf("intake %+v, review %+v", intake, review)
	}
	audit, _ := s.Audit(ctx)
	last := audit[len(audit)-1]
	if last.Action != "brief.move" || last.Actor != "bo" || last.Before == "" || last.After == "" || last.Before == last.After {
		t.Fatalf("move audit entry = %+v", last)
	}
	if _, err := s.MoveBrief(ctx, "bo", 99, core.StageLive); !errors.Is(err, ErrNotFound) {
		t.Fatalf("move of a missing brief: %v", err)
	}
}

// Ensure that a move stating the version it was made from is refused,
// naming who wrote the brief since, when the brief moved on, and writes
// nothing; made from the current version it moves.
func TestStore_MoveBriefAs_From(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	b, _ := s.AddBrief(ctx, "ana", core.Brief{Title: "Banner"})
	mine, err := s.MoveBriefAs(ctx, "ana", b.ID, core.StagePlanned, core.MoveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveBriefAs(ctx, "bo", b.ID, core.StageInProduction, core.MoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	_, err = s.MoveBriefAs(ctx, "ana", b.ID, core.StageIntake, core.MoveOptions{From: mine.Version})
	var conflict *core.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("undo over bo's move: %v, want a conflict", err)
	}
	if conflict.From != mine.Version || conflict.Current != mine.Version+1 || !slices.Equal(conflict.By, []string{"bo"}) ||
		len(conflict.Fields) != 1 || conflict.Fields[0].Theirs != core.StageInProduction.String() || conflict.Fields[0].Mine != core.StageIntake.String() {
		t.Fatalf("conflict = %+v", conflict)
	}
	if got, _ := s.Brief(ctx, b.ID); got.Stage != core.StageInProduction || got.Version != mine.Version+1 {
		t.Fatalf("after the refused move: stage %s version %d, want bo's in-production", got.Stage, got.Version)
	}
	moved, err := s.MoveBriefAs(ctx, "ana", b.ID, core.StageIntake, core.MoveOptions{From: mine.Version + 1})
	if err != nil || moved.Stage != core.StageIntake {
		t.Fatalf("move from the current version: %+v, %v", moved, err)
	}
}

// Ensure that moving a brief to the stage it is in writes nothing: no
// version, audit entry or change, so the undo of the move that put it
// there, made from the version that move left, still works. A stale
// version is still a conflict.
func TestStore_MoveBriefAs_SameStage(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	b, _ := s.AddBrief(ctx, "ana", core.Brief{Title: "Banner"})
	moved, err := s.MoveBriefAs(ctx, "ana", b.ID, core.StageReview, core.MoveOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	audit, _ := s.Audit(ctx)
	sub := s.Subscribe(DefaultSubscriptionBuffer)
	defer sub.Close()
	again, err := s.MoveBriefAs(ctx, "bo", b.ID, core.StageReview, core.MoveOptions{From: moved.Version})
	if err != nil || !reflect.DeepEqual(again, moved) {
		t.Fatalf("move to the stage it is in = %+v, %v; want the brief unchanged", again, err)
	}
	if after, _ := s.Audit(ctx); len(after) != len(audit) {
		t.Fatalf("the move to the same stage was audited: %d entries, was %d", len(after), len(audit))
	}
	select {
	case c := <-sub.C():
		t.Fatalf("the move to the same stage published %+v", c)
	default:
	}
	if _, err := s.MoveBriefAs(ctx, "ana", b.ID, core.StageIntake, core.MoveOptions{From: moved.Version}); err != nil {
		t.Fatalf("undo of ana's move after bo's same-stage move: %v", err)
	}
	var conflict *core.ConflictError
	if _, err := s.MoveBriefAs(ctx, "bo", b.ID, core.StageIntake, core.MoveOptions{From: moved.Version}); !errors.As(err, &conflict) {
		t.Fatalf("same-stage move from a stale version = %v; want a conflict", err)
	}
}

// Ensure that a conflicting move says what changed: the stage someone
// moved the brief to, that it is already where the move takes it, or that
// its stage is as the mover saw it when someone only edited it. A version
// the brief has not reached is a bad value, not a conflict.
func TestStore_MoveBriefAs_ConflictSaysWhatChanged(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	b, _ := s.AddBrief(ctx, "ana", core.Brief{Title: "Banner", Stage: core.StagePlanned})
	edited := b
	edited.Objective = "Win back lapsed buyers"
	edited, _, err := s.UpdateBrief(ctx, "bo", edited)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.MoveBriefAs(ctx, "ana", b.ID, core.StagePlanned, core.MoveOptions{From: b.Version})
	want := `conflict: brief 1 changed since version 1 (now 2, by bo): its stage is "planned", as you saw it, but the brief was edited;`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("move after an edit = %v; want %q", err, want)
	}
	if _, err := s.MoveBriefAs(ctx, "bo", b.ID, core.StageReview, core.MoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	_, err = s.MoveBriefAs(ctx, "ana", b.ID, core.StageReview, core.MoveOptions{From: edited.Version})
	if want := `(now 3, by bo): stage is "review" already;`; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("move to where bo moved it = %v; want %q", err, want)
	}
	_, err = s.MoveBriefAs(ctx, "ana", b.ID, core.StageLive, core.MoveOptions{From: edited.Version})
	if want := `(now 3, by bo): stage is "review" there, "live" here;`; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("move past bo's move = %v; want %q", err, want)
	}
	var field *core.FieldError
	if _, err := s.MoveBriefAs(ctx, "ana", b.ID, core.StageLive, core.MoveOptions{From: 99}); !errors.As(err, &field) || !strings.Contains(err.Error(), "is 99, which it has not reached; it is at version 3") {
		t.Fatalf("move from a future version = %v; want a field error", err)
	}
}

// Ensure that UpdateBrief keeps the creation time and refuses unknown IDs.
func TestStore_UpdateBrief(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	b, _ := s.AddBrief(ctx, "ana", core.Brief{Title: "Draft"})
	b.Title, b.Created = "Final", time.Time{}
	got, _, err := s.UpdateBrief(ctx, "ana", b)
	if err != nil || got.Title != "Final" || got.Created != fixedNow {
		t.Fatalf("UpdateBrief = %+v, %v", got, err)
	}
	if _, _, err := s.UpdateBrief(ctx, "ana", core.Brief{ID: 42, Title: "x"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update of a missing brief: %v", err)
	}
}

// Ensure that an existing experiment key cannot be added twice.
func TestStore_AddExperiment_Exists(t *testing.T) {
	s := mustOpenStore(t)
	seedAll(t, s)
	_, err := s.AddExperiment(context.Background(), "ana", core.Experiment{Key: "spring-email", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate experiment: %v", err)
	}
}

// Ensure that WIP limits read as the defaults until set, then as set.
func TestStore_WIPLimits(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	got, err := s.WIPLimits(ctx)
	if err != nil || !reflect.DeepEqual(got, core.DefaultWIPLimits()) {
		t.Fatalf("default limits = %v, %v", got, err)
	}
	want := core.WIPLimits{core.StageReview: 3}
	if err := s.SetWIPLimits(ctx, "ana", want); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.WIPLimits(ctx); !reflect.DeepEqual(got, want) {
		t.Fatalf("limits = %v, want %v", got, want)
	}
	if err := s.SetWIPLimits(ctx, "ana", core.WIPLimits{core.StageReview: -2}); err == nil {
		t.Fatal("negative limit stored")
	}
	b, _ := s.AddBrief(ctx, "ana", core.Brief{Title: "x"})
	s.MoveBrief(ctx, "bo", b.ID, core.StageLive)
	history, err := s.AuditOf(ctx, "brief/1")
	if err != nil || len(history) != 2 || history[1].Action != "brief.move" {
		t.Fatalf("history = %+v, %v", history, err)
	}
}
