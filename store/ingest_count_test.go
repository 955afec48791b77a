package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// randomEvents is n events of spring-email over few units, so that units
// convert before and after their exposure, pay in several events and are
// exposed to both variants, in an order unrelated to their times.
func randomEvents(rng *rand.Rand, n int) []core.Event { return randomEventsOver(rng, n, 20) }

// randomEventsOver is randomEvents over the given number of units: few
// units send many events each.
func randomEventsOver(rng *rand.Rand, n, units int) []core.Event {
	types := []core.EventType{core.EventExposure, core.EventExposure, core.EventConversion, core.EventRevenue}
	out := make([]core.Event, n)
	for i := range out {
		ev := event([]string{"a", "b"}[rng.IntN(2)], "u"+string(rune('a'+rng.IntN(units))), types[rng.IntN(len(types))], rng.IntN(600))
		if ev.Type == core.EventRevenue {
			ev.Value = float64(1 + rng.IntN(50))
		}
		out[i] = ev
	}
	return out
}

// Ensure that ingest, in batches and across a reopen (which rebuilds the
// index from the log), stores the totals core.CountEvents gives from
// scratch, with and without a conversion window, and that Check agrees.
//
// With three units, each sends hundreds of events: past heavyAt, its
// duplicates are found and its counts kept by its set and running count.
func TestStore_Ingest_CountsByDefinition(t *testing.T) {
	for _, tc := range []struct {
		window time.Duration
		units  int
	}{{0, 20}, {90 * time.Minute, 20}, {0, 3}, {90 * time.Minute, 3}} {
		window := tc.window
		t.Run(fmt.Sprintf("%s/%d-units", window, tc.units), func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "count.db")
			s, err := Open(path, Options{Now: func() time.Time { return fixedNow }})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.AddExperiment(ctx, "ana", core.Experiment{Key: "spring-email", ConversionWindow: window,
				Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}})
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, uint64(window)))
			events := randomEventsOver(rng, 400, tc.units)
			events = append(events, events[:50]...) // resent: duplicates
			for i := 0; i < len(events); i += 100 {
				if i == 200 { // the rest counts on an index rebuilt from the log
					s.Close()
					if s, err = Open(path, Options{}); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := s.Ingest(ctx, "ingest", events[i:min(i+100, len(events))], IngestOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			if heavy := len(s.events.heavy) > 0; heavy != (tc.units == 3) {
				t.Fatalf("%d heavy states over %d units", len(s.events.heavy), tc.units)
			}
			defer mustCheckAndClose(t, s)
			want := core.CountEvents(dedup(events), window)
			got, _ := s.Totals(ctx, "spring-email")
			for _, v := range []string{"a", "b"} {
				if !sameTotals(got[v], want[v]) {
					t.Errorf("%s: stored %+v\nfrom scratch %+v", v, got[v], want[v])
				}
			}
			if got["a"].Unattributed == 0 || got["a"].Cross.Units == 0 {
				t.Fatalf("the events exercise neither unattributed nor cross-exposed units: %+v", got["a"])
			}
			series, _ := s.Series(ctx, "spring-email", "a")
			var exposed, converted uint64
			for _, p := range series {
				exposed, converted = exposed+p.Exposures, converted+p.Converters
			}
			if exposed != got["a"].Exposures || converted != got["a"].Converters {
				t.Fatalf("series sums to %d exposed, %d converted; totals %+v", exposed, converted, got["a"])
			}
		})
	}
}

// dedup drops repeated events, as ingest does.
func dedup(events []core.Event) []core.Event {
	seen := map[string]bool{}
	var out []core.Event
	for _, ev := range events {
		if k := fmt.Sprintf("%+v", ev); !seen[k] {
			seen[k] = true
			out = append(out, ev)
		}
	}
	return out
}

// Ensure that opening a schema 5 file recounts its totals by the new
// definitions and clears the start it set on add, in one migration, and
// that the file then checks clean.
func TestStore_Migrate_V6(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v5.db")
	s, err := Open(path, Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	mustAddSpringEmail(t, s)
	if _, err := s.Ingest(ctx, "ingest", []core.Event{event("a", "u1", core.EventExposure, 5), event("a", "u2", core.EventConversion, 6)}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Make it schema 5 as the old ingest left it: the unexposed unit's
	// conversion counted, and a start from `experiment add`.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put(keySchema, itob(5)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketTotals).Put(totalsKey("spring-email", "a"), []byte(`{"exposures":1,"converters":1,"conversions":1,"revenue":0,"revenue_sq":0}`)); err != nil {
			return err
		}
		return tx.Bucket(bucketExperiments).Put([]byte("spring-email"), []byte(`{"key":"spring-email","name":"","variants":[{"key":"a","weight":1,"control":true},{"key":"b","weight":1}],"started":"2026-11-02T09:30:00Z"}`))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s = mustOpenStoreAt(t, path)
	totals, _ := s.Totals(ctx, "spring-email")
	if a := totals["a"]; a.Converters != 0 || a.Unattributed != 1 || a.Exposures != 1 {
		t.Fatalf("migrated totals = %+v", a)
	}
	if e, _ := s.Experiment(ctx, "spring-email"); !e.Started.IsZero() {
		t.Fatalf("start kept: %s", e.Started)
	}
}

// Ensure that an export of schema 5, whose totals counted a conversion
// of a unit never exposed, imports: the totals are recounted, not refused.
func TestStore_Import_SchemaFive(t *testing.T) {
	ctx := context.Background()
	key := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	block := newBlockWriter()
	block.add(event("a", "u1", core.EventExposure, 0))
	block.add(event("a", "u2", core.EventConversion, 1))
	lines := []string{
		`{"format":"tandem-export","version":2,"schema":5}`,
		`{"bucket":"experiments","key":"` + key("spring-email") + `","json":{"key":"spring-email","name":"spring-email","variants":[{"key":"a","weight":1,"control":true},{"key":"b","weight":1}],"started":"2026-11-02T09:30:00Z"}}`,
		`{"bucket":"variant_totals","key":"` + key("spring-email\x00a") + `","json":{"exposures":1,"converters":1,"conversions":1,"revenue":0,"revenue_sq":0}}`,
		`{"bucket":"event_log","sequence":1}`,
		`{"bucket":"event_log","key":"` + b64(itob(1)) + `","bytes":"` + b64(block.bytes()) + `"}`,
	}
	s := mustOpenStoreAt(t, filepath.Join(t.TempDir(), "fresh.db"))
	if _, err := s.Import(ctx, strings.NewReader(sealed(lines))); err != nil {
		t.Fatal(err)
	}
	if totals, _ := s.Totals(ctx, "spring-email"); totals["a"].Converters != 0 || totals["a"].Unattributed != 1 {
		t.Fatalf("imported totals = %+v", totals["a"])
	}
}
