package cockpit

import (
	"fmt"

	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/styles"
)

// frameKeyer is a page that can name its frame by everything it shows
// besides the snapshot (see board.Model.FrameKey).
type frameKeyer interface {
	FrameKey() (string, bool)
}

// draw renders the frame, once for every session that would draw the same
// one from the same snapshot: with many SSH sessions of one person at one
// size (a team's wall screens, a person's own terminals), a write costs
// one drawing rather than one per session. Each session still sends the
// frame to its own terminal.
func (m *Model) draw(clock string) string {
	key, ok := m.frameKey(clock)
	if !ok {
		return m.render()
	}
	return backend.Derive(m.common.Backend, m.snap, "cockpit.frame\x00"+key, m.render)
}

// frameKey names the frame by the active page's key and everything the
// cockpit draws around it: the tab bar, the help line or notice, and the
// status bar's person, counts and clock (the minute itself: a snapshot
// can outlive a day). It is false while an overlay or
// the palette is open, or the page draws something of the session's own.
func (m *Model) frameKey(clock string) (string, bool) {
	if m.paletteOpen || m.showHelp || m.showInbox || m.state != stateReady || m.behind[m.active] {
		return "", false
	}
	k, ok := m.pages[m.active].view.(frameKeyer)
	if !ok {
		return "", false
	}
	page, ok := k.FrameKey()
	if !ok {
		return "", false
	}
	who := m.common.Identity
	now := m.common.Now()
	return fmt.Sprintf("%s\x00%d %s %s %dx%d tab %d notice %q workspace %q %q %s writes %d inbox %d\x00%s\x00%s\x00%s",
		page, now.Unix()/60, clock, now.Location(), m.common.Width, m.common.Height, m.active, m.notice, m.workspace,
		who.Name, who.Role, m.lastCount, len(m.inbox), m.tabsView(), m.helpLine(), m.barInks.id), true
}

// barInksID tells sets of status bar inks apart, with the notice's.
func barInksID(k barInks, notice styles.Ink) string {
	var id string
	for _, ink := range []styles.Ink{k.bar, k.key, k.value, k.healthy, k.failing, notice} {
		id += ink.Paint("\x00")
	}
	return id
}
