package core

import "fmt"

// WIPLimits caps how many briefs a stage may hold at once; a stage that is
// absent or set to 0 has no limit.
type WIPLimits map[Stage]int

// DefaultWIPLimits are the limits a new workspace starts with: the stages
// where work piles up when a team says yes to everything.
func DefaultWIPLimits() WIPLimits {
	return WIPLimits{StagePlanned: 12, StageInProduction: 10, StageReview: 8}
}

// Over reports whether a stage holding count briefs is past its limit.
func (w WIPLimits) Over(stage Stage, count int) bool {
	limit := w[stage]
	return limit > 0 && count > limit
}

// Admits reports whether one more brief fits in a stage holding count.
func (w WIPLimits) Admits(stage Stage, count int) bool {
	limit := w[stage]
	return limit == 0 || count < limit
}

// Validate returns an error naming every invalid limit.
func (w WIPLimits) Validate() error {
	f := fieldErrors{record: "wip limits"}
	for stage, n := range w {
		if !stage.Valid() {
			f.add(fmt.Sprintf("stage %d", stage), "is not a board stage")
		}
		if n < 0 {
			f.add(stage.String(), "is %d; use 0 for no limit or a positive number", n)
		}
	}
	return f.err()
}
