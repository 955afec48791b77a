package core

import (
	"math"
	"testing"
)

func TestWIPLimits(t *testing.T) {
	w := WIPLimits{StageReview: 2}
	tests := []struct {
		stage        Stage
		count        int
		admits, over bool
	}{
		{StageReview, 0, true, false},
		{StageReview, 1, true, false},
		{StageReview, 2, false, false},
		{StageReview, 3, false, true},
		{StageIntake, 500, true, false}, // no limit
	}
	for _, tt := range tests {
		if got := w.Admits(tt.stage, tt.count); got != tt.admits {
			t.Errorf("Admits(%s, %d) = %v", tt.stage, tt.count, got)
		}
		if got := w.Over(tt.stage, tt.count); got != tt.over {
			t.Errorf("Over(%s, %d) = %v", tt.stage, tt.count, got)
		}
	}
	if err := (WIPLimits{StageLive: -1}).Validate(); Field(err) != "live" {
		t.Errorf("negative limit: %v", err)
	}
}

func TestExperimentResult(t *testing.T) {
	e := Experiment{Key: "x", Channel: "email", Variants: []Variant{{Key: "a", Control: true}, {Key: "b"}, {Key: "c"}}}
	totals := map[string]VariantTotals{
		"a": {Exposures: 1000, Converters: 40},
		"b": {Exposures: 1000, Converters: 50},
		"c": {Exposures: 1000, Converters: 30},
	}
	r, ok := ExperimentResult(e, totals)
	if !ok || r.Variant != "b" || math.Abs(r.Lift-0.25) > 1e-12 || r.Declared || r.Exposures != 3000 {
		t.Fatalf("result = %+v, %v", r, ok)
	}
	e.Winner = "c" // a person's declaration wins over the leader
	if r, _ := ExperimentResult(e, totals); r.Variant != "c" || !r.Declared || math.Abs(r.Lift+0.25) > 1e-12 {
		t.Fatalf("declared result = %+v", r)
	}
	totals["c"] = VariantTotals{Exposures: 99}
	if _, ok := ExperimentResult(e, totals); ok {
		t.Fatal("result shown with an arm under the minimum sample")
	}
}

func TestPerformanceContext(t *testing.T) {
	results := []Result{
		{Experiment: "other", Channel: "web", Audience: "devs", Lift: 0.9},
		{Experiment: "aud", Audience: "smb", Lift: 0.5},
		{Experiment: "both", Channel: "email", Audience: "smb", Lift: 0.1},
		{Experiment: "chan", Channel: "email", Lift: 0.3},
		{Experiment: "chan-won", Channel: "email", Lift: 0.2, Declared: true},
	}
	got := PerformanceContext(Brief{Channel: "Email", Audience: "smb"}, results)
	want := []string{"both", "chan-won", "chan", "aud"}
	if len(got) != len(want) {
		t.Fatalf("got %d results: %+v", len(got), got)
	}
	for i, w := range want {
		if got[i].Experiment != w {
			t.Errorf("result %d = %s, want %s", i, got[i].Experiment, w)
		}
	}
}
