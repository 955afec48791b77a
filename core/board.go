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

// WIPError refuses a move into a stage at its WIP limit. Whoever moves
// the brief is asked the same question: the board and the studio ask y/n,
// the CLI takes --force.
type WIPError struct {
	BriefID uint64
	Stage   Stage
	// Limit is the stage's limit and Count the briefs it holds already.
	Limit, Count int
}

// Error implements error.
func (e *WIPError) Error() string {
	return fmt.Sprintf("%s is at its WIP limit (%d of %d): moving #%d there puts it over; finish something in %s first, or move it anyway (--force)",
		e.Stage, e.Count, e.Limit, e.BriefID, e.Stage)
}

// CheckMove returns a *WIPError when stage, holding count briefs other
// than the one moving, admits no more.
func (w WIPLimits) CheckMove(briefID uint64, stage Stage, count int) error {
	if w.Admits(stage, count) {
		return nil
	}
	return &WIPError{BriefID: briefID, Stage: stage, Limit: w[stage], Count: count}
}
