package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

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

// Check runs bbolt's consistency check over the whole file, then checks
// every record as an import would (checkRecord), the by-stage index
// against the briefs, people's names against each other, that no two
// users share a key, reviews against their briefs and flows, and the
// variant totals against the event log, and returns the first problem
// found.
func (s *Store) Check(ctx context.Context) error {
	return s.view(ctx, func(tx *bolt.Tx) error {
		// The check runs in bbolt's goroutine until it has sent every
		// problem: it is drained, so it never reads a closed transaction.
		var first error
		for err := range tx.Check() {
			if first == nil {
				first = err
			}
		}
		if first != nil {
			return fmt.Errorf("consistency check of %s: %w", s.path, &pageError{pageProblem(first)})
		}
		return checkTx(tx)
	})
}

// checkTx runs Check's checks of the records in tx.
func checkTx(tx *bolt.Tx) error {
	// Damage is reported before a record that breaks a write rule
	// (RuleError), which alone leaves the workspace whole.
	var rule error
	for _, check := range []func(*bolt.Tx) error{checkStoredRecords, checkStageIndex, checkReviews, checkEventTotals, checkPeopleNames, checkUsers} {
		err := check(tx)
		switch {
		case err == nil:
		case IsRuleError(err):
			if rule == nil {
				rule = err
			}
		default:
			return err
		}
	}
	return rule
}

// checkReviews verifies that every review's brief and approval flow are
// stored and the flow has the review's stage (checkReviewRefs).
func checkReviews(tx *bolt.Tx) error {
	reviews, err := list[core.Review](tx, bucketReviews)
	if err != nil {
		return err
	}
	for _, r := range reviews {
		there := tx.Bucket(bucketBriefs).Get(itob(r.BriefID)) != nil
		var flow *core.ApprovalFlow
		var fl core.ApprovalFlow
		if err := get(tx, bucketFlows, itob(r.FlowID), &fl); err == nil {
			flow = &fl
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		if err := checkReviewRefs(r, there, flow); err != nil {
			return fmt.Errorf("%s record %d: %w", bucketReviews, r.BriefID, err)
		}
	}
	return nil
}

// checkPeopleNames verifies that no two people share a name but for case
// or spacing (core.DuplicateName), which would split a person's hours.
func checkPeopleNames(tx *bolt.Tx) error {
	people, err := list[core.Person](tx, bucketPeople)
	if err != nil {
		return err
	}
	for i, p := range people {
		if err := core.DuplicateName(p, people[:i]); err != nil {
			return &RuleError{fmt.Errorf("people record %d: %w", p.ID, err)}
		}
	}
	return nil
}

// checkEventTotals replays the event log as ingest counts it and compares
// what it adds up to with the stored totals of every variant.
func checkEventTotals(tx *bolt.Tx) error {
	windows, err := conversionWindows(tx)
	if err != nil {
		return err
	}
	t := newLogTally(windows, true)
	if err := eachLogEvent(tx, t.add); err != nil {
		return err
	}
	replayed := t.byKey()
	err = tx.Bucket(bucketTotals).ForEach(func(k, v []byte) error {
		var stored core.VariantTotals
		if err := json.Unmarshal(v, &stored); err != nil {
			return fmt.Errorf("totals of %q do not decode: %w", k, err)
		}
		want := replayed[string(k)]
		delete(replayed, string(k))
		if !sameTotals(stored, want) {
			return fmt.Errorf("totals of %s are %+v; its events add up to %+v", bytes.ReplaceAll(k, []byte{0}, []byte("/")), stored, want)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, t := range replayed {
		return fmt.Errorf("%s has events adding up to %+v but no stored totals", strings.ReplaceAll(k, "\x00", "/"), t)
	}
	return nil
}

// sameTotals compares counts and times exactly and sums to a relative
// 1e-9: a migrated log replays revenue in another order than it was added.
func sameTotals(a, b core.VariantTotals) bool {
	close := func(x, y float64) bool { return math.Abs(x-y) <= 1e-9*math.Max(1, math.Max(math.Abs(x), math.Abs(y))) }
	return a.Exposures == b.Exposures && a.Converters == b.Converters && a.Conversions == b.Conversions &&
		a.Unattributed == b.Unattributed && a.Cross.Units == b.Cross.Units && a.Cross.Converters == b.Cross.Converters &&
		a.Cross.Conversions == b.Cross.Conversions && a.First.Equal(b.First) && a.Last.Equal(b.Last) &&
		close(a.Revenue, b.Revenue) && close(a.RevenueSq, b.RevenueSq) && close(a.UnattributedRevenue, b.UnattributedRevenue) &&
		close(a.Cross.Revenue, b.Cross.Revenue) && close(a.Cross.RevenueSq, b.Cross.RevenueSq) &&
		close(a.ConverterRevenue, b.ConverterRevenue) && close(a.Cross.ConverterRevenue, b.Cross.ConverterRevenue)
}

// checkStageIndex verifies that every brief is indexed under its stage and
// every index entry names a brief in that stage.
func checkStageIndex(tx *bolt.Tx) error {
	briefs, index := tx.Bucket(bucketBriefs), tx.Bucket(bucketBriefStage)
	err := briefs.ForEach(func(k, v []byte) error {
		var b core.Brief
		if err := json.Unmarshal(v, &b); err != nil {
			return fmt.Errorf("brief %s does not decode: %w", keyString(k), err)
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
		if len(k) != 9 {
			return fmt.Errorf("the stage index has a malformed key %x", k)
		}
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

// AuditOf returns the audit entries about the subjects, such as
// "brief/12", oldest first.
func (s *Store) AuditOf(ctx context.Context, subjects ...string) ([]core.AuditEntry, error) {
	all, err := s.Audit(ctx)
	if err != nil {
		return nil, err
	}
	var out []core.AuditEntry
	for _, e := range all {
		if slices.Contains(subjects, e.Subject) {
			out = append(out, e)
		}
	}
	return out, nil
}
