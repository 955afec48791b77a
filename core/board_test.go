package core

import "testing"

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
