package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that subscribers receive every committed change in commit order,
// and nothing for a write that failed.
func TestStore_Subscribe_Order(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	sub := s.Subscribe(64)
	defer sub.Close()

	b, _ := s.AddBrief(ctx, "ana", core.Brief{Title: "One"})
	_, _ = s.AddBrief(ctx, "ana", core.Brief{}) // invalid: publishes nothing
	_, _ = s.MoveBrief(ctx, "bo", b.ID, core.StagePlanned)
	_, _ = s.AddPerson(ctx, "ana", core.Person{Name: "Cy", Lane: core.LaneAgency})

	want := []string{"brief.add brief/1 ana", "brief.move brief/1 bo", "person.add person/1 ana"}
	for i, w := range want {
		select {
		case c := <-sub.C():
			got := fmt.Sprintf("%s %s/%s %s", c.Action, c.Kind, c.ID, c.Actor)
			if got != w || c.Seq != uint64(i+1) {
				t.Fatalf("change %d = %q (seq %d), want %q (seq %d)", i, got, c.Seq, w, i+1)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("change %d never arrived", i)
		}
	}
	select {
	case c := <-sub.C():
		t.Fatalf("unexpected change %+v", c)
	default:
	}
}

// Ensure that a subscriber that stops reading is dropped, with its channel
// closed, while writers carry on and other subscribers get everything.
func TestStore_Subscribe_SlowIsDropped(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	slow := s.Subscribe(2)
	fast := s.Subscribe(100)
	defer fast.Close()
	for i := range 5 {
		if _, err := s.AddBrief(ctx, "ana", core.Brief{Title: fmt.Sprint("b", i)}); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for range slow.C() {
		n++
	}
	if n != 2 || !slow.Dropped() {
		t.Fatalf("slow subscriber got %d changes, dropped=%v", n, slow.Dropped())
	}
	if len(fast.C()) != 5 {
		t.Fatalf("fast subscriber has %d changes, want 5", len(fast.C()))
	}
	slow.Close() // closing a dropped subscription is harmless
}

// Ensure that closing the store ends every subscription.
func TestStore_Close_EndsSubscriptions(t *testing.T) {
	s, err := Open(t.TempDir()+"/t.db", Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub := s.Subscribe(1)
	s.Close()
	if _, ok := <-sub.C(); ok {
		t.Fatal("subscription still open after Close")
	}
	if late := s.Subscribe(1); late == nil {
		t.Fatal("Subscribe after Close returned nil")
	} else if _, ok := <-late.C(); ok {
		t.Fatal("subscription made after Close is open")
	}
}
