package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models/ollamatest"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

// ben approves the runs' reviews; nobody approves their own work.
var ben = core.Identity{Name: "Ben Okafor", Role: core.RoleApprover}

// mustAddRunBrief adds a flow Ben approves, an experiment template, a
// brief template with a recipe naming both, and brief 1 from it.
func mustAddRunBrief(t *testing.T, be *backend.Backend, recipe string) {
	t.Helper()
	mustRun(t, be, admin, "template", "add", "experiment", "Boots test", "--field", "hypothesis=Warm copy sells boots", "--field", "primary=conversion")
	mustRun(t, be, admin, "template", "add", "flow", "Email review", "--field", "asset_type=email", "--field", "stage=Brand; approvers=Ben Okafor")
	mustRun(t, be, admin, "approvals", "flows", "add", "--template", "Email review")
	mustRun(t, be, admin, "template", "add", "brief", "Boots email", "--field", "title_pattern=Boots: {title}", "--field", "channel=email",
		"--field", "asset_type=email", "--field", "flow=Email review", "--field", "experiment=Boots test", "--field", "recipe="+recipe)
	mustRun(t, be, admin, "brief", "add", "--template", "Boots email", "--title", "winter")
}

// Ensure that `tandem run` goes brief → variants → review and waits for
// people; that --resume waits (exit 5) until Ben approves, then starts the
// template's experiment with the submitted variants; and that every step
// is on the brief's history with its cost.
func TestRun_Pipeline(t *testing.T) {
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: commontest.FakeOllama(t, commontest.CopyReply, nil)}})
	mustAddRunBrief(t, be, "variants:3,submit:2,min_lint_score:0")
	out := mustRun(t, be, admin, "run", "--brief", "1", "--model", "tiny")
	for _, want := range []string{"✓ generate   made 3 variants with tiny", "✓ lint", "✓ submit     submitted #1, #2 to Email review, round 1", "waits at approval", "by Ben Okafor"} {
		if !strings.Contains(out, want) {
			t.Fatalf("run output lacks %q:\n%s", want, out)
		}
	}
	code, _, errOut := run(t, be, admin, "run", "--brief", "1", "--resume")
	if code != ExitUnavailable || !strings.Contains(errOut, "waits") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("resume before approval: exit %d %q; want 5 and one line", code, errOut)
	}
	if code, _, errOut := run(t, be, admin, "run", "--brief", "1"); code != ExitUsage || !strings.Contains(errOut, "--resume") {
		t.Fatalf("a second run: exit %d %q; want a usage error pointing at --resume", code, errOut)
	}
	mustRun(t, be, ben, "approve", "1")
	var r core.Run
	if err := json.Unmarshal([]byte(mustRun(t, be, admin, "run", "--brief", "1", "--resume", "--json")), &r); err != nil {
		t.Fatal(err)
	}
	if r.Status != core.RunFinished || r.Experiment != "brief-1-run" || len(r.Variants) != 3 || !slices.Equal(r.Submitted, []uint64{1, 2}) {
		t.Fatalf("run = %+v; want done with experiment brief-1-run of variants 1 and 2", r)
	}
	e, err := be.Experiment(context.Background(), "brief-1-run")
	if err != nil || len(e.Variants) != 3 || e.Template != "Boots test" || e.Hypothesis != "Warm copy sells boots" || e.BriefID != 1 {
		t.Fatalf("experiment = %+v, %v; want a control and two arms from template Boots test", e, err)
	}
	steps := map[core.RunStep]core.RunStepLog{}
	for _, l := range r.Log {
		steps[l.Step] = l
	}
	if gen := steps[core.RunGenerate]; gen.TokensIn != 60 || gen.TokensOut != 36 || gen.DurationMS <= 0 {
		t.Fatalf("generate step = %+v; want the tokens of 3 replies and their machine time", gen)
	}
	if len(steps) != 5 {
		t.Fatalf("logged steps = %v; want generate, lint, submit, approval and experiment", r.Log)
	}
	history, err := be.History(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, h := range history {
		actions = append(actions, h.Action)
	}
	for _, want := range []string{"run.start", "run.variant", "run.generate", "run.lint", "run.submit", "brief.move", "run.waiting", "run.approval", "run.experiment"} {
		if !slices.Contains(actions, want) {
			t.Fatalf("brief 1's history %v lacks %s", actions, want)
		}
	}
	if code, _, _ := run(t, be, admin, "check"); code != 0 {
		t.Fatal("the workspace does not check after a run")
	}
}

// Ensure that `tandem approve` on a run's last stage goes on with the run
// and says where it got: done when the approver may start experiments;
// otherwise waiting, in MOps' inbox and on a second `run`, until MOps
// resumes it.
func TestRun_GoesOnWhenApproved(t *testing.T) {
	creative := core.Identity{Name: "bo", Role: core.RoleCreative}
	mops := core.Identity{Name: "mo", Role: core.RoleMOps}
	t.Run("approver may start experiments", func(t *testing.T) {
		be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: commontest.FakeOllama(t, commontest.CopyReply, nil)}})
		mustAddRunBrief(t, be, "variants:2,submit:1,min_lint_score:0")
		mustRun(t, be, creative, "run", "--brief", "1", "--model", "tiny")
		if out := mustRun(t, be, admin, "approve", "1"); !strings.Contains(out, "brief 1's run is done: experiment brief-1-run") {
			t.Fatalf("an admin approving: %q; want the run done", out)
		}
		if _, err := be.Experiment(context.Background(), "brief-1-run"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("approver may not", func(t *testing.T) {
		be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: commontest.FakeOllama(t, commontest.CopyReply, nil)}})
		mustAddRunBrief(t, be, "variants:2,submit:1,min_lint_score:0")
		mustRun(t, be, creative, "run", "--brief", "1", "--model", "tiny")
		const ready = "approved, ready to start: `tandem run --brief 1 --resume`"
		if out := mustRun(t, be, ben, "approve", "1"); !strings.Contains(out, "brief 1's run waits at experiment: "+ready) {
			t.Fatalf("Ben approving: %q; want the run waiting, ready to start", out)
		}
		if out := mustRun(t, be, mops, "inbox"); !strings.Contains(out, "run") || !strings.Contains(out, "`tandem run --brief 1 --resume`") {
			t.Fatalf("MOps' inbox lacks the run ready to start:\n%s", out)
		}
		if code, _, errOut := run(t, be, mops, "run", "--brief", "1"); code != ExitUsage || !strings.Contains(errOut, ready) {
			t.Fatalf("a second run: exit %d %q; want it to say the run is ready to start", code, errOut)
		}
		if out := mustRun(t, be, mops, "run", "--brief", "1", "--resume"); !strings.Contains(out, "done: experiment brief-1-run") {
			t.Fatalf("MOps resuming: %q", out)
		}
	})
}

// Ensure that a creative's run stops at the experiment, which is not
// theirs to start (exit 4), and that MOps resuming it starts it.
func TestRun_ExperimentNeedsItsRole(t *testing.T) {
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: commontest.FakeOllama(t, commontest.CopyReply, nil)}})
	mustAddRunBrief(t, be, "variants:1,submit:1,min_lint_score:0")
	creative := core.Identity{Name: "bo", Role: core.RoleCreative}
	mops := core.Identity{Name: "mo", Role: core.RoleMOps}
	mustRun(t, be, creative, "run", "--brief", "1", "--model", "tiny")
	mustRun(t, be, ben, "approve", "1")
	if code, _, errOut := run(t, be, creative, "run", "--brief", "1", "--resume"); code != ExitPermission || !strings.Contains(errOut, "may not edit experiments") {
		t.Fatalf("a creative starting the experiment: exit %d %q; want 4", code, errOut)
	}
	if out := mustRun(t, be, mops, "run", "--brief", "1", "--resume"); !strings.Contains(out, "done: experiment brief-1-run") {
		t.Fatalf("MOps resuming: %q", out)
	}
}

// Ensure that a run whose model fails mid-generation stops at generate
// with the reason, and that --resume makes only the variants still
// missing, with the seeds the first run would have used.
func TestRun_ResumeAfterFailure(t *testing.T) {
	var failFrom atomic.Int64
	failFrom.Store(2)
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: commontest.FakeOllama(t, commontest.CopyReply, &failFrom)}})
	mustAddRunBrief(t, be, "variants:3,submit:1,min_lint_score:0")
	code, out, errOut := run(t, be, admin, "run", "--brief", "1", "--model", "tiny", "--seed", "7")
	if code != ExitFailure || !strings.Contains(out, "stopped at generate") || !strings.Contains(errOut, "model runner crashed") {
		t.Fatalf("a failing model: exit %d %q %q", code, out, errOut)
	}
	stored, err := be.Run(context.Background(), 1)
	if err != nil || stored.Status != core.RunFailed || len(stored.Variants) != 1 || !strings.Contains(stored.Reason, "model runner crashed") {
		t.Fatalf("stored run = %+v, %v; want failed at generate with 1 variant and the reason", stored, err)
	}
	failFrom.Store(0)
	mustRun(t, be, admin, "run", "--brief", "1", "--resume") // the default seed, 1, is not the run's
	for i, v := range mustGenerated(t, be, 1, 3) {
		if v.Provenance.Seed != 7+i {
			t.Errorf("variant %d was made with seed %d; the run started with 7", i+1, v.Provenance.Seed)
		}
	}
}

// mustGenerated fails unless brief has exactly n variants, each with its
// own seed: none made twice.
func mustGenerated(t *testing.T, be *backend.Backend, brief uint64, n int) []core.GeneratedVariant {
	t.Helper()
	r, err := be.Run(context.Background(), brief)
	if err != nil {
		t.Fatal(err)
	}
	var vs []core.GeneratedVariant
	seeds := map[int]bool{}
	for _, id := range r.Variants {
		v, err := be.Generated(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
		seeds[v.Provenance.Seed] = true
	}
	all, err := be.GeneratedFor(context.Background(), brief)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != n || len(all) != n || len(seeds) != n {
		t.Fatalf("brief %d has %d variants (%d in its run, %d seeds); want %d, none made twice", brief, len(all), len(vs), len(seeds), n)
	}
	return vs
}

// Ensure that without Ollama the run says so on one line (exit 5) and
// saves where it stopped.
func TestRun_OllamaDown(t *testing.T) {
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: "127.0.0.1:1"}})
	mustAddRunBrief(t, be, "variants:2,submit:1,min_lint_score:0")
	code, _, errOut := run(t, be, admin, "run", "--brief", "1", "--model", "tiny")
	if code != ExitUnavailable || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "ollama serve") {
		t.Fatalf("exit %d, %q; want 5 and one line saying to start Ollama", code, errOut)
	}
	if r, err := be.Run(context.Background(), 1); err != nil || r.Step != core.RunGenerate || r.Status != core.RunFailed {
		t.Fatalf("run = %+v, %v; want it failed at generate", r, err)
	}
}

// Ensure that a brief whose template has no recipe, or no template, is a
// usage error naming what to do.
func TestRun_Refused(t *testing.T) {
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: "127.0.0.1:1"}})
	mustRun(t, be, admin, "brief", "add", "--title", "blank")
	if code, _, errOut := run(t, be, admin, "run", "--brief", "1"); code != ExitUsage || !strings.Contains(errOut, "not made from a template") {
		t.Fatalf("blank brief: exit %d %q", code, errOut)
	}
	mustRun(t, be, admin, "template", "add", "brief", "Plain", "--field", "channel=email")
	mustRun(t, be, admin, "brief", "add", "--template", "Plain", "--title", "x")
	if code, _, errOut := run(t, be, admin, "run", "--brief", "2"); code != ExitUsage || !strings.Contains(errOut, "recipe=variants:4") {
		t.Fatalf("no recipe: exit %d %q", code, errOut)
	}
	if code, _, errOut := run(t, be, admin, "template", "edit", "brief", "Plain", "--field", "recipe=variants:2,submit:5"); code != ExitUsage || !strings.Contains(errOut, "recipe.submit") {
		t.Fatalf("a recipe submitting more than it makes: exit %d %q", code, errOut)
	}
	if code, _, _ := run(t, be, admin, "run", "--brief", "2", "--resume"); code != ExitUsage {
		t.Fatalf("resume without a run: exit %d; want usage", code)
	}
}

// Ensure that `run --json` keeps its shape: the golden holds a finished
// run with the machine time and cost, which vary, zeroed.
func TestRun_JSONGolden(t *testing.T) {
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: commontest.FakeOllama(t, commontest.CopyReply, nil)}})
	mustAddRunBrief(t, be, "variants:2,submit:2,min_lint_score:0")
	mustRun(t, be, admin, "run", "--brief", "1", "--model", "tiny")
	mustRun(t, be, ben, "approve", "1")
	var out, errOut bytes.Buffer
	call := Call{Identity: admin, Args: []string{"run", "--brief", "1", "--resume", "--json"}, Now: func() time.Time { return testNow }, Remote: true}
	if code := Run(context.Background(), be, call, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var v map[string]any
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	for _, problem := range contractProblems("$", v) {
		t.Error(problem)
	}
	for _, l := range v["log"].([]any) {
		l.(map[string]any)["duration_ms"], l.(map[string]any)["cost"] = 0, 0
	}
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "json", "run", "run.json")
	if *updateJSON {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui/cli -run Run_JSONGolden -update)", err)
	}
	if !bytes.Equal(want, append(got, '\n')) {
		t.Errorf("run --json changed shape; if that is meant, run go test ./ui/cli -run Run_JSONGolden -update and review the diff\n%s", got)
	}
}

// Ensure, against a real Ollama server with the tiny model, that a run
// goes brief → variants → review with history and cost, and that a run
// cancelled mid-generation (its caller gone) resumes without making a
// variant twice.
func TestRun_EndToEnd(t *testing.T) {
	host := ollamatest.Start(t)
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: host}})
	mustAddRunBrief(t, be, fmt.Sprintf("variants:2,submit:1,min_lint_score:0,model:%s", ollamatest.Model))
	mustRun(t, be, admin, "person", "add", "Studio model", "--lane", "ai", "--skills", "copy", "--hours", "40", "--cost", "12")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client, err := be.Models().Client()
	if err != nil {
		t.Fatal(err)
	}
	_, err = be.RunBrief(ctx, admin, client, backend.RunRequest{BriefID: 1, Seed: 5, Now: testNow,
		OnVariant: func(core.GeneratedVariant) { cancel() }}) // the caller leaves after the first variant
	if err == nil {
		t.Fatal("a run whose caller left finished")
	}
	if r, err := be.Run(context.Background(), 1); err != nil || r.Step != core.RunGenerate || len(r.Variants) != 1 {
		t.Fatalf("run after the cancel = %+v, %v; want it at generate with its one variant", r, err)
	}

	code, out, errOut := run(t, be, admin, "run", "--brief", "1", "--resume", "--seed", "5")
	if code != 0 || !strings.Contains(out, "waits at approval") {
		t.Fatalf("resume: exit %d %q %q", code, out, errOut)
	}
	vs := mustGenerated(t, be, 1, 2)
	for i, v := range vs {
		if v.Provenance.Seed != 5+i || v.Provenance.Model != ollamatest.Model {
			t.Fatalf("variant %d has seed %d, model %s; want seed %d of the tiny model", v.ID, v.Provenance.Seed, v.Provenance.Model, 5+i)
		}
	}
	r, err := be.Run(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	gen := r.Log[0]
	if gen.Step != core.RunGenerate || gen.TokensOut == 0 || gen.DurationMS <= 0 || gen.Cost <= 0 {
		t.Fatalf("generate step = %+v; want its tokens, machine time and cost at the AI lane's rate", gen)
	}
	reviews, err := be.Reviews(context.Background())
	if err != nil || len(reviews) != 1 || reviews[0].Status != core.ReviewPending || !strings.Contains(reviews[0].Copy(), fmt.Sprintf("[variant %d]", r.Submitted[0])) {
		t.Fatalf("reviews = %+v, %v; want the best variant pending review", reviews, err)
	}
	b, err := be.Brief(context.Background(), 1)
	if err != nil || b.Stage != core.StageReview {
		t.Fatalf("brief = %+v, %v; want it in review", b, err)
	}
}

// Ensure that a run starts its experiment only on what people approved of
// it: copy revised in review and then approved, or a rejected review, ends
// the run with a line saying what to do, and no experiment is started.
func TestRun_ApprovedCopyMustBeTheRuns(t *testing.T) {
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: commontest.FakeOllama(t, commontest.CopyReply, nil)}})
	mustAddRunBrief(t, be, "variants:2,submit:1,min_lint_score:0")
	mustRun(t, be, admin, "run", "--brief", "1", "--model", "tiny")
	mustRun(t, be, ben, "approvals", "request-changes", "1", "--comment", "off brand")
	if code, _, errOut := run(t, be, admin, "run", "--brief", "1", "--resume"); code == 0 || !strings.Contains(errOut, "experiment add") {
		t.Fatalf("resume after changes were asked for: %d %s", code, errOut)
	}
	mustRun(t, be, admin, "approvals", "submit", "1", "--copy", "Revised, on-brand copy written by a person")
	mustRun(t, be, ben, "approve", "1")
	code, _, errOut := run(t, be, admin, "run", "--brief", "1", "--resume")
	if code == 0 || !strings.Contains(errOut, "not the run's variants") {
		t.Fatalf("resume after revised copy was approved: %d %s", code, errOut)
	}
	if _, err := be.Experiment(context.Background(), "brief-1-run"); err == nil {
		t.Fatal("the run started an experiment on copy people did not approve")
	}
}
