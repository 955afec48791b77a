package backend_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

// The people of the run tests: a creative runs the brief; the flow's
// approvers are an admin, who may also start experiments, and an
// approver, who may not; MOps may start experiments but not approve.
var (
	creative = core.Identity{Name: "bo", Role: core.RoleCreative}
	lead     = core.Identity{Name: "lee", Role: core.RoleAdmin}
	approver = core.Identity{Name: "ben", Role: core.RoleApprover}
	mops     = core.Identity{Name: "mo", Role: core.RoleMOps}
)

// mustWaitingRun opens a workspace with a brief template whose recipe
// makes 2 variants and submits the best to a flow of one stage that
// decider approves, and returns it with brief 1's run made by the
// creative, waiting for that approval.
func mustWaitingRun(t *testing.T, decider core.Identity) *backend.Backend {
	t.Helper()
	return waitingRunWith(t, core.ApprovalStage{Name: "Brand", Mode: core.ModeSequential, Rule: core.RuleAll, Approvers: []string{decider.Name}})
}

// waitingRunWith is mustWaitingRun with a flow of the stages given.
func waitingRunWith(t *testing.T, stages ...core.ApprovalStage) *backend.Backend {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "tandem.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	be := backend.NewWith(st, backend.Settings{Models: backend.ModelSettings{Host: commontest.FakeOllama(t, commontest.CopyReply, nil)}})
	ctx := context.Background()
	for _, tm := range []core.Template{
		{Kind: core.TemplateExperiment, Name: "Boots test", Experiment: &core.ExperimentTemplate{Hypothesis: "Warm copy sells boots"}},
		{Kind: core.TemplateFlow, Name: "Email review", Flow: &core.FlowTemplate{AssetType: "email", Stages: stages}},
		{Kind: core.TemplateBrief, Name: "Boots email", Brief: &core.BriefTemplate{Channel: "email", AssetType: "email", Flow: "Email review", Experiment: "Boots test",
			Recipe: &core.RunRecipe{Variants: 2, Submit: 1, Model: "tiny"}}},
	} {
		if _, err := be.AddTemplate(ctx, lead, tm); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := be.AddFlowFromTemplate(ctx, lead, "Email review"); err != nil {
		t.Fatal(err)
	}
	if _, err := be.AddBriefFromTemplate(ctx, lead, "Boots email", core.Brief{Title: "winter"}); err != nil {
		t.Fatal(err)
	}
	client, err := be.Models().Client()
	if err != nil {
		t.Fatal(err)
	}
	var waiting *core.RunWaitingError
	if _, err := be.RunBrief(ctx, creative, client, backend.RunRequest{BriefID: 1, Seed: 1}); !errors.As(err, &waiting) {
		t.Fatalf("the creative's run: %v; want it waiting for approval", err)
	}
	return be
}

// mustRunOf returns brief 1's run as stored.
func mustRunOf(t *testing.T, be *backend.Backend) core.Run {
	t.Helper()
	r, err := be.Run(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// runExperiments returns the experiments brief 1's runs started.
func runExperiments(t *testing.T, be *backend.Backend) []core.Experiment {
	t.Helper()
	all, err := be.Experiments(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(all, func(e core.Experiment) bool { return e.BriefID != 1 })
}

// audited returns the actors of the audit entries with action, in order.
func audited(t *testing.T, be *backend.Backend, action string) []string {
	t.Helper()
	entries, err := be.Audit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var actors []string
	for _, e := range entries {
		if e.Action == action {
			actors = append(actors, e.Actor)
		}
	}
	return actors
}

// Ensure that approving the final stage, as someone who may start
// experiments, goes on with the run: the experiment brief-1-run starts
// with the run's submitted variants and the run is done, both audited as
// the approver's.
func TestDecide_ApprovalStartsRunExperiment(t *testing.T) {
	be := mustWaitingRun(t, lead)
	d, err := be.Decide(context.Background(), lead, core.Decision{BriefID: 1, Kind: core.DecisionApprove})
	if err != nil {
		t.Fatal(err)
	}
	run := mustRunOf(t, be)
	if d.Review.Status != core.ReviewApproved || d.Run == nil || d.Run.Status != core.RunFinished || run.Status != core.RunFinished || run.Experiment != "brief-1-run" {
		t.Fatalf("after the approval: review %s, decided run %+v, stored run %+v; want the run done with brief-1-run", d.Review.Status, d.Run, run)
	}
	e, err := be.Experiment(context.Background(), "brief-1-run")
	if err != nil {
		t.Fatal(err)
	}
	arm := fmt.Sprintf("v%d", run.Submitted[0])
	if len(e.Variants) != 2 || e.Variants[1].Key != arm || e.Template != "Boots test" || e.BriefID != 1 {
		t.Fatalf("experiment = %+v; want a control and arm %s from template Boots test", e, arm)
	}
	for _, action := range []string{"run.approval", "experiment.add", "run.experiment"} {
		if got := audited(t, be, action); !slices.Equal(got, []string{lead.Name}) {
			t.Errorf("%s audited as %v; want once, as the approver %s", action, got, lead.Name)
		}
	}
}

// Ensure that an approver who may not start experiments leaves the run
// approved and waiting for someone who may, with the command to run on
// the run and in the inbox of those who may; that a creative resuming it
// is refused and leaves it so; and that MOps resuming it starts the
// experiment.
func TestDecide_ApproverWhoMayNotStartLeavesRunReady(t *testing.T) {
	be := mustWaitingRun(t, approver)
	ctx := context.Background()
	d, err := be.Decide(ctx, approver, core.Decision{BriefID: 1, Kind: core.DecisionApprove})
	if err != nil {
		t.Fatalf("the approval failed with the run: %v", err)
	}
	const ready = "approved, ready to start: `tandem run --brief 1 --resume`"
	run := mustRunOf(t, be)
	if d.Review.Status != core.ReviewApproved || d.Run == nil || d.Run.Reason != run.Reason ||
		run.Step != core.RunExperiment || run.Status != core.RunWaiting || !strings.Contains(run.Reason, ready) {
		t.Fatalf("after the approval: review %s, run %+v; want it waiting at experiment: %s", d.Review.Status, run, ready)
	}
	if len(runExperiments(t, be)) != 0 {
		t.Fatal("an approver who may not edit experiments started one")
	}
	mustInboxRun(t, be, mops, true)
	mustInboxRun(t, be, approver, false)
	mustInboxRun(t, be, creative, false)

	var perm *core.PermissionError
	if _, err := be.RunBrief(ctx, creative, nil, backend.RunRequest{BriefID: 1, Resume: true}); !errors.As(err, &perm) {
		t.Fatalf("a creative resuming: %v; want a permission error", err)
	}
	if again := mustRunOf(t, be); again.Status != core.RunWaiting || !strings.Contains(again.Reason, ready) {
		t.Fatalf("after the creative's resume the run is %+v; want it still ready to start", again)
	}
	done, err := be.RunBrief(ctx, mops, nil, backend.RunRequest{BriefID: 1, Resume: true})
	if err != nil || done.Status != core.RunFinished || len(runExperiments(t, be)) != 1 {
		t.Fatalf("MOps resuming: %+v, %v; want the run done with its experiment", done, err)
	}
	if got := audited(t, be, "run.experiment"); !slices.Equal(got, []string{mops.Name}) {
		t.Errorf("run.experiment audited as %v; want MOps", got)
	}
	mustInboxRun(t, be, mops, false)
}

// mustInboxRun fails unless who's inbox lists brief 1's run as ready to
// start exactly when want says.
func mustInboxRun(t *testing.T, be *backend.Backend, who core.Identity, want bool) {
	t.Helper()
	items, err := be.Inbox(context.Background(), who, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got := slices.ContainsFunc(items, func(it core.InboxItem) bool {
		return it.Kind == "run" && it.Subject == "brief/1" && strings.Contains(it.Text, "`tandem run --brief 1 --resume`")
	})
	if got != want {
		t.Errorf("%s's inbox lists the run ready to start: %v, want %v (%+v)", who.Name, got, want, items)
	}
}

// Ensure that changes requested or a rejection leave the run as it was,
// waiting at approval, until a resume ends it with the reason; and that
// approval of copy revised in review ends the run without an experiment.
func TestDecide_RunEndsWithoutApprovalOfItsCopy(t *testing.T) {
	ctx := context.Background()
	for _, kind := range []core.DecisionKind{core.DecisionRequestChanges, core.DecisionReject} {
		t.Run(string(kind), func(t *testing.T) {
			be := mustWaitingRun(t, lead)
			before := mustRunOf(t, be)
			d, err := be.Decide(ctx, lead, core.Decision{BriefID: 1, Kind: kind, Comment: "off brand"})
			if err != nil || d.Run != nil {
				t.Fatalf("decided %+v, %v; want no run taken on", d, err)
			}
			if after := mustRunOf(t, be); after.Version != before.Version {
				t.Fatalf("the run changed on %s: %+v", kind, after)
			}
			if _, err := be.RunBrief(ctx, creative, nil, backend.RunRequest{BriefID: 1, Resume: true}); !errors.Is(err, backend.ErrReviewClosed) {
				t.Fatalf("resume after %s: %v; want ErrReviewClosed", kind, err)
			}
			if r := mustRunOf(t, be); r.Status != core.RunFailed || !strings.Contains(r.Reason, "not approved") {
				t.Fatalf("run = %+v; want it stopped with the reason", r)
			}
		})
	}
	t.Run("revised copy", func(t *testing.T) {
		be := mustWaitingRun(t, lead)
		if _, err := be.Decide(ctx, lead, core.Decision{BriefID: 1, Kind: core.DecisionRequestChanges, Comment: "off brand"}); err != nil {
			t.Fatal(err)
		}
		if _, err := be.Submit(ctx, creative, 1, 0, "Revised, on-brand copy written by a person", false); err != nil {
			t.Fatal(err)
		}
		d, err := be.Decide(ctx, lead, core.Decision{BriefID: 1, Kind: core.DecisionApprove})
		if err != nil || d.Review.Status != core.ReviewApproved {
			t.Fatalf("approving the revised copy: %+v, %v; want it approved", d.Review, err)
		}
		if r := mustRunOf(t, be); r.Status != core.RunFailed || !strings.Contains(r.Reason, "not the run's variants") || d.Run == nil || d.Run.Reason != r.Reason {
			t.Fatalf("run = %+v; want it stopped: the approved copy is not its variants", r)
		}
		if n := len(runExperiments(t, be)); n != 0 {
			t.Fatalf("%d experiments started on copy the run did not make", n)
		}
	})
}

// Ensure that an approval taking the run on and resumes racing it start
// one experiment between them, the run's steps each logged once, and that
// approving again starts no other. The resumes go on resuming until the
// run is done, so some land mid-approval.
func TestDecide_ApprovalStartsOneExperiment(t *testing.T) {
	ctx := context.Background()
	for i := range 8 {
		be := mustWaitingRun(t, lead)
		approved := make(chan struct{})
		errs := make(chan error, 3)
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- resumeUntilDone(ctx, be, approved)
			}()
		}
		_, err := be.Decide(ctx, lead, core.Decision{BriefID: 1, Kind: core.DecisionApprove})
		close(approved)
		wg.Wait()
		close(errs)
		if err != nil {
			t.Fatalf("round %d: the approval failed: %v", i, err)
		}
		for err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
		}
		if _, err := be.Decide(ctx, lead, core.Decision{BriefID: 1, Kind: core.DecisionApprove}); !errors.Is(err, core.ErrNotAwaiting) {
			t.Fatalf("round %d: approving again: %v; want ErrNotAwaiting", i, err)
		}
		if n, run := len(runExperiments(t, be)), mustRunOf(t, be); n != 1 || run.Status != core.RunFinished {
			t.Fatalf("round %d: %d experiments, run %s; want one and the run done", i, n, run.State())
		}
		for _, action := range []string{"run.approval", "experiment.add", "run.experiment"} {
			if n := len(audited(t, be, action)); n != 1 {
				t.Fatalf("round %d: %s audited %d times; want once", i, action, n)
			}
		}
	}
}

// resumeUntilDone resumes brief 1's run as MOps until it is done, which
// it may be only after approved is closed; a resume may wait for the
// approval or lose a race with another, and nothing else.
func resumeUntilDone(ctx context.Context, be *backend.Backend, approved <-chan struct{}) error {
	for {
		var after bool // the approval was made before this resume began
		select {
		case <-approved:
			after = true
		default:
		}
		run, err := be.RunBrief(ctx, mops, nil, backend.RunRequest{BriefID: 1, Resume: true})
		var conflict *core.ConflictError
		var waiting *core.RunWaitingError
		switch {
		case err == nil && run.Status == core.RunFinished:
			return nil
		case errors.As(err, &waiting) && after:
			return fmt.Errorf("the run still waits after the approval: %w", err)
		case errors.As(err, &waiting):
		case !errors.As(err, &conflict):
			return fmt.Errorf("a resume racing the approval left the run that %s: %w", run.State(), err)
		}
	}
}

// twoStageWaiting is a workspace whose run waits on the second of its
// review's two stages, the first approved.
func twoStageWaiting(t *testing.T) *backend.Backend {
	t.Helper()
	be := waitingRunWith(t,
		core.ApprovalStage{Name: "Brand", Mode: core.ModeSequential, Rule: core.RuleAll, Approvers: []string{lead.Name}},
		core.ApprovalStage{Name: "Legal", Mode: core.ModeSequential, Rule: core.RuleAll, Approvers: []string{lead.Name}})
	if _, err := be.Decide(context.Background(), lead, core.Decision{BriefID: 1, Kind: core.DecisionApprove}); err != nil {
		t.Fatal(err)
	}
	return be
}

// Ensure that a resume which read the review before the final approval,
// and saved the run still waiting, does not strand it: the approval's
// continuation goes on from that save, and the run finishes with no
// resume after.
func TestDecide_StaleResumeDoesNotStrandTheRun(t *testing.T) {
	ctx := context.Background()
	for i := range 40 {
		be := twoStageWaiting(t)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = be.RunBrief(ctx, mops, nil, backend.RunRequest{BriefID: 1, Resume: true})
		}()
		_, err := be.Decide(ctx, lead, core.Decision{BriefID: 1, Kind: core.DecisionApprove})
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		if run := mustRunOf(t, be); run.Status != core.RunFinished {
			t.Fatalf("round %d: the review is approved and the run is %s", i, run.State())
		}
	}
}

// Ensure that an approval does not take on a run that failed at its
// review: it said it ends there, and people start its experiment by hand.
func TestDecide_FailedRunIsNotTakenOn(t *testing.T) {
	ctx := context.Background()
	be := mustWaitingRun(t, lead)
	d, err := be.Decide(ctx, lead, core.Decision{BriefID: 1, Kind: core.DecisionRequestChanges, Comment: "tighten it"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := be.RunBrief(ctx, creative, nil, backend.RunRequest{BriefID: 1, Resume: true}); !errors.Is(err, backend.ErrReviewClosed) {
		t.Fatalf("resume after changes were requested: %v", err)
	}
	if _, err := be.Submit(ctx, creative, 1, 0, d.Review.Copy(), false); err != nil {
		t.Fatal(err)
	}
	if d, err := be.Decide(ctx, lead, core.Decision{BriefID: 1, Kind: core.DecisionApprove}); err != nil || d.Run != nil {
		t.Fatalf("approving the same copy again: %+v, %v; want no run taken on", d.Run, err)
	}
	if r := mustRunOf(t, be); r.Status != core.RunFailed || len(runExperiments(t, be)) != 0 {
		t.Fatalf("run %s with %d experiments; want it failed as it said, and none started", r.State(), len(runExperiments(t, be)))
	}
}
