package common

import (
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/tandem-ops/tandem/ui/sanitize"
)

// NoticeLife is how long a notice shows. The cockpit repaints a view
// holding one with its clock, so a notice goes within a clock tick of it.
const NoticeLife = 10 * time.Second

// Notice is a view's latest word on what a key did or why it could not. It
// shows on a line of its own, wrapped rather than cut (an error's fix is at
// its end), and only until it is NoticeLife old, so it never goes stale.
type Notice struct {
	text string
	at   time.Time
}

// Set replaces the notice with text, said at now; "" clears it.
func (n *Notice) Set(now time.Time, text string) { n.text, n.at = text, now }

// String is the notice's text however old it is, for tests.
func (n Notice) String() string { return n.text }

// Text is the notice while it is fresh at now, "" after.
func (n Notice) Text(now time.Time) string {
	if n.text == "" || now.Sub(n.at) >= NoticeLife {
		return ""
	}
	return n.text
}

// View is the fresh notice in style, wrapped to width, "" when there is
// none.
func (n Notice) View(style lipgloss.Style, width int, now time.Time) string {
	text := n.Text(now)
	if text == "" {
		return ""
	}
	return style.Width(max(width, 1)).Render(sanitize.Line(text))
}

// Noticer is a view that may be showing a notice; the cockpit repaints it
// with the clock while it does, so the notice goes when it expires.
type Noticer interface {
	Noticing() bool
}
