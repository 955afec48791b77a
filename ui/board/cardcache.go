package board

import (
	"time"

	"github.com/tandem-ops/tandem/core"
)

// cardCache keeps the cards of the last frame, drawn and padded to their
// column: a write changes a card or two, and every session draws a frame
// for it. A card is drawn again when its brief, badge, focus or width
// changes, and every card when the minute turns (it may have become late).
type cardCache struct {
	minute     time.Time
	last, next map[cardKey][]string
}

// cardKey is everything a card's drawing depends on besides the clock.
type cardKey struct {
	id, version uint64
	focused     bool
	width       int
	badge       string
}

// begin starts a frame drawn at now.
func (c *cardCache) begin(now time.Time) {
	if minute := now.Truncate(time.Minute); !minute.Equal(c.minute) {
		c.minute, c.last = minute, nil
	}
	c.next = make(map[cardKey][]string, len(c.last))
}

// end keeps the cards drawn in this frame for the next, and only those.
func (c *cardCache) end() { c.last, c.next = c.next, nil }

// card returns b's lines padded to width, drawn by draw when the last frame
// did not have them. A brief never stored (version 0, as tests make them)
// is drawn every time: its ID and version do not tell its content.
func (c *cardCache) card(b core.Brief, focused bool, width int, badge string, draw func() []string) []string {
	if b.Version == 0 {
		return draw()
	}
	k := cardKey{id: b.ID, version: b.Version, focused: focused, width: width, badge: badge}
	lines, ok := c.last[k]
	if !ok {
		lines = draw()
	}
	c.next[k] = lines
	return lines
}
