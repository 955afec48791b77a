package backend

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// Ensure that the Retro's utilization is the capacity plan's over the
// same weeks on the demo, with the workspace's holidays cutting supply in
// both: one definition, two tabs.
func TestUtilization_RetroAgreesWithCapacity(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "util.db"), store.Options{Now: func() time.Time { return snapNow }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	from := core.WeekOf(snapNow).Monday()
	holiday := from.AddDate(0, 0, 9) // a Wednesday in the second week
	be := NewWith(st, Settings{Holidays: []time.Time{holiday}})
	if _, err := be.SeedDemo(ctx, admin, snapNow); err != nil {
		t.Fatal(err)
	}

	plan, err := be.Capacity(ctx, from, 4)
	if err != nil {
		t.Fatal(err)
	}
	var demand, supply float64
	for _, loads := range plan.Load {
		for _, l := range loads {
			demand, supply = demand+l.Demand, supply+l.Supply
		}
	}
	retro, err := be.Retro(ctx, RetroQuery{From: from, To: from.AddDate(0, 0, 28), Day: snapNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range retro.Trends {
		if k.Key != "utilization" {
			continue
		}
		want := 100 * demand / supply
		if demand == 0 || math.Abs(k.Value-want) > 0.05 { // KPIs are rounded to 0.1
			t.Fatalf("Retro utilization %.3f %%, capacity plan %.3f %% (%.1f h over %.1f h)", k.Value, want, demand, supply)
		}
		return
	}
	t.Fatal("the Retro has no utilization")
}
