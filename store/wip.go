package store

import (
	"context"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// MoveBriefWithin is MoveBrief for a person: it refuses with a
// *core.WIPError, in the same transaction, a move into a stage at its WIP
// limit. MoveBrief itself moves regardless, for a confirmed move, seeds
// and replays.
func (s *Store) MoveBriefWithin(ctx context.Context, actor string, id uint64, to core.Stage) (core.Brief, error) {
	return s.moveBrief(ctx, actor, id, to, &core.MoveOptions{})
}

// MoveBriefAs is MoveBrief for a person who was asked about the holds on
// the move (see checkMove): it goes past what opts says they confirmed.
func (s *Store) MoveBriefAs(ctx context.Context, actor string, id uint64, to core.Stage, opts core.MoveOptions) (core.Brief, error) {
	return s.moveBrief(ctx, actor, id, to, &opts)
}

// SubmitWithin is Submit refusing, like MoveBriefWithin, a move into
// review past its WIP limit or with its checklist not ticked.
func (s *Store) SubmitWithin(ctx context.Context, actor string, briefID, flowID uint64, copyText string) (core.Review, error) {
	return s.submit(ctx, actor, briefID, flowID, copyText, &core.MoveOptions{})
}

// SubmitAs is Submit for a person who was asked about the holds on the
// move into review, as MoveBriefAs.
func (s *Store) SubmitAs(ctx context.Context, actor string, briefID, flowID uint64, copyText string, opts core.MoveOptions) (core.Review, error) {
	return s.submit(ctx, actor, briefID, flowID, copyText, &opts)
}

// checkMove returns, in the move's transaction, why b may not move to
// stage: a *core.WIPError unless opts.Force, a *core.ChecklistError
// unless opts gives a reason to skip the checklist. It returns b to write,
// with the items skipped marked so, and the write's audit action. A nil
// opts checks nothing.
func (w *writeTx) checkMove(b core.Brief, stage core.Stage, opts *core.MoveOptions) (core.Brief, string, error) {
	if opts == nil {
		return b, "brief.move", nil
	}
	if !opts.Force {
		if err := checkWIP(w.tx, b, stage); err != nil {
			return b, "", err
		}
	}
	err := core.CheckChecklist(b, stage)
	var held *core.ChecklistError
	if !errors.As(err, &held) || opts.SkipChecklist == "" {
		return b, "brief.move", err
	}
	b, err = b.SkipChecklist(opts.SkipChecklist, w.actor, w.now)
	return b, "brief.move.skip-checklist", err
}

// checkWIP returns a *core.WIPError when b may not move into stage: it is
// elsewhere and stage holds as many briefs as its limit allows.
func checkWIP(tx *bolt.Tx, b core.Brief, stage core.Stage) error {
	if b.Stage == stage {
		return nil
	}
	limits, err := readWIPLimits(tx)
	if err != nil {
		return err
	}
	if limits[stage] == 0 {
		return nil
	}
	count := 0
	c := tx.Bucket(bucketBriefStage).Cursor()
	for k, _ := c.Seek([]byte{uint8(stage)}); k != nil && k[0] == uint8(stage); k, _ = c.Next() {
		count++
	}
	return limits.CheckMove(b.ID, stage, count)
}

// readWIPLimits reads the board's limits in tx: core.DefaultWIPLimits
// until set.
func readWIPLimits(tx *bolt.Tx) (core.WIPLimits, error) {
	limits := core.WIPLimits{}
	err := get(tx, bucketMeta, keyWIPLimits, &limits)
	if errors.Is(err, ErrNotFound) {
		return core.DefaultWIPLimits(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read wip limits: %w", err)
	}
	return limits, nil
}
