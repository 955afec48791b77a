package cockpit

import (
	"fmt"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/common/list"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// inboxTop is the line the inbox's items start on: under its title and a
// blank.
const inboxTop = 2

func newInboxList(c *common.Common) *list.Model {
	km := c.KeyMap
	l := list.New(list.Keys{Up: &km.Overlay.Up, Down: &km.Overlay.Down, Paging: &km.List}, c.Styles)
	l.SetEmpty("Nothing needs you.")
	return l
}

// inboxRows are the inbox's items as the list filters them: the kind, then
// the text.
func inboxRows(items []core.InboxItem) []string {
	rows := make([]string, len(items))
	for i, it := range items {
		rows[i] = fmt.Sprintf("%-10s %s", it.Kind, sanitize.Line(it.Text))
	}
	return rows
}

// inboxView lists what needs this session's person, urgent first, marked
// "!" so urgency shows without colour.
func (m *Model) inboxView() string {
	st := m.common.Styles
	title := st.Inbox.Title.Render(fmt.Sprintf("Inbox for %s (%d)", sanitize.Line(m.common.Identity.Name), len(m.inbox)))
	body := m.inboxList.View(func(r list.Row, _ bool) string {
		it := m.inbox[r.Item]
		mark, style := "·", st.Inbox.Normal
		if it.Urgent {
			mark, style = "!", st.Inbox.Urgent
		}
		return style.Render(mark) + " " + m.inboxList.Mark(r, m.inboxRows[r.Item])
	})
	return title + "\n\n" + body
}
