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
	return s.moveBrief(ctx, actor, id, to, true)
}

// SubmitWithin is Submit refusing, like MoveBriefWithin, a move into
// review past its WIP limit.
func (s *Store) SubmitWithin(ctx context.Context, actor string, briefID, flowID uint64, copyText string) (core.Review, error) {
	return s.submit(ctx, actor, briefID, flowID, copyText, true)
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
