package store

import (
	"context"
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// payingConverter is a unit exposed to a that converts and pays 12.5,
// and one that pays 4 without converting.
func payingConverter() []core.Event {
	pay := func(unit string, v float64, minute int) core.Event {
		ev := event("a", unit, core.EventRevenue, minute)
		ev.Value = v
		return ev
	}
	return []core.Event{event("a", "u1", core.EventExposure, 0), event("a", "u1", core.EventConversion, 1), pay("u1", 12.5, 2),
		event("a", "u2", core.EventExposure, 0), pay("u2", 4, 3)}
}

// Ensure that opening a schema 6 file sums the revenue of converting
// units, which schema 6 did not keep, in the migration's one transaction.
func TestStore_Migrate_V7(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v6.db")
	s, err := Open(path, Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	mustAddSpringEmail(t, s)
	if _, err := s.Ingest(ctx, "ingest", payingConverter(), IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Make it schema 6: totals without converter revenue.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put(keySchema, itob(6)); err != nil {
			return err
		}
		return tx.Bucket(bucketTotals).Put(totalsKey("spring-email", "a"),
			[]byte(`{"exposures":2,"converters":1,"conversions":1,"revenue":16.5,"revenue_sq":172.25,"first":"2026-11-02T09:30:00Z","last":"2026-11-02T09:33:00Z"}`))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s = mustOpenStoreAt(t, path)
	totals, _ := s.Totals(ctx, "spring-email")
	if a := totals["a"]; a.ConverterRevenue != 12.5 || a.Revenue != 16.5 || a.Exposures != 2 {
		t.Fatalf("migrated totals = %+v", a)
	}
}

// Ensure that an export of schema 6 imports, its totals recounted with
// the revenue of converting units.
func TestStore_Import_SchemaSix(t *testing.T) {
	ctx := context.Background()
	key := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	block := newBlockWriter()
	for _, ev := range payingConverter() {
		block.add(ev)
	}
	lines := []string{
		`{"format":"tandem-export","version":2,"schema":6}`,
		`{"bucket":"experiments","key":"` + key("spring-email") + `","json":{"key":"spring-email","name":"spring-email","variants":[{"key":"a","weight":1,"control":true},{"key":"b","weight":1}]}}`,
		`{"bucket":"variant_totals","key":"` + key("spring-email\x00a") + `","json":{"exposures":2,"converters":1,"conversions":1,"revenue":16.5,"revenue_sq":172.25,"first":"2026-11-02T09:30:00Z","last":"2026-11-02T09:33:00Z"}}`,
		`{"bucket":"event_log","sequence":1}`,
		`{"bucket":"event_log","key":"` + b64(itob(1)) + `","bytes":"` + b64(block.bytes()) + `"}`,
	}
	s := mustOpenStoreAt(t, filepath.Join(t.TempDir(), "fresh.db"))
	if _, err := s.Import(ctx, strings.NewReader(sealed(lines))); err != nil {
		t.Fatal(err)
	}
	if a := func() core.VariantTotals { totals, _ := s.Totals(ctx, "spring-email"); return totals["a"] }(); a.ConverterRevenue != 12.5 || a.Revenue != 16.5 {
		t.Fatalf("imported totals = %+v", a)
	}
}
