package store

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that a block gives back every event as it was added, in order.
func TestEventBlock_RoundTrip(t *testing.T) {
	in := []core.Event{
		{TS: fixedNow, Experiment: "spring-email", Variant: "a", Unit: "u-1", Type: core.EventExposure},
		{ID: "evt-7", TS: fixedNow.Add(-time.Hour), Experiment: "spring-email", Variant: "b", Unit: "u-2", Type: core.EventConversion},
		{TS: fixedNow.Add(time.Nanosecond), Experiment: "autumn", Variant: "a", Unit: "ü", Type: core.EventRevenue, Value: 12.5},
		{TS: time.Unix(0, 0).UTC(), Experiment: "autumn", Variant: "a", Unit: "u", Type: core.EventRevenue, Value: -0.25},
	}
	w := newBlockWriter()
	for _, ev := range in {
		w.add(ev)
	}
	var out []core.Event
	if err := eachEvent(w.bytes(), func(ev core.Event) error { out = append(out, ev); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Fatalf("decoded\n%+v\nwant\n%+v", out, in)
	}
}

// Ensure that a damaged block is an error, never a panic or a made-up event.
func TestEventBlock_Corrupt(t *testing.T) {
	w := newBlockWriter()
	w.add(core.Event{TS: fixedNow, Experiment: "x", Variant: "a", Unit: "u", Type: core.EventRevenue, Value: 1})
	good := w.bytes()
	for n := range len(good) {
		err := eachEvent(good[:n], func(core.Event) error { return nil })
		if !errors.Is(err, errBlockCorrupt) {
			t.Errorf("block cut at %d: err = %v", n, err)
		}
	}
	if err := eachEvent(append(good, 0), func(core.Event) error { return nil }); !errors.Is(err, errBlockCorrupt) {
		t.Errorf("trailing byte: err = %v", err)
	}
}

func FuzzEventBlock(f *testing.F) {
	w := newBlockWriter()
	w.add(core.Event{ID: "e", TS: fixedNow, Experiment: "x", Variant: "a", Unit: "u", Type: core.EventRevenue, Value: 1})
	f.Add(w.bytes())
	f.Fuzz(func(t *testing.T, block []byte) {
		_ = eachEvent(block, func(core.Event) error { return nil }) // must not panic
	})
}

// Ensure that a schema 3 file, with one JSON value per event and stored unit
// flags, is migrated to the event log: nothing counts twice afterwards.
func TestOpen_MigrateEventsFromV3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v3.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	mustAddSpringEmail(t, s)
	evs := []core.Event{event("a", "u1", core.EventExposure, 0), event("a", "u1", core.EventConversion, 1), event("b", "u2", core.EventExposure, 2)}
	if _, err := s.Ingest(ctx, "ingest", evs, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	// Rewrite the file as schema 3 kept it.
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketEventLog); err != nil {
			return err
		}
		old, err := tx.CreateBucket(legacyEvents)
		if err != nil {
			return err
		}
		for i, ev := range evs {
			if err := old.Put([]byte{byte(i)}, mustJSON(t, ev)); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(legacyUnits); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, itob(3))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = mustOpenStoreAt(t, path)
	res, err := s.Ingest(ctx, "ingest", append(evs, event("b", "u2", core.EventConversion, 3)), IngestOptions{})
	if err != nil || res.Duplicates != 3 || res.Accepted != 1 {
		t.Fatalf("ingest after migration = %+v, %v", res, err)
	}
	totals, _ := s.Totals(ctx, "spring-email")
	if totals["a"].Exposures != 1 || totals["b"].Converters != 1 {
		t.Fatalf("totals = %+v", totals)
	}
	_ = s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(legacyEvents) != nil || tx.Bucket(legacyUnits) != nil {
			t.Error("schema 3 buckets left after migration")
		}
		return nil
	})
}

func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Ensure that a block keeps events' attributes, and that a block of
// version 1, written before attributes, still reads.
func TestEventBlock_Attrs(t *testing.T) {
	w := newBlockWriter()
	with := event("a", "u1", core.EventExposure, 0)
	with.Attrs = map[string]string{"audience": "smb", "country": "FR"}
	w.add(with)
	var got []core.Event
	if err := eachEvent(w.bytes(), func(ev core.Event) error { got = append(got, ev); return nil }); err != nil || len(got) != 1 || !reflect.DeepEqual(got[0].Attrs, with.Attrs) {
		t.Fatalf("read %+v, %v", got, err)
	}
	old := newBlockWriter()
	old.add(event("a", "u1", core.EventConversion, 1))
	v1 := old.bytes()
	v1[0] = 1
	if err := eachEvent(v1, func(core.Event) error { return nil }); err != nil {
		t.Fatalf("a version 1 block: %v", err)
	}
}
