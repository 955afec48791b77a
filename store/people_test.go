package store

import (
	"context"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that a person named as another is but for case or spacing is
// refused, on add and on rename, naming the other, and writes nothing:
// capacity matches owners by that name, so the newcomer would take the
// other's hours.
func TestStore_AddPerson_DuplicateName(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	ana, err := s.AddPerson(ctx, "ana", core.Person{Name: "Ana Ruiz", Lane: core.LaneInHouse, WeeklyHours: 40})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ana ruiz", "ANA  RUIZ"} {
		_, err := s.AddPerson(ctx, "bo", core.Person{Name: name, Lane: core.LaneFreelance, WeeklyHours: 10})
		if core.Field(err) != "name" || !strings.Contains(err.Error(), `person 1's name, "Ana Ruiz"`) {
			t.Fatalf("add %q: %v, want a name error naming Ana Ruiz", name, err)
		}
	}
	bo, err := s.AddPerson(ctx, "bo", core.Person{Name: "Bo", Lane: core.LaneFreelance, WeeklyHours: 10})
	if err != nil {
		t.Fatal(err)
	}
	bo.Name = "ana ruiz"
	if _, _, err := s.UpdatePerson(ctx, "bo", bo); core.Field(err) != "name" {
		t.Fatalf("rename to Ana Ruiz's name: %v, want a name error", err)
	}
	if people, _ := s.People(ctx); len(people) != 2 || people[1].Name != "Bo" {
		t.Fatalf("people = %+v, want Ana Ruiz and Bo", people)
	}
	ana.Name = "ana ruiz"
	if _, _, err := s.UpdatePerson(ctx, "ana", ana); err != nil {
		t.Fatalf("recasing one's own name: %v", err)
	}
}

// Ensure that a name is stored in NFC, so that it is found by the name
// typed either way, and that the same name in the other Unicode form, or
// in another case under full folding, is refused as a duplicate.
func TestStore_AddPerson_UnicodeForms(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	eva, err := s.AddPerson(ctx, "ana", core.Person{Name: "E\u0301va Stra\u00dfe", Lane: core.LaneInHouse, WeeklyHours: 40})
	if err != nil {
		t.Fatal(err)
	}
	if eva.Name != "\u00c9va Stra\u00dfe" {
		t.Fatalf("stored name %q, want it in NFC", eva.Name)
	}
	if people, _ := s.People(ctx); len(people) != 1 || people[0].Name != "\u00c9va Stra\u00dfe" {
		t.Fatalf("people = %+v, want the name in NFC", people)
	}
	for _, name := range []string{"\u00c9va Stra\u00dfe", "\u00c9VA STRASSE", "e\u0301va strasse"} {
		if _, err := s.AddPerson(ctx, "bo", core.Person{Name: name, Lane: core.LaneFreelance}); core.Field(err) != "name" {
			t.Errorf("add %q: %v, want a name error", name, err)
		}
	}
}

// Ensure that Check catches two people sharing a name but for case, and a
// review its flow cannot decide, in a file written around the store.
func TestStore_Check_PeopleAndReviews(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		bucket  []byte
		key     []byte
		value   string
		problem string
	}{
		{"duplicate person", bucketPeople, itob(2), `{"id":2,"version":1,"name":"BO","lane":"freelance","weekly_hours":10}`, `already person 1's name, "Bo"`},
		{"review at a stage its flow lacks", bucketReviews, itob(1),
			`{"brief_id":1,"flow_id":1,"owner":"","round":1,"stage":99,"stage_started":"2026-11-02T09:30:00Z","status":"pending","copies":[],"updated":"2026-11-02T09:30:00Z"}`,
			"approval flow 1 has stages 0 to 0"},
		{"review of a flow not there", bucketReviews, itob(1),
			`{"brief_id":1,"flow_id":7,"owner":"","round":1,"stage":0,"stage_started":"2026-11-02T09:30:00Z","status":"pending","copies":[],"updated":"2026-11-02T09:30:00Z"}`,
			"approval flow 7, which is not there"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustOpenStore(t)
			seedAll(t, s)
			var saved []byte
			err := s.db.Update(func(tx *bbolt.Tx) error {
				b := tx.Bucket(tc.bucket)
				if saved = b.Get(tc.key); saved != nil {
					saved = append([]byte(nil), saved...)
				}
				if id := btoi(tc.key); b.Sequence() < id {
					if err := b.SetSequence(id); err != nil {
						return err
					}
				}
				return b.Put(tc.key, []byte(tc.value))
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Check(ctx); err == nil || !strings.Contains(err.Error(), tc.problem) {
				t.Fatalf("Check = %v; want %q", err, tc.problem)
			}
			// Put it back so the cleanup's check passes.
			_ = s.db.Update(func(tx *bbolt.Tx) error {
				if saved == nil {
					return tx.Bucket(tc.bucket).Delete(tc.key)
				}
				return tx.Bucket(tc.bucket).Put(tc.key, saved)
			})
		})
	}
}
