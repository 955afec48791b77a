package store

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// Audit returns the whole audit trail in sequence order.
func (s *Store) Audit(ctx context.Context) ([]core.AuditEntry, error) {
	return listAll[core.AuditEntry](ctx, s, bucketAudit, "audit trail")
}

// VerifyAudit checks the audit chain; a *core.ChainError names the first
// broken entry.
func (s *Store) VerifyAudit(ctx context.Context) error {
	entries, err := s.Audit(ctx)
	if err != nil {
		return err
	}
	return core.VerifyChain(entries)
}

// Check runs bbolt's consistency check over the whole file, then checks the
// by-stage index against the briefs, and returns the first problem found.
func (s *Store) Check(ctx context.Context) error {
	return s.view(ctx, func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return fmt.Errorf("consistency check of %s: %w", s.path, err)
		}
		return checkStageIndex(tx)
	})
}

// checkStageIndex verifies that every brief is indexed under its stage and
// every index entry names a brief in that stage.
func checkStageIndex(tx *bolt.Tx) error {
	briefs, index := tx.Bucket(bucketBriefs), tx.Bucket(bucketBriefStage)
	err := briefs.ForEach(func(k, v []byte) error {
		var b core.Brief
		if err := json.Unmarshal(v, &b); err != nil {
			return fmt.Errorf("brief %d does not decode: %w", btoi(k), err)
		}
		if index.Get(stageKey(uint8(b.Stage), b.ID)) == nil {
			return fmt.Errorf("brief %d (%s) is missing from the stage index", b.ID, b.Stage)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return index.ForEach(func(k, _ []byte) error {
		var b core.Brief
		if err := get(tx, bucketBriefs, k[1:], &b); err != nil {
			return fmt.Errorf("the stage index names brief %d, which is gone", btoi(k[1:]))
		}
		if uint8(b.Stage) != k[0] {
			return fmt.Errorf("the stage index has brief %d in %s; it is in %s", b.ID, core.Stage(k[0]), b.Stage)
		}
		return nil
	})
}

// AuditOf returns the audit entries about one subject, such as "brief/12",
// oldest first.
func (s *Store) AuditOf(ctx context.Context, subject string) ([]core.AuditEntry, error) {
	all, err := s.Audit(ctx)
	if err != nil {
		return nil, err
	}
	var out []core.AuditEntry
	for _, e := range all {
		if e.Subject == subject {
			out = append(out, e)
		}
	}
	return out, nil
}
