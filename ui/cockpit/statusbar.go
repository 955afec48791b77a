package cockpit

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
	"github.com/tandem-ops/tandem/ui/styles"
)

// statusView renders the bottom bar: workspace, who you are, the latest
// change, late briefs, store health and the clock.
// barInks paint the status bar's segments; a segment is padded by a
// space each side.
type barInks struct {
	bar, key, value, healthy, failing styles.Ink
	// id tells this set of inks, and the notice's, from another's, for
	// frameKey.
	id string
}

func newBarInks(st *styles.Styles) barInks {
	s := st.StatusBar
	unpadded := func(style lipgloss.Style) styles.Ink { return styles.InkOf(style.UnsetPadding()) }
	k := barInks{bar: styles.InkOf(s.Bar), key: unpadded(s.Key), value: unpadded(s.Value), healthy: unpadded(s.Healthy), failing: unpadded(s.Failing)}
	k.id = barInksID(k, styles.InkOf(st.App.Warning))
	return k
}

// minNews is the fewest cells the latest change is shown in, cut.
const minNews = 24

func segment(k styles.Ink, text string) string { return k.Paint(" " + text + " ") }

func (m *Model) statusView() string {
	k := m.barInks
	w := m.common.Width
	// Below 100 columns the bar drops its name and shortens its counts,
	// so that what needs attention (late briefs, breached SLAs) still fits
	// at 80.
	narrow := w < 100
	left := segment(k.value, sanitize.Line(m.workspace)) +
		segment(k.value, fmt.Sprintf("%s · %s", sanitize.Line(m.common.Identity.Name), m.common.Identity.Role))
	if !narrow {
		left = segment(k.key, "tandem") + left
	}
	breached := "✗ %d SLA breached"
	if narrow {
		breached = "✗ %d SLA"
	}

	// Right-hand segments, least important first: on a narrow terminal
	// they are dropped from the front until the bar fits.
	var optional []string
	if late := m.lateCount(); late > 0 {
		optional = append(optional, segment(k.failing, fmt.Sprintf("%d late", late)))
	}
	if len(m.inbox) > 0 {
		optional = append(optional, segment(k.value, fmt.Sprintf("inbox %d", len(m.inbox))))
	}
	if n := m.breachedCount(); n > 0 {
		optional = append(optional, segment(k.failing, fmt.Sprintf(breached, n)))
	}
	var health string
	switch m.state {
	case stateError:
		health = segment(k.failing, "✗ store error")
	case stateLoading:
		health = segment(k.value, "… loading")
	default:
		health = segment(k.healthy, "● store ok")
	}
	fixed := health + segment(k.value, m.common.Now().Format("15:04"))
	for len(optional) > 0 && common.Width(left)+common.Width(strings.Join(optional, ""))+common.Width(fixed) > w {
		optional = optional[1:]
	}
	rightView := strings.Join(optional, "") + fixed

	middle := ""
	if c := m.snap.Change; c.Seq != 0 && m.lastCount > 0 {
		middle = describeChange(c, m.lastCount, m.common.Now().Location())
	}
	room := w - common.Width(left) - common.Width(rightView)
	if room < 0 {
		line := ansi.Truncate(left+rightView, w, "")
		return line + k.bar.Paint(strings.Repeat(" ", max(w-common.Width(line), 0)))
	}
	// News cut to a few cells says nothing ("01:07:30 simulato…"): below
	// minNews cells it is left out.
	if common.Width(middle) > room-2 && room-2 < minNews {
		middle = ""
	}
	middleView := segment(k.value, common.Truncate(middle, max(room-2, 0), "…"))
	gap := k.bar.Paint(strings.Repeat(" ", max(room-common.Width(middleView), 0)))
	return left + middleView + gap + rightView
}

// describeChange says in words what the latest write did.
func describeChange(c core.Change, count int, loc *time.Location) string {
	what := fmt.Sprintf("%s %s %s", sanitize.Line(c.Actor), strings.ReplaceAll(c.Action, ".", " "), c.ID)
	if count > 1 {
		what += fmt.Sprintf(" (+%d)", count-1)
	}
	return c.Time.In(loc).Format("15:04:05") + " " + what
}

func (m *Model) lateCount() int {
	now := m.common.Now()
	n := 0
	for _, b := range m.snap.Briefs {
		if b.Late(now) {
			n++
		}
	}
	return n
}

// breachedCount is how many pending reviews are past their SLA.
func (m *Model) breachedCount() int {
	flows := make(map[uint64]core.ApprovalFlow, len(m.snap.Flows))
	for _, f := range m.snap.Flows {
		flows[f.ID] = f
	}
	wh, now, n := m.snap.Hours, m.common.Now(), 0
	for _, r := range m.snap.Reviews {
		if r.Status == core.ReviewPending && core.SLAOf(r, flows[r.FlowID], wh, now).Risk == core.RiskBreached {
			n++
		}
	}
	return n
}
