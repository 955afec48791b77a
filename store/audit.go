package store

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// Audit returns the whole audit trail in sequence order.
func (s *Store) Audit(ctx context.Context) ([]core.AuditEntry, error) {
	var out []core.AuditEntry
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = list[core.AuditEntry](tx, bucketAudit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read audit trail: %w", err)
	}
	return out, nil
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

// Check runs bbolt's consistency check over the whole file and returns the
// first problem it finds.
func (s *Store) Check(ctx context.Context) error {
	return s.view(ctx, func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return fmt.Errorf("consistency check of %s: %w", s.path, err)
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
