package board

import (
	"fmt"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/ui/common"
)

// FrameKey names the board's frame by everything it shows besides the
// snapshot, so that sessions drawing the same frame share one drawing:
// the size, the minute (a card may have become late), the inks, where each
// column's cursor and scroll stand, the grouping, the filter, the notice,
// and the minute the cards' results were worked out at. It is false while the board shows something
// of the session's own: a form, a template, a brief's detail, a question,
// the filter being typed, or a move the snapshot does not carry yet.
func (m *Model) FrameKey() (string, bool) {
	if m.form != nil || m.picker != nil || m.detail != nil || m.confirm != nil || m.filtering ||
		m.snap.Seq == 0 || !common.Same(m.briefs, m.snap.Briefs) {
		return "", false
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%dx%d at %s col %d from %d group %d filter %q notice %t %q results %s limits %v cursors",
		m.common.Width, m.common.Height, m.common.Now().Truncate(time.Minute).Format(time.RFC3339),
		m.col, m.firstCol, m.group, m.filter.Value(), m.failed, m.notice, m.resultsAt.Format(time.RFC3339), m.limits)
	for _, c := range m.cols {
		fmt.Fprintf(&b, " %d+%d", c.cursor, c.offset)
	}
	b.WriteString(" inks ")
	b.WriteString(m.ink.id)
	return b.String(), true
}

// inkID tells sets of inks apart: sessions with other themes or colour
// profiles draw other frames.
func inkID(inks ...interface{ Paint(string) string }) string {
	var b strings.Builder
	for _, k := range inks {
		b.WriteString(k.Paint("\x00"))
	}
	return b.String()
}
