package cockpit

import (
	"context"
	"fmt"
	"testing"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

// BenchmarkCockpit_WriteFrame is one SSH session's share of a write: the
// snapshot after a new brief arrives, every tab takes it, and the session
// draws its Board at 120x40 in 256 colours. Two snapshots alternate, so
// every round is news to the session; what sessions share (backend.Derive)
// is kept for the newer of the two, as for many sessions after a write,
// and worked out every time for the older, as for a lone session.
func BenchmarkCockpit_WriteFrame(b *testing.B) {
	m, be := benchCockpit(b)
	var snaps [2]core.Snapshot
	for i := range snaps {
		if _, err := be.AddBrief(context.Background(), commontest.Admin, core.Brief{Title: fmt.Sprint("Write ", i)}); err != nil {
			b.Fatal(err)
		}
		snaps[i] = commontest.Snapshot(b, be)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Update(snaps[i%2])
		_ = m.View()
		i++
	}
}
