package board

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tandem-ops/tandem/ui/common"
)

// FrameKey names the board's frame by everything it shows besides the
// snapshot, so that sessions drawing the same frame share one drawing:
// the size, the minute (a card may have become late), the minute the
// cards' results were worked out at, where each column's cursor and scroll
// stand, the grouping and the lanes' scroll, the notice while it shows, the filter, the WIP limits when the
// snapshot has none, and the inks. It is false while the board shows
// something of the session's own: a form, a template, a brief's detail, a
// question (a WIP limit, a checklist's skip, suggested tags), the filter being typed, or a move the snapshot does not carry
// yet.
func (m *Model) FrameKey() (string, bool) {
	if m.form != nil || m.picker != nil || m.detail != nil || m.confirm != nil || m.skip != nil || m.tags != nil || m.filtering ||
		m.snap.Seq == 0 || !common.Same(m.briefs, m.snap.Briefs) {
		return "", false
	}
	minute := m.common.Now().Unix() / 60
	b := make([]byte, 0, 256+len(m.ink.id))
	for _, n := range []int64{int64(m.common.Width), int64(m.common.Height), minute, m.resultsAt.Unix() / 60,
		int64(m.col), int64(m.firstCol), int64(m.group), int64(m.laneTop)} {
		b = strconv.AppendInt(b, n, 10)
		b = append(b, ' ')
	}
	for _, c := range m.cols {
		b = strconv.AppendInt(b, int64(c.cursor), 10)
		b = append(b, '+')
		b = strconv.AppendInt(b, int64(c.offset), 10)
		b = append(b, ' ')
	}
	b = strconv.AppendBool(b, m.failed)
	b = strconv.AppendQuote(append(b, ' '), m.freshNotice())
	b = strconv.AppendQuote(append(b, ' '), m.filter.Value())
	if m.snap.WIPLimits == nil {
		// The limits are the board's own, not the snapshot's.
		b = fmt.Appendf(b, " limits %v", m.limits)
	}
	b = append(b, " inks "...)
	b = append(b, m.ink.id...)
	return string(b), true
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
