package core

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RunRecipe is how a brief template's briefs run their own pipeline
// (`tandem run`): generate Variants in the studio, drop those linting
// under MinLintScore, submit the best Submit to the template's approval
// flow and, once a person approves, start the template's experiment with
// them.
type RunRecipe struct {
	Variants     int `json:"variants"`
	Submit       int `json:"submit"`
	MinLintScore int `json:"min_lint_score"`
	// Model is the Ollama model to generate with; "" uses the workspace's.
	Model string `json:"model,omitempty"`
}

// MaxRunVariants is the most variants a recipe generates, as `generate
// --n` allows.
const MaxRunVariants = 20

func (r RunRecipe) check(f *fieldErrors) {
	if r.Variants < 1 || r.Variants > MaxRunVariants {
		f.add("recipe.variants", "is %d; generate 1 to %d variants", r.Variants, MaxRunVariants)
	}
	if r.Submit < 1 || r.Submit > r.Variants {
		f.add("recipe.submit", "is %d; submit 1 to recipe.variants (%d) of them", r.Submit, r.Variants)
	}
	if r.MinLintScore < 0 || r.MinLintScore > 100 {
		f.add("recipe.min_lint_score", "is %d; use a lint score from 0 to 100", r.MinLintScore)
	}
	f.name("recipe.model", r.Model, maxName, false)
}

// RunStep is a step of a brief's run, in the order they happen.
type RunStep string

// The steps of a run. A run stopped at a step resumes there.
const (
	RunGenerate   RunStep = "generate"
	RunLint       RunStep = "lint"
	RunSubmit     RunStep = "submit"
	RunApproval   RunStep = "approval"
	RunExperiment RunStep = "experiment"
	RunDone       RunStep = "done"
)

// RunStatus says whether a run is going, waits on a person, stopped on a
// failure or is done.
type RunStatus string

// The run statuses.
const (
	RunRunning  RunStatus = "running"
	RunWaiting  RunStatus = "waiting"
	RunFailed   RunStatus = "failed"
	RunFinished RunStatus = "done"
)

// Run is a brief's pipeline as far as it got: the step it is at, the
// variants it made (stored with them, so a resumed run never makes one
// twice), which passed lint and were submitted, the experiment it
// started, and a log of every step with what it cost.
type Run struct {
	BriefID uint64 `json:"brief_id"`
	// Version counts the writes to the run; a write states the version
	// it was made from, so two runs of one brief cannot both go on.
	Version         uint64    `json:"version"`
	Template        string    `json:"template"`
	TemplateVersion uint64    `json:"template_version"`
	Recipe          RunRecipe `json:"recipe"`
	// Seed is the seed the run started with: variant i is made with
	// Seed+i, so a resumed run makes what the first would have.
	Seed   int       `json:"seed"`
	Step   RunStep   `json:"step"`
	Status RunStatus `json:"status"`
	// Reason says why a run failed or what it waits for.
	Reason     string       `json:"reason,omitempty"`
	Variants   []uint64     `json:"variant_ids,omitempty"`
	Kept       []uint64     `json:"kept_ids,omitempty"`
	Submitted  []uint64     `json:"submitted_ids,omitempty"`
	Experiment string       `json:"experiment,omitempty"`
	Log        []RunStepLog `json:"log,omitempty"`
	// Started and Updated are the times of the run's first and latest
	// writes, as the store stamps them.
	Started time.Time `json:"started"`
	Updated time.Time `json:"updated"`
}

// Clone returns r with its own lists, so that changing one changes not
// the other.
func (r Run) Clone() Run {
	r.Variants, r.Kept, r.Submitted = slices.Clone(r.Variants), slices.Clone(r.Kept), slices.Clone(r.Submitted)
	r.Log = slices.Clone(r.Log)
	return r
}

// RunStepLog is one step done: when, how much machine time and how many
// tokens it took, what that cost at the AI lane's rate, and what it did.
type RunStepLog struct {
	Step RunStep `json:"step"`
	// At is when the step was saved, as the store stamps it.
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	DurationMS float64   `json:"duration_ms"`
	TokensIn   int       `json:"tokens_in"`
	TokensOut  int       `json:"tokens_out"`
	Cost       float64   `json:"cost"`
	Note       string    `json:"note"`
}

// Cost sums the cost, tokens and machine time of every step logged.
func (r Run) Cost() RunStepLog {
	var total RunStepLog
	for _, l := range r.Log {
		total.DurationMS += l.DurationMS
		total.TokensIn += l.TokensIn
		total.TokensOut += l.TokensOut
		total.Cost += l.Cost
	}
	return total
}

// Validate returns an error naming every invalid field of r.
func (r Run) Validate() error {
	f := fieldErrors{record: "run"}
	if r.BriefID == 0 {
		f.add("brief_id", "is 0; a run is of a brief")
	}
	f.name("template", r.Template, maxName, true)
	r.Recipe.check(&f)
	if !slices.Contains([]RunStep{RunGenerate, RunLint, RunSubmit, RunApproval, RunExperiment, RunDone}, r.Step) {
		f.add("step", "is %q; use generate, lint, submit, approval, experiment or done", r.Step)
	}
	if !slices.Contains([]RunStatus{RunRunning, RunWaiting, RunFailed, RunFinished}, r.Status) {
		f.add("status", "is %q; use running, waiting, failed or done", r.Status)
	}
	f.maxLen("reason", r.Reason, maxText)
	if len(r.Variants) > r.Recipe.Variants {
		f.add("variant_ids", "has %d variants; the recipe makes %d", len(r.Variants), r.Recipe.Variants)
	}
	for _, sub := range [][]uint64{r.Kept, r.Submitted} {
		for _, id := range sub {
			if !slices.Contains(r.Variants, id) {
				f.add("variant_ids", "lacks variant %d, which the run kept or submitted", id)
			}
		}
	}
	if r.Experiment != "" && !ValidKey(r.Experiment) {
		f.add("experiment", "is %q; not an experiment key", r.Experiment)
	}
	for i, l := range r.Log {
		if !(l.DurationMS >= 0 && l.Cost >= 0) || l.TokensIn < 0 || l.TokensOut < 0 { // NaN fails too
			f.add(fmt.Sprintf("log[%d]", i), "has a negative or undefined cost")
		}
		f.maxLen(fmt.Sprintf("log[%d].note", i), l.Note, maxText)
	}
	return f.err()
}

// NewRun starts the run of b made from t, at its first step.
func NewRun(t Template, b Brief) (Run, error) {
	if t.Kind != TemplateBrief || t.Brief == nil {
		return Run{}, &TemplateError{Ref: t.Ref(), Problem: "is not a brief template; a brief runs its brief template's recipe"}
	}
	if t.Brief.Recipe == nil {
		return Run{}, &FieldError{Record: "template", Field: "recipe", Problem: fmt.Sprintf(
			"is not set on %s; give it one with `tandem template edit brief %q --field recipe=variants:4,submit:2,min_lint_score:70`", t.Ref(), t.Name)}
	}
	return Run{BriefID: b.ID, Template: t.Name, TemplateVersion: t.Version, Recipe: *t.Brief.Recipe,
		Step: RunGenerate, Status: RunRunning}, nil
}

// ReadyToStart reports whether people approved r's copy and only its
// experiment is left to start: the run waits for someone who may edit
// experiments to resume it (or stopped trying, with its reason).
func (r Run) ReadyToStart() bool { return r.Step == RunExperiment }

// State says where r stands, to follow "brief 12's run": "is done:
// experiment brief-12-run", "waits at approval: …", "stopped at
// generate: …".
func (r Run) State() string {
	switch r.Status {
	case RunFinished:
		return "is done: experiment " + r.Experiment
	case RunWaiting:
		return fmt.Sprintf("waits at %s: %s", r.Step, r.Reason)
	case RunFailed:
		return fmt.Sprintf("stopped at %s: %s", r.Step, r.Reason)
	}
	return fmt.Sprintf("is at %s", r.Step)
}

// KeepByLint returns the variants of vs scoring at least min, best first
// (ties: the older first), and the IDs of those dropped.
func KeepByLint(vs []GeneratedVariant, min int) (kept []GeneratedVariant, dropped []uint64) {
	for _, v := range vs {
		if v.Lint.Score >= min {
			kept = append(kept, v)
		} else {
			dropped = append(dropped, v.ID)
		}
	}
	slices.SortStableFunc(kept, func(a, b GeneratedVariant) int {
		return cmp.Or(cmp.Compare(b.Lint.Score, a.Lint.Score), cmp.Compare(a.ID, b.ID))
	})
	return kept, dropped
}

// RunCopy is the copy a run submits for review: each variant under a
// heading naming it, so approvers approve the set the experiment tests.
// It depends on the variants alone, so a run resumed after submitting
// finds its copy under review.
func RunCopy(vs []GeneratedVariant) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprintf("[variant %d]\n%s", v.ID, v.Copy.Text())
	}
	return strings.Join(parts, "\n\n")
}

// RunExperimentKey is the key of the experiment a brief's run starts.
func RunExperimentKey(briefID uint64) string { return fmt.Sprintf("brief-%d-run", briefID) }

// RunExperimentFor is the experiment a run starts for b: a control (the
// copy live today) and one arm per approved variant, equal weights.
func RunExperimentFor(b Brief, vs []GeneratedVariant) Experiment {
	e := Experiment{Key: RunExperimentKey(b.ID), Name: b.Title, BriefID: b.ID, Audience: b.Audience, Channel: b.Channel}
	w := 1 / float64(len(vs)+1)
	e.Variants = append(e.Variants, Variant{Key: "control", Name: "control", Weight: w, Control: true})
	for _, v := range vs {
		e.Variants = append(e.Variants, Variant{Key: fmt.Sprintf("v%d", v.ID), Name: fmt.Sprintf("variant %d", v.ID), Copy: v.Copy.Text(), Weight: w})
	}
	return e
}

// RunWaitingError says a run waits on people: its review is not yet
// approved. Humans are the only ones who approve.
type RunWaitingError struct {
	BriefID uint64
	Reason  string
}

// Error implements error.
func (e *RunWaitingError) Error() string {
	return fmt.Sprintf("brief %d's run waits: %s; resume it with `tandem run --brief %d --resume` once approved", e.BriefID, e.Reason, e.BriefID)
}
