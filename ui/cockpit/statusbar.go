package cockpit

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// statusView renders the bottom bar: workspace, who you are, the latest
// change, late briefs, store health and the clock.
func (m *Model) statusView() string {
	s := m.common.Styles.StatusBar
	w := m.common.Width
	left := s.Key.Render("tandem") +
		s.Value.Render(sanitize.Line(m.workspace)) +
		s.Value.Render(fmt.Sprintf("%s · %s", sanitize.Line(m.common.Identity.Name), m.common.Identity.Role))

	// Right-hand segments, least important first: on a narrow terminal
	// they are dropped from the front until the bar fits.
	var optional []string
	if late := m.lateCount(); late > 0 {
		optional = append(optional, s.Failing.Render(fmt.Sprintf("%d late", late)))
	}
	if len(m.inbox) > 0 {
		optional = append(optional, s.Value.Render(fmt.Sprintf("inbox %d", len(m.inbox))))
	}
	if n := m.breachedCount(); n > 0 {
		optional = append(optional, s.Failing.Render(fmt.Sprintf("✗ %d SLA breached", n)))
	}
	var health string
	switch m.state {
	case stateError:
		health = s.Failing.Render("✗ store error")
	case stateLoading:
		health = s.Value.Render("… loading")
	default:
		health = s.Healthy.Render("● store ok")
	}
	fixed := health + s.Value.Render(m.common.Now().Format("15:04"))
	for len(optional) > 0 && common.Width(left)+common.Width(strings.Join(optional, ""))+common.Width(fixed) > w {
		optional = optional[1:]
	}
	rightView := strings.Join(optional, "") + fixed

	middle := ""
	if c := m.snap.Change; c.Seq != 0 {
		middle = describeChange(c, m.lastCount, m.common.Now().Location())
	}
	room := w - common.Width(left) - common.Width(rightView)
	if room < 0 {
		return s.Bar.Width(w).Render(ansi.Truncate(left+rightView, w, ""))
	}
	middleView := s.Value.Render(ansi.Truncate(middle, max(room-2, 0), "…"))
	gap := s.Bar.Render(strings.Repeat(" ", max(room-common.Width(middleView), 0)))
	return left + middleView + gap + rightView
}

// describeChange says in words what the latest write did.
func describeChange(c store.Change, count int, loc *time.Location) string {
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
